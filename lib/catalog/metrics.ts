/**
 * CloudWatch metrics that ElastiCache publishes, with the dimensions each flavour uses.
 * Sources: docs/aws-facts.md, "CloudWatch metrics" (ElastiCache guide pages CacheMetrics.Redis and
 * serverless-metrics-events-redis; CloudWatch's table of dimension combinations).
 */

/** The two kinds of cache the toolkit provisions. */
export enum CacheFlavour {
  /** ElastiCache Serverless. */
  SERVERLESS = 'serverless',
  /** A node-based replication group in cluster mode. */
  CLUSTER = 'cluster',
}

export const ELASTICACHE_NAMESPACE = 'AWS/ElastiCache';

/**
 * Serverless caches publish under `clusterId` (lower-case c) with the cache name as value; `ServerlessCacheName`
 * returns no data points. Node-based caches publish per member node under `CacheClusterId`.
 */
export const METRIC_DIMENSION: Record<CacheFlavour, string> = {
  [CacheFlavour.SERVERLESS]: 'clusterId',
  [CacheFlavour.CLUSTER]: 'CacheClusterId',
};

/** The node dimension that node-based metrics carry beside `CacheClusterId`. */
export const NODE_DIMENSION = 'CacheNodeId';

/**
 * A member cluster of a cluster-mode replication group holds exactly one node, `0001` (its shard's other nodes are
 * other member clusters).
 */
export const MEMBER_NODE_ID = '0001';

/**
 * The dimensions of a metric of one cache or node: `clusterId` for serverless caches; `CacheClusterId` + `CacheNodeId`
 * for members of a replication group. Every node metric is published with that pair, so it is used for all of them.
 */
export function metricDimensions(flavour: CacheFlavour, dimensionValue: string): Record<string, string> {
  return flavour === CacheFlavour.SERVERLESS
    ? { [METRIC_DIMENSION[flavour]]: dimensionValue }
    : { [METRIC_DIMENSION[flavour]]: dimensionValue, [NODE_DIMENSION]: MEMBER_NODE_ID };
}

/** How per-node values combine into one figure for the whole replication group. */
export type NodeAggregation = 'SUM' | 'MAX' | 'AVG';

export interface MetricDefinition {
  readonly name: string;
  readonly unit: 'Percent' | 'Count' | 'Bytes' | 'Seconds' | 'Milliseconds' | 'Microseconds' | 'None';
  readonly flavours: readonly CacheFlavour[];
  /** The statistic that answers the usual question about this metric. */
  readonly statistic: 'Average' | 'Maximum' | 'Sum' | 'Minimum';
  /** Combining member nodes of a replication group: counters add up, gauges take the worst node. */
  readonly acrossNodes: NodeAggregation;
  readonly description: string;
  /**
   * Published for nodes only with the pair `CacheClusterId` + `CacheNodeId`: queried with `CacheClusterId` alone it
   * returns nothing (CloudWatch's table of AWS/ElastiCache dimension combinations; docs/aws-facts.md, "CloudWatch metrics").
   */
  readonly nodeOnly?: true;
  /**
   * Published by ElastiCache but neither alarmed on, charted nor shown by `ectk status`: in the catalog so that
   * `cache.metric()` and the rule pack know it.
   */
  readonly reference?: true;
  /**
   * Published without dimensions (the account's value in a Region), as the AWS specification of CloudWatch metrics
   * lists it (docs/aws-facts.md, "Global Datastore"): read with no dimensions, never per node.
   */
  readonly accountLevel?: true;
}

const BOTH: readonly CacheFlavour[] = [CacheFlavour.SERVERLESS, CacheFlavour.CLUSTER];
const CLUSTER: readonly CacheFlavour[] = [CacheFlavour.CLUSTER];
const SERVERLESS: readonly CacheFlavour[] = [CacheFlavour.SERVERLESS];

export const CACHE_METRICS: readonly MetricDefinition[] = [
  { name: 'CacheHits', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'Successful read-only key lookups' },
  // Serverless caches do not list CacheMisses among their metrics (docs/aws-facts.md): their hit ratio is CacheHitRate.
  { name: 'CacheMisses', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Unsuccessful read-only key lookups' },
  { name: 'CacheHitRate', unit: 'Percent', flavours: BOTH, statistic: 'Average', acrossNodes: 'AVG', description: 'hits / (hits + misses)' },
  { name: 'Evictions', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'Keys evicted because of the maxmemory limit' },
  { name: 'CurrConnections', unit: 'Count', flavours: BOTH, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Client connections open' },
  { name: 'NewConnections', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'Connections accepted' },
  { name: 'CurrItems', unit: 'Count', flavours: BOTH, statistic: 'Average', acrossNodes: 'SUM', description: 'Items in the cache' },
  { name: 'CurrVolatileItems', unit: 'Count', flavours: BOTH, statistic: 'Average', acrossNodes: 'SUM', description: 'Items with a TTL', nodeOnly: true },
  { name: 'BytesUsedForCache', unit: 'Bytes', flavours: BOTH, statistic: 'Maximum', acrossNodes: 'SUM', description: 'Bytes used to store data' },
  { name: 'SuccessfulReadRequestLatency', unit: 'Microseconds', flavours: BOTH, statistic: 'Average', acrossNodes: 'MAX', description: 'Read request latency in the engine', nodeOnly: true },
  { name: 'SuccessfulWriteRequestLatency', unit: 'Microseconds', flavours: BOTH, statistic: 'Average', acrossNodes: 'MAX', description: 'Write request latency in the engine', nodeOnly: true },
  { name: 'DatabaseMemoryUsagePercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'used_memory / maxmemory' },
  { name: 'DatabaseMemoryUsageCountedForEvictPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory counted for eviction / maxmemory', nodeOnly: true },
  { name: 'FreeableMemory', unit: 'Bytes', flavours: CLUSTER, statistic: 'Minimum', acrossNodes: 'MAX', description: 'Free memory on the host' },
  { name: 'SwapUsage', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Swap used on the host' },
  { name: 'CPUUtilization', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Host CPU' },
  { name: 'EngineCPUUtilization', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'CPU of the engine thread' },
  { name: 'ReplicationLag', unit: 'Seconds', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Replica lag behind its primary' },
  { name: 'GlobalDatastoreReplicationLag', unit: 'Seconds', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Lag of a Global Datastore secondary behind the primary Region (worst shard)', accountLevel: true },
  { name: 'TrafficManagementActive', unit: 'None', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: '1 while ElastiCache throttles traffic on an under-scaled node', nodeOnly: true },
  { name: 'NetworkBandwidthInAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: inbound bandwidth over the instance allowance' },
  { name: 'NetworkBandwidthOutAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: outbound bandwidth over the instance allowance' },
  { name: 'NetworkPacketsPerSecondAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: packets per second over the instance allowance' },
  { name: 'NetworkConntrackAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: connection tracking over the instance allowance' },
  // Data tiering (r6gd) only: ElastiCache metrics page, "Supported only for clusters using data tiering".
  { name: 'BytesReadFromDisk', unit: 'Bytes', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Bytes read from the SSD tier per minute (data tiering)', nodeOnly: true },
  { name: 'BytesWrittenToDisk', unit: 'Bytes', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Bytes written to the SSD tier per minute (data tiering)', nodeOnly: true },
  // Durable clusters only (Valkey 9.0+, async durability; always 0 under sync): ElastiCache Durability "Monitoring".
  { name: 'DurabilityLag', unit: 'Milliseconds', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Age of the oldest acknowledged write not yet in the Multi-AZ transactional log', nodeOnly: true },
  { name: 'DurabilityBufferExceededErrorCount', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Writes rejected because the durability buffer exceeded 10 s', nodeOnly: true },
  // Data tiering: memory and SSD together (CacheMetrics.Redis: "(used_memory - mem_not_counted_for_evict + SSD used) /
  // (maxmemory + SSD total capacity)" on tiered nodes, used_memory / maxmemory elsewhere).
  { name: 'DatabaseCapacityUsagePercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory and SSD used / their capacity (data tiering); used_memory / maxmemory elsewhere', nodeOnly: true },
  { name: 'DatabaseCapacityUsageCountedForEvictPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory and SSD counted for eviction / their capacity (data tiering)', nodeOnly: true },
  // Vector search (node-based Valkey 8.2+): CacheMetrics.Redis.
  { name: 'SearchUsedMemoryBytes', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory of all search data structures on the node', nodeOnly: true },
  { name: 'SearchNumberOfIndexes', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Search indexes on the node', nodeOnly: true },
  { name: 'SearchTotalIndexedDocuments', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'SUM', description: 'Keys in all indexes of the node', nodeOnly: true },
  // Authentication and authorization (CacheMetrics.Redis: "We suggest setting an alarm on this to detect unauthorized
  // access attempts"); serverless caches list AuthenticationFailures and KeyAuthorizationFailures.
  { name: 'AuthenticationFailures', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'Failed AUTH attempts (ACL LOG names them)' },
  { name: 'CommandAuthorizationFailures', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Commands refused because the user may not run them' },
  { name: 'KeyAuthorizationFailures', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'Key accesses refused because the user may not touch the key' },
  { name: 'DatabaseAuthorizationFailures', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Database accesses refused by db= restrictions (Valkey 9.1+)', nodeOnly: true },
  { name: 'ChannelAuthorizationFailures', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Pub/Sub channel accesses refused', nodeOnly: true, reference: true },
  { name: 'IamAuthenticationExpirations', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'IAM-authenticated connections closed when their token expired', nodeOnly: true, reference: true },
  { name: 'IamAuthenticationThrottling', unit: 'Count', flavours: BOTH, statistic: 'Sum', acrossNodes: 'SUM', description: 'IAM AUTH or HELLO requests throttled', nodeOnly: true, reference: true },
  { name: 'ErrorCount', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Failed commands', nodeOnly: true, reference: true },
  { name: 'RejectedConnections', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Connections refused at maxclients', nodeOnly: true, reference: true },
  // The other node-only metrics of CloudWatch's dimension table: not read by the toolkit, known for their dimensions.
  { name: 'AllocatorFragmentationBytes', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Bytes lost to allocator fragmentation', nodeOnly: true, reference: true },
  { name: 'AllocatorFragmentationRatio', unit: 'None', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Allocator fragmentation ratio', nodeOnly: true, reference: true },
  { name: 'BlockedConnections', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Clients blocked on BLPOP and the like', nodeOnly: true, reference: true },
  { name: 'ClusterBasedCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'CLUSTER commands', nodeOnly: true, reference: true },
  { name: 'ClusterBasedCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of CLUSTER commands', nodeOnly: true, reference: true },
  { name: 'CurrItemsWithVolatileFields', unit: 'Count', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Keys with fields that have a TTL (Valkey 9.0+)', nodeOnly: true, reference: true },
  { name: 'JsonBasedCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'JSON commands', nodeOnly: true, reference: true },
  { name: 'JsonBasedCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of JSON commands', nodeOnly: true, reference: true },
  { name: 'JsonBasedGetCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'JSON read commands', nodeOnly: true, reference: true },
  { name: 'JsonBasedGetCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of JSON read commands', nodeOnly: true, reference: true },
  { name: 'JsonBasedSetCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'JSON write commands', nodeOnly: true, reference: true },
  { name: 'JsonBasedSetCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of JSON write commands', nodeOnly: true, reference: true },
  { name: 'MajorPageFaults', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Major page faults on the host', nodeOnly: true, reference: true },
  { name: 'NetworkBaselineMaxUsageInPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak inbound traffic as a share of the baseline bandwidth', nodeOnly: true, reference: true },
  { name: 'NetworkBaselineMaxUsageOutPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak outbound traffic as a share of the baseline bandwidth', nodeOnly: true, reference: true },
  { name: 'NetworkBaselineUsageInPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Inbound traffic as a share of the baseline bandwidth', nodeOnly: true, reference: true },
  { name: 'NetworkBaselineUsageOutPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Outbound traffic as a share of the baseline bandwidth', nodeOnly: true, reference: true },
  { name: 'NetworkMaxBytesIn', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak bytes received per second in the minute', nodeOnly: true, reference: true },
  { name: 'NetworkMaxBytesOut', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak bytes sent per second in the minute', nodeOnly: true, reference: true },
  { name: 'NetworkMaxPacketsIn', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak packets received per second in the minute', nodeOnly: true, reference: true },
  { name: 'NetworkMaxPacketsOut', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Peak packets sent per second in the minute', nodeOnly: true, reference: true },
  { name: 'NonKeyTypeCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Commands that act on no key', nodeOnly: true, reference: true },
  { name: 'NonKeyTypeCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of commands that act on no key', nodeOnly: true, reference: true },
  { name: 'NumItemsReadFromDisk', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Items read from the SSD tier per minute (data tiering)', nodeOnly: true, reference: true },
  { name: 'NumItemsWrittenToDisk', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Items written to the SSD tier per minute (data tiering)', nodeOnly: true, reference: true },
  { name: 'ProcessedCommands', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Commands processed', nodeOnly: true, reference: true },
  { name: 'PubSubChannels', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Pub/Sub channels with subscribers', nodeOnly: true, reference: true },
  { name: 'PubSubShardChannels', unit: 'Count', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Sharded Pub/Sub channels with subscribers', nodeOnly: true, reference: true },
  { name: 'ReclaimedFields', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Hash fields expired (Valkey 9.0+)', nodeOnly: true, reference: true },
  { name: 'SearchBasedCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Search commands', nodeOnly: true, reference: true },
  { name: 'SearchBasedCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of search commands', nodeOnly: true, reference: true },
  { name: 'SearchBasedGetCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Search read commands', nodeOnly: true, reference: true },
  { name: 'SearchBasedGetCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of search read commands', nodeOnly: true, reference: true },
  { name: 'SearchBasedSetCmds', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Search write commands', nodeOnly: true, reference: true },
  { name: 'SearchBasedSetCmdsLatency', unit: 'Microseconds', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Latency of search write commands', nodeOnly: true, reference: true },
  { name: 'UsedMemoryDataset', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory used by the dataset', nodeOnly: true, reference: true },
  { name: 'ElastiCacheProcessingUnits', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'ECPUs consumed' },
  { name: 'ThrottledCmds', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'Requests throttled at the ECPU limit' },
  { name: 'TotalCmdsCount', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'Commands processed' },
];

/**
 * Node metrics published only with `CacheClusterId` + `CacheNodeId` and never with `CacheClusterId` alone, as
 * CloudWatch's table of AWS/ElastiCache dimension combinations lists them for AWS::ElastiCache::CacheCluster (read
 * 2026-12-07): the catalog entries marked `nodeOnly`, the one list the rule pack checks.
 */
export const NODE_ONLY_METRICS: readonly string[] = CACHE_METRICS.filter((m) => m.nodeOnly).map((m) => m.name);

/** The definition of a metric a flavour publishes, if it does. */
export function findMetric(flavour: CacheFlavour, name: string): MetricDefinition | undefined {
  return CACHE_METRICS.find((m) => m.name === name && m.flavours.includes(flavour));
}

/** What a flavour publishes, for messages. */
export function publishedMetrics(flavour: CacheFlavour): string {
  return `a ${flavour} cache publishes ${CACHE_METRICS.filter((m) => m.flavours.includes(flavour)).map((m) => m.name).join(', ')}`;
}

/** Member cluster id of a node in a cluster-mode-enabled replication group: `<rg>-<shard:4>-<node:3>`. */
export function memberClusterId(replicationGroupId: string, shard: number, node: number): string {
  return `${replicationGroupId}-${String(shard).padStart(4, '0')}-${String(node).padStart(3, '0')}`;
}
