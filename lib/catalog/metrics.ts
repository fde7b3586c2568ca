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
 * Metrics that ElastiCache publishes for nodes only with the pair `CacheClusterId` + `CacheNodeId`: queried with
 * `CacheClusterId` alone they return nothing (docs/aws-facts.md, "CloudWatch metrics").
 */
export const NODE_ONLY_METRICS: readonly string[] = [
  'SuccessfulReadRequestLatency',
  'SuccessfulWriteRequestLatency',
  'TrafficManagementActive',
  'CurrVolatileItems',
  'DatabaseMemoryUsageCountedForEvictPercentage',
];

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
  { name: 'CurrVolatileItems', unit: 'Count', flavours: BOTH, statistic: 'Average', acrossNodes: 'SUM', description: 'Items with a TTL' },
  { name: 'BytesUsedForCache', unit: 'Bytes', flavours: BOTH, statistic: 'Maximum', acrossNodes: 'SUM', description: 'Bytes used to store data' },
  { name: 'SuccessfulReadRequestLatency', unit: 'Microseconds', flavours: BOTH, statistic: 'Average', acrossNodes: 'MAX', description: 'Read request latency in the engine' },
  { name: 'SuccessfulWriteRequestLatency', unit: 'Microseconds', flavours: BOTH, statistic: 'Average', acrossNodes: 'MAX', description: 'Write request latency in the engine' },
  { name: 'DatabaseMemoryUsagePercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'used_memory / maxmemory' },
  { name: 'DatabaseMemoryUsageCountedForEvictPercentage', unit: 'Percent', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Memory counted for eviction / maxmemory' },
  { name: 'FreeableMemory', unit: 'Bytes', flavours: CLUSTER, statistic: 'Minimum', acrossNodes: 'MAX', description: 'Free memory on the host' },
  { name: 'SwapUsage', unit: 'Bytes', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Swap used on the host' },
  { name: 'CPUUtilization', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'Host CPU' },
  { name: 'EngineCPUUtilization', unit: 'Percent', flavours: CLUSTER, statistic: 'Average', acrossNodes: 'MAX', description: 'CPU of the engine thread' },
  { name: 'ReplicationLag', unit: 'Seconds', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Replica lag behind its primary' },
  { name: 'TrafficManagementActive', unit: 'None', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: '1 while ElastiCache throttles traffic on an under-scaled node' },
  { name: 'NetworkBandwidthInAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: inbound bandwidth over the instance allowance' },
  { name: 'NetworkBandwidthOutAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: outbound bandwidth over the instance allowance' },
  { name: 'NetworkPacketsPerSecondAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: packets per second over the instance allowance' },
  { name: 'NetworkConntrackAllowanceExceeded', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Packets shaped: connection tracking over the instance allowance' },
  // Data tiering (r6gd) only: ElastiCache metrics page, "Supported only for clusters using data tiering".
  { name: 'BytesReadFromDisk', unit: 'Bytes', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Bytes read from the SSD tier per minute (data tiering)' },
  { name: 'BytesWrittenToDisk', unit: 'Bytes', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Bytes written to the SSD tier per minute (data tiering)' },
  // Durable clusters only (Valkey 9.0+, async durability; always 0 under sync): ElastiCache Durability "Monitoring".
  { name: 'DurabilityLag', unit: 'Milliseconds', flavours: CLUSTER, statistic: 'Maximum', acrossNodes: 'MAX', description: 'Age of the oldest acknowledged write not yet in the Multi-AZ transactional log' },
  { name: 'DurabilityBufferExceededErrorCount', unit: 'Count', flavours: CLUSTER, statistic: 'Sum', acrossNodes: 'SUM', description: 'Writes rejected because the durability buffer exceeded 10 s' },
  { name: 'ElastiCacheProcessingUnits', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'ECPUs consumed' },
  { name: 'ThrottledCmds', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'Requests throttled at the ECPU limit' },
  { name: 'TotalCmdsCount', unit: 'Count', flavours: SERVERLESS, statistic: 'Sum', acrossNodes: 'SUM', description: 'Commands processed' },
];

/** The definition of a metric for a flavour, or an error that lists the metrics the flavour has. */
export function metricDefinition(flavour: CacheFlavour, name: string): MetricDefinition {
  const found = CACHE_METRICS.find((m) => m.name === name && m.flavours.includes(flavour));
  if (!found) {
    const names = CACHE_METRICS.filter((m) => m.flavours.includes(flavour)).map((m) => m.name);
    throw new Error(`metricName: got ${JSON.stringify(name)}; a ${flavour} cache publishes ${names.join(', ')}`);
  }
  return found;
}

/** Member cluster id of a node in a cluster-mode-enabled replication group: `<rg>-<shard:4>-<node:3>`. */
export function memberClusterId(replicationGroupId: string, shard: number, node: number): string {
  return `${replicationGroupId}-${String(shard).padStart(4, '0')}-${String(node).padStart(3, '0')}`;
}
