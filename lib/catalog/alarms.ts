/**
 * The alarm catalog: one entry per alarm, plain data read by the constructs (CacheAlarms, CacheDashboard), the CLI,
 * the runbooks and the tests. Thresholds come from docs/aws-facts.md ("Alarm thresholds that AWS publishes") or carry the
 * reason they were chosen. `runbook` names its runbook, runbooks/<runbook>.md (a warning and its critical tier share one).
 */
import { CacheFlavour } from './metrics';
import { nodeTypeFacts } from './node-types';
import { SEARCH_METRICS, SEARCH_NAMESPACE, searchMemoryThresholdPercent } from './search-health';
import { SEMANTIC_METRICS, SEMANTIC_NAMESPACE } from './semantic';
import { SLO_METRICS, SLO_NAMESPACE } from './slo-check';

export type AlarmSeverity = 'critical' | 'warning';
export type AlarmComparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
export type MissingData = 'notBreaching' | 'breaching' | 'missing' | 'ignore';

/** Which construct creates the alarm: `CacheAlarms`, `LatencySlo`, `SemanticCacheAlarms` or a cluster's `vectorIndexes`. */
export type AlarmFamily = 'cache' | 'slo' | 'semantic' | 'vector-index';

/**
 * How the alarm's value is computed:
 * - `metric`: the AWS/ElastiCache metrics in `metrics`, combined across nodes (and across the listed metrics) with
 *   `combine`;
 * - `hit-ratio`: 100 × hits / (hits + misses) on clusters, `CacheHitRate` on serverless caches; 100 while fewer than
 *   `minimumRequests` reads (clusters) or commands (serverless) arrive per period;
 * - `missing-ttl`: 100 × (items − volatile items) / items, 0 for an empty cache;
 * - `per-second`: the Sum over the period divided by the period in seconds, as a share of the configured maximum (ECPU/s);
 * - `share-of-maximum`: 100 × the metric / the configured maximum (serverless data storage);
 * - `node-share`: 100 × the worst node's metric / the node type's maxmemory (vector search memory);
 * - `toolkit`: the one metric in `metrics`, in the toolkit's own `namespace` with its family's dimensions;
 * - `sum-ratio`: 100 × SUM(metrics[0]) / SUM(metrics[1]) in the toolkit's `namespace`, each summed over every record;
 * - `account`: the one AWS/ElastiCache metric in `metrics` without dimensions (published per account and Region);
 * - `composite`: any critical alarm of the cache in ALARM.
 */
export type AlarmKind = 'metric' | 'hit-ratio' | 'missing-ttl' | 'per-second' | 'share-of-maximum' | 'node-share' | 'toolkit' | 'sum-ratio' | 'account' | 'composite';

/**
 * When an alarm applies, as data: every condition given must hold for the cache (or check). The construct that creates
 * the family reads these against what it knows (`AlarmSubject`); no construct switches on alarm ids.
 */
export interface AlarmCondition {
  /** true: only on data tiering (r6gd) nodes; false: never on them. */
  readonly dataTiering?: boolean;
  /** Only on this engine at this version or later (`['valkey', 9, 1]`). */
  readonly engineAtLeast?: readonly [engine: string, major: number, minor: number];
  /** Which CPU metric fits the node type: `engine` for 4+ vCPUs (and unknown types), `host` for 2 or fewer. */
  readonly cpu?: 'engine' | 'host';
  /** Only with replicas. */
  readonly replicas?: boolean;
  /** Only under asynchronous durability. */
  readonly asyncDurability?: boolean;
  /** Only with a configured data storage maximum (serverless). */
  readonly dataStorageMaximum?: boolean;
  /** Only with a configured ECPU per second maximum (serverless). */
  readonly ecpuMaximum?: boolean;
  /** Only under a TTL policy that requires a TTL on every key. */
  readonly requireTtl?: boolean;
  /** Only when a canary runs the check on a schedule. */
  readonly canary?: boolean;
  /** Only on a Global Datastore secondary. */
  readonly globalSecondary?: boolean;
}

/** What the conditions and thresholds of an alarm are read against. */
export interface AlarmSubject {
  readonly flavour?: CacheFlavour;
  readonly engine?: string;
  readonly engineVersion?: string;
  /** Node type of a cluster, for data tiering, maxclients and vCPUs. */
  readonly nodeType?: string;
  readonly replicasPerShard?: number;
  readonly asyncDurability?: boolean;
  readonly dataStorageMaximum?: boolean;
  readonly ecpuMaximum?: boolean;
  readonly requireTtl?: boolean;
  readonly canary?: boolean;
  /** True when the eviction policy is allkeys-*, so evictions are routine. */
  readonly evictsAnyKey?: boolean;
  /** The memory reserve of a cluster with vector indexes (%), for the index memory the cache was sized for. */
  readonly reservedMemoryPercent?: number;
  /** True for a Global Datastore secondary. */
  readonly globalSecondary?: boolean;
}

/**
 * How a default threshold follows the cache's configuration: `evictionPolicy` (to `anyKey` when the policy evicts any
 * key), `vcpus` (the threshold spread over the node's vCPUs), `maxClients` (a share of the node type's maxclients),
 * `searchReserve` (the vector index memory the cache was sized for, from its reserve).
 */
export type ThresholdScaling =
  | { readonly by: 'evictionPolicy'; readonly anyKey: number }
  | { readonly by: 'vcpus' }
  | { readonly by: 'maxClients'; readonly share: number }
  | { readonly by: 'searchReserve' };

export interface AlarmDefinition {
  readonly id: string;
  readonly family: AlarmFamily;
  readonly flavours: readonly CacheFlavour[];
  readonly kind: AlarmKind;
  /**
   * CloudWatch metrics the alarm reads: namespace AWS/ElastiCache, or `namespace` for the toolkit's own (`toolkit`,
   * `sum-ratio`: numerator first).
   */
  readonly metrics: readonly string[];
  /** The toolkit namespace of `toolkit` and `sum-ratio` alarms. */
  readonly namespace?: string;
  /**
   * Metrics a serverless cache's alarm reads instead, where its metrics differ (serverless caches publish no
   * `CacheMisses`).
   */
  readonly serverlessMetrics?: readonly string[];
  /** Statistic of each metric per period. */
  readonly statistic: 'Average' | 'Maximum' | 'Sum' | 'Minimum' | 'SampleCount';
  /** How node values (and several metrics) combine into the alarm value. */
  readonly combine: 'MAX' | 'SUM';
  /** The period of each datapoint; `interval` for an SLO alarm, whose period is the canary's interval. */
  readonly periodSeconds: number;
  /** Default threshold; `thresholdFor()` adjusts it as `scaling` says. */
  readonly threshold: number;
  readonly scaling?: ThresholdScaling;
  readonly comparison: AlarmComparison;
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  readonly treatMissingData: MissingData;
  readonly severity: AlarmSeverity;
  /** Runbook id: runbooks/<runbook>.md. */
  readonly runbook: string;
  /** One line: what the alarm says when it fires. */
  readonly summary: string;
  /** Where the default threshold comes from. */
  readonly source: string;
  /** Unit of the threshold as people read it. */
  readonly unit: string;
  /** When the alarm applies (besides `flavours`); always when absent. */
  readonly appliesWhen?: AlarmCondition;
  /** How a computed value (`per-second`, `share-of-maximum`, `sum-ratio`) is labelled in the alarm and on graphs. */
  readonly label?: string;
}

const BOTH = [CacheFlavour.SERVERLESS, CacheFlavour.CLUSTER] as const;
const CLUSTER = [CacheFlavour.CLUSTER] as const;
const SERVERLESS = [CacheFlavour.SERVERLESS] as const;

/** Minimum requests per period before the hit-ratio alarm may fire: an idle cache must not page anyone. */
export const HIT_RATIO_MINIMUM_REQUESTS = 100;

/** The cache family: what `CacheAlarms` creates, each where `flavours` and `appliesWhen` hold. */
const CACHE_FAMILY: readonly AlarmDefinition[] = [
  {
    id: 'memory-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseMemoryUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 80, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'memory-high', unit: '%',
    summary: 'Memory used by data is above the threshold share of maxmemory on at least one node; at 100 % the eviction policy acts or writes fail with OOM.',
    source: 'AWS alarm packs (aws/agent-toolkit-for-aws): DatabaseMemoryUsagePercentage Max > 80, 3 of 5; AWS operations-review thresholds: > 80 HIGH, > 90 CRITICAL. Not on data tiering nodes, which run memory full by design',
    appliesWhen: { dataTiering: false },
  },
  {
    id: 'memory-critical', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseMemoryUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'memory-high', unit: '%',
    summary: 'Memory used by data is above 90 % of maxmemory on at least one node: evictions or OOM errors are minutes away.',
    source: 'AWS operations-review thresholds (aws-samples/sample-elasticache-operations-review): DatabaseMemoryUsagePercentage Max > 90 CRITICAL',
    appliesWhen: { dataTiering: false },
  },
  {
    id: 'capacity-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseCapacityUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 80, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'capacity-high', unit: '%',
    summary: 'Data tiering: memory and SSD together are above the threshold share of their capacity on at least one node; when both are full the eviction policy acts or writes fail.',
    source: 'ElastiCache metrics: on data-tiered nodes DatabaseCapacityUsagePercentage = (used_memory - mem_not_counted_for_evict + SSD used) / (maxmemory + SSD total); ' +
      'memory at 100 % is normal there (auto scaling page). The memory alarm tiers (80 / 90) applied to the whole capacity',
    appliesWhen: { dataTiering: true },
  },
  {
    id: 'capacity-critical', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseCapacityUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'capacity-high', unit: '%',
    summary: 'Data tiering: memory and SSD together are above 90 % of their capacity on at least one node: evictions or OOM errors are minutes away.',
    source: 'As capacity-high, at the critical tier of the memory alarm (> 90)',
    appliesWhen: { dataTiering: true },
  },
  {
    id: 'evictions', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['Evictions'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'evictions', unit: 'keys per 5 min',
    summary: 'Keys are being evicted for lack of memory.',
    source: 'With volatile policies or serverless any eviction is news (0); with allkeys-* policies evictions are routine, so 100 per 5 min (AWS alarm packs: Sum/300 s > 100, 2 of 3)',
    scaling: { by: 'evictionPolicy', anyKey: 100 },
  },
  {
    id: 'hit-ratio-low', family: 'cache', flavours: BOTH, kind: 'hit-ratio', metrics: ['CacheHits', 'CacheMisses'], serverlessMetrics: ['CacheHitRate', 'TotalCmdsCount'],
    statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 80, comparison: 'LessThanThreshold', datapointsToAlarm: 4, evaluationPeriods: 6,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'hit-ratio-low', unit: '%',
    summary: `Hit ratio (hits / (hits + misses)) is below the threshold while traffic is at least ${HIT_RATIO_MINIMUM_REQUESTS} requests per 5 min.`,
    source: 'AWS alarm packs: CacheHitRate Avg/300 s < 80, 4 of 6; on clusters computed from CacheHits and CacheMisses so that it can be guarded by ' +
      'reads; serverless caches publish CacheHitRate and TotalCmdsCount but no CacheMisses, so there the guard counts commands',
  },
  {
    id: 'engine-cpu-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['EngineCPUUtilization'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'engine-cpu-high', unit: '%',
    summary: 'The engine thread of at least one node is busy above the threshold; latency rises as commands queue.',
    source: 'CloudWatch recommended alarms: EngineCPUUtilization Average > 90, 5 of 5; for nodes with 4 or more vCPUs',
    appliesWhen: { cpu: 'engine' },
  },
  {
    id: 'cpu-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['CPUUtilization'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'cpu-high', unit: '%',
    summary: 'Host CPU of at least one small node (2 vCPUs or fewer) is above the threshold; the single engine thread is saturated.',
    source: 'CloudWatch recommended alarms: for nodes with 2 vCPUs or fewer use CPUUtilization > 90 / vCPUs, 5 of 5',
    appliesWhen: { cpu: 'host' },
    scaling: { by: 'vcpus' },
  },
  {
    id: 'connections-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['CurrConnections'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 52000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 10, evaluationPeriods: 10,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'connections-high', unit: 'connections',
    summary: 'Open connections on at least one node are above 80 % of its maxclients; new connections will be refused at the limit.',
    source: 'CloudWatch recommended alarms: CurrConnections, 10 of 10; 80 % of maxclients (65,000; 20,000 on micro, 46,000 on t3.small/medium)',
    scaling: { by: 'maxClients', share: 0.8 },
  },
  {
    id: 'connection-storm', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['NewConnections'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 1000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'connection-storm', unit: 'connections per minute',
    summary: 'Clients open connections at a storm rate (no pooling, or a reconnect loop); TLS handshakes cost the engine CPU.',
    source: 'AWS alarm packs: NewConnections Sum/60 s > 1000, 2 of 3',
  },
  {
    id: 'replication-lag', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['ReplicationLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 1, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'replication-lag', unit: 's',
    summary: 'A replica is more than the threshold behind its primary; reads from replicas are stale and a failover may lose writes.',
    source: 'AWS alarm packs: ReplicationLag Max > 1 s, 3 of 5',
    appliesWhen: { replicas: true },
  },
  {
    id: 'global-datastore-lag', family: 'cache', flavours: CLUSTER, kind: 'account', metrics: ['GlobalDatastoreReplicationLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 10, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'missing', severity: 'critical', runbook: 'global-datastore-lag', unit: 's',
    summary: 'A Global Datastore secondary in this Region is more than the threshold behind the primary Region: its reads are stale and promoting it now would lose those writes.',
    source: 'toolkit default: no AWS page gives a threshold (docs/aws-facts.md, "Global Datastore"); 10 s for 5 minutes, ten times the "generally less than 1 second" recovery point the AWS disaster recovery workshop gives for Global Datastore',
    appliesWhen: { globalSecondary: true },
  },
  {
    id: 'replication-lag-critical', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['ReplicationLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 5, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'replication-lag', unit: 's',
    summary: 'A replica is more than 5 s behind its primary: a failover now would lose seconds of writes, and replica reads are far out of date.',
    source: 'AWS operations-review thresholds: ReplicationLag > 5 s CRITICAL',
    appliesWhen: { replicas: true },
  },
  {
    id: 'swap-high', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['SwapUsage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 50 * 1024 * 1024, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'swap-high', unit: 'bytes',
    summary: 'A node is swapping more than 50 MB; memory pages on disk make latency unpredictable.',
    source: 'ElastiCache "Which metrics should I monitor": SwapUsage should stay below 50 MB',
  },
  {
    id: 'network-allowance', family: 'cache', flavours: CLUSTER, kind: 'metric',
    metrics: ['NetworkBandwidthInAllowanceExceeded', 'NetworkBandwidthOutAllowanceExceeded', 'NetworkPacketsPerSecondAllowanceExceeded', 'NetworkConntrackAllowanceExceeded'],
    statistic: 'Sum', combine: 'SUM', periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'network-allowance', unit: 'packets shaped',
    summary: 'Packets are queued or dropped because a node exceeded its instance network allowance (bandwidth, packets per second or conntrack).',
    source: 'ElastiCache metrics: any *AllowanceExceeded > 0 means traffic was shaped',
  },
  {
    id: 'traffic-management', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['TrafficManagementActive'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 10, evaluationPeriods: 10,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'traffic-management', unit: '0/1',
    summary: 'ElastiCache has been managing (throttling) traffic on a node for 10 minutes: the node is under-scaled.',
    source: 'ElastiCache "Which metrics should I monitor": a persistent TrafficManagementActive = 1 means the node is under-scaled',
  },
  {
    id: 'durability-lag', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DurabilityLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 5000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'durability-lag', unit: 'ms',
    summary: 'Asynchronous durability: the oldest write not yet in the Multi-AZ transactional log is over 5 s old on a node; at 10 s the primary rejects writes.',
    source: 'ElastiCache Durability "Monitoring": as DurabilityLag approaches 10,000 ms the primary begins rejecting writes; half of that leaves time to act',
    appliesWhen: { asyncDurability: true },
  },
  {
    id: 'durability-writes-rejected', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DurabilityBufferExceededErrorCount'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'durability-writes-rejected', unit: 'writes',
    summary: 'Asynchronous durability: a primary rejected writes because its durability buffer exceeded 10 s; clients see failed writes until it catches up.',
    source: 'ElastiCache Durability "Monitoring": when DurabilityBufferExceededErrorCount is non-zero, write requests are rejected',
    appliesWhen: { asyncDurability: true },
  },
  {
    id: 'storage-near-limit', family: 'cache', flavours: SERVERLESS, kind: 'share-of-maximum', metrics: ['BytesUsedForCache'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 75, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'storage-near-limit', unit: '% of maximum',
    summary: 'Data stored is above the threshold share of the configured storage maximum; at the maximum keys with a TTL are evicted and other writes fail.',
    source: 'ElastiCache serverless scaling guide: alarm at 75 % of the maximum BytesUsedForCache',
    appliesWhen: { dataStorageMaximum: true },
    label: 'Storage (% of maximum)',
  },
  {
    id: 'ecpu-near-limit', family: 'cache', flavours: SERVERLESS, kind: 'per-second', metrics: ['ElastiCacheProcessingUnits'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 75, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'ecpu-near-limit', unit: '% of maximum',
    summary: 'ECPU per second is above the threshold share of the configured maximum; at the maximum requests are throttled.',
    source: 'ElastiCache serverless scaling guide: alarm at 75 % of the maximum ElastiCacheProcessingUnits',
    appliesWhen: { ecpuMaximum: true },
    label: 'ECPU/s (% of maximum)',
  },
  {
    id: 'throttling', family: 'cache', flavours: SERVERLESS, kind: 'metric', metrics: ['ThrottledCmds'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'throttling', unit: 'commands',
    summary: 'Requests are being throttled: the cache reached its ECPU maximum or scales slower than the load rises.',
    source: 'AWS alarm packs: serverless ThrottledCmds Sum > 0, 2 of 3',
  },
  {
    id: 'latency-high', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency'],
    statistic: 'Average', combine: 'MAX', periodSeconds: 60, threshold: 5000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'latency-high', unit: 'µs',
    summary: 'Server-side read or write latency is above the threshold on at least one node.',
    source: 'AWS alarm packs: read/write latency Avg > 5000 µs, 3 of 5',
  },
  {
    id: 'latency-critical', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency'],
    statistic: 'Average', combine: 'MAX', periodSeconds: 60, threshold: 10000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'latency-high', unit: 'µs',
    summary: 'Server-side read or write latency is above 10 ms on at least one node: a cache that slow is no longer doing its job.',
    source: 'AWS operations-review thresholds: read latency > 10 ms CRITICAL',
  },
  {
    id: 'authentication-failures', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['AuthenticationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authentication-failures', unit: 'failed AUTH per 5 min',
    summary: 'Clients failed to authenticate (AUTH or HELLO with a wrong or expired password or token): a client with stale credentials, or someone guessing.',
    source: 'ElastiCache metrics: AuthenticationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"; AWS operations-review: any non-zero value is a finding',
  },
  {
    id: 'command-authorization-failures', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['CommandAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused commands per 5 min',
    summary: 'Users ran commands their access string does not allow (NOPERM): a client sending commands it was not granted, or probing.',
    source: 'ElastiCache metrics: CommandAuthorizationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"',
  },
  {
    id: 'key-authorization-failures', family: 'cache', flavours: BOTH, kind: 'metric', metrics: ['KeyAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused key accesses per 5 min',
    summary: 'Users touched keys outside their key patterns (NOPERM): a client writing under a prefix it was not granted, or probing.',
    source: 'ElastiCache metrics: KeyAuthorizationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"',
  },
  {
    id: 'database-authorization-failures', family: 'cache', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused database accesses per 5 min',
    summary: 'Users selected or used databases their db= restriction does not allow (Valkey 9.1+).',
    source: 'ElastiCache metrics: DatabaseAuthorizationFailures, "Available for Valkey 9.1 and later"',
    appliesWhen: { engineAtLeast: ['valkey', 9, 1] },
  },
  {
    id: 'ttl-missing', family: 'cache', flavours: BOTH, kind: 'missing-ttl', metrics: ['CurrItems', 'CurrVolatileItems'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 300, threshold: 1, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'ttl-missing', unit: '% of keys',
    summary: 'More than the threshold share of keys has no TTL although the TTL policy requires one; such keys never expire.',
    source: 'TTL policy requireTtl: every key must expire; 1 % leaves room for keys written between two samples',
    appliesWhen: { requireTtl: true },
  },
  {
    id: 'cache-unhealthy', family: 'cache', flavours: BOTH, kind: 'composite', metrics: [], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'cache-unhealthy', unit: '',
    summary: 'At least one critical alarm of this cache is in ALARM.',
    source: 'Composite of the critical alarms: one page per cache instead of one per symptom',
  },
];

/**
 * The SLO family (`LatencySlo`): on `SloMet` of the check (namespace ElastiCacheToolkit/SLO, dimensions Cache and
 * Profile); their period is the canary's interval (one check per period). `slo-check-failing` counts silence as
 * breaching: a check that errored, timed out or could not reach the cache publishes no `SloMet` value.
 */
const SLO_FAMILY: readonly AlarmDefinition[] = [
  {
    id: 'slo-breach', family: 'slo', flavours: BOTH, kind: 'toolkit', namespace: SLO_NAMESPACE, metrics: [SLO_METRICS.sloMet.name],
    statistic: 'Minimum', combine: 'MAX', periodSeconds: 900, threshold: 1, comparison: 'LessThanThreshold',
    datapointsToAlarm: 2, evaluationPeriods: 3, treatMissingData: 'notBreaching', severity: 'critical', runbook: 'slo-breach', unit: '',
    summary: 'The latency SLO check failed in 2 of the last 3 checks: the cache is slower, or fails more, than its SLO allows.',
    source: 'One failed check is often a noisy neighbour or a cold connection; two of three is a trend worth a page',
  },
  {
    id: 'slo-check-failing', family: 'slo', flavours: BOTH, kind: 'toolkit', namespace: SLO_NAMESPACE, metrics: [SLO_METRICS.sloMet.name],
    statistic: 'SampleCount', combine: 'MAX', periodSeconds: 900, threshold: 1, comparison: 'LessThanThreshold',
    datapointsToAlarm: 2, evaluationPeriods: 2, treatMissingData: 'breaching', severity: 'warning', runbook: 'slo-check-failing', unit: '',
    summary: 'The SLO check has not reported a result for 2 check intervals: it errors, times out or cannot reach the cache, so the SLO is unwatched.',
    source: 'Silence is the symptom, so missing data breaches; two intervals ride out one lost invocation',
    appliesWhen: { canary: true },
  },
];

/**
 * The semantic cache family (`SemanticCacheAlarms`), from the metrics the runtime client writes as embedded-metric-format
 * log lines (namespace ElastiCacheToolkit/SemanticCache, dimension Cache). A ratio of two sums over every record:
 * averaging the records' own ratios would weigh a record of one lookup like one of a hundred.
 */
const SEMANTIC_FAMILY: readonly AlarmDefinition[] = [
  {
    id: 'semantic-hit-ratio-low', family: 'semantic', flavours: BOTH, kind: 'sum-ratio', namespace: SEMANTIC_NAMESPACE,
    metrics: [SEMANTIC_METRICS.hits.name, SEMANTIC_METRICS.lookups.name], statistic: 'Sum', combine: 'SUM', periodSeconds: 300,
    threshold: 25, comparison: 'LessThanThreshold', datapointsToAlarm: 4, evaluationPeriods: 6, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'semantic-hit-ratio-low', unit: '%',
    summary: 'The semantic cache answers fewer prompts than expected: its hit ratio stayed below the threshold for 20 of the last 30 minutes.',
    source: 'AWS semantic-caching guidance: about 25 % of prompts hit at similarity threshold 0.95, 55 % at 0.90; set the expectation of your threshold',
    label: 'Semantic hit ratio (%)',
  },
];

/**
 * The vector index family (a `ClusterCache` with `vectorIndexes`): the index function's health metrics (namespace
 * ElastiCacheToolkit/Search, dimension Cache) and ElastiCache's own `SearchUsedMemoryBytes` per node.
 */
const VECTOR_INDEX_FAMILY: readonly AlarmDefinition[] = [
  {
    id: 'vector-index-out-of-memory', family: 'vector-index', flavours: CLUSTER, kind: 'toolkit', namespace: SEARCH_NAMESPACE,
    metrics: [SEARCH_METRICS.pausedByOom.name], statistic: 'Maximum', combine: 'MAX', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 1, evaluationPeriods: 1, treatMissingData: 'notBreaching',
    severity: 'critical', runbook: 'vector-index-out-of-memory', unit: '',
    summary: 'A vector index stopped ingesting: its backfill is paused because the node is out of memory, so new and changed keys are missing from searches.',
    source: 'valkey-search FT.INFO: state backfill_paused_by_oom "backfill is paused because the Valkey instance is out of memory"',
  },
  {
    id: 'vector-index-backfill-stalled', family: 'vector-index', flavours: CLUSTER, kind: 'toolkit', namespace: SEARCH_NAMESPACE,
    metrics: [SEARCH_METRICS.backfilling.name], statistic: 'Maximum', combine: 'MAX', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 6, evaluationPeriods: 6, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-backfill-stalled', unit: '',
    summary: 'A vector index has been backfilling for 30 minutes: until it ends, searches on it miss keys (after FT.CREATE, a failover, a restore or scaling).',
    source: 'ElastiCache guide, vector-search-features-limits: indexes are rebuilt by a backfill after a node starts; toolkit choice of 30 minutes',
  },
  {
    id: 'vector-index-memory-high', family: 'vector-index', flavours: CLUSTER, kind: 'node-share', metrics: ['SearchUsedMemoryBytes'],
    statistic: 'Maximum', combine: 'MAX', periodSeconds: 300, threshold: searchMemoryThresholdPercent(0), scaling: { by: 'searchReserve' },
    comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-memory-high', unit: '% of maxmemory',
    summary: 'The vector indexes use more memory than the cache was sized for: the index copy of the vectors outgrew its share of maxmemory.',
    source: 'ElastiCache guide, choosing-configuration: each index holds an additional copy of the vector; the toolkit sizes vector data at 80 % of data memory. ' +
      'Read from SearchUsedMemoryBytes (ElastiCache guide, CacheMetrics.Redis)',
  },
  {
    id: 'vector-index-health-missing', family: 'vector-index', flavours: CLUSTER, kind: 'toolkit', namespace: SEARCH_NAMESPACE,
    metrics: [SEARCH_METRICS.backfilling.name], statistic: 'SampleCount', combine: 'MAX', periodSeconds: 300,
    threshold: 1, comparison: 'LessThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'breaching',
    severity: 'warning', runbook: 'vector-index-health-missing', unit: '',
    summary: 'No vector index health for 15 minutes: the function that reads it cannot reach or read the cache, so the other vector-index alarms are blind.',
    source: 'toolkit: the health is written every 5 minutes; three missing points mean its function fails',
  },
];

/** Every alarm the toolkit creates, one entry each; `AlarmId` names each id, a test keeps both in step. */
export const ALARM_CATALOG: readonly AlarmDefinition[] = [...CACHE_FAMILY, ...SLO_FAMILY, ...SEMANTIC_FAMILY, ...VECTOR_INDEX_FAMILY];

/** The alarms one construct creates. */
export function alarmsOf(family: AlarmFamily): readonly AlarmDefinition[] {
  return ALARM_CATALOG.filter((a) => a.family === family);
}

/** The cache family: what `CacheAlarms` creates. */
export const ALARMS: readonly AlarmDefinition[] = alarmsOf('cache');
/** The SLO family: what `LatencySlo` creates. */
export const SLO_ALARMS: readonly AlarmDefinition[] = alarmsOf('slo');
/** The semantic cache family: what `SemanticCacheAlarms` creates. */
export const SEMANTIC_ALARMS: readonly AlarmDefinition[] = alarmsOf('semantic');
/** The vector index family: what a cluster's `vectorIndexes` create. */
export const SEARCH_ALARMS: readonly AlarmDefinition[] = alarmsOf('vector-index');

export function alarmDefinition(id: string): AlarmDefinition {
  const found = ALARM_CATALOG.find((a) => a.id === id);
  if (!found) throw new Error(`alarm id: got ${JSON.stringify(id)}; the catalog has ${ALARM_CATALOG.map((a) => a.id).join(', ')}`);
  return found;
}

/** The default threshold of an alarm for a cache's configuration, as its `scaling` says. */
export function thresholdFor(def: AlarmDefinition, subject: AlarmSubject): number {
  const facts = subject.nodeType ? nodeTypeFacts(subject.nodeType) : undefined;
  switch (def.scaling?.by) {
    case 'evictionPolicy':
      return subject.evictsAnyKey ? def.scaling.anyKey : def.threshold;
    case 'vcpus':
      return facts ? Math.round((def.threshold / facts.vcpus) * 10) / 10 : def.threshold;
    case 'maxClients':
      return facts ? Math.floor(facts.maxClients * def.scaling.share) : def.threshold;
    case 'searchReserve':
      return searchMemoryThresholdPercent(subject.reservedMemoryPercent ?? 0);
    default:
      return def.threshold;
  }
}

/**
 * Which CPU metric fits a node type: EngineCPUUtilization (`engine`) for 4+ vCPUs, CPUUtilization (`host`) for 2 or
 * fewer (ElastiCache "Which metrics should I monitor"). Unknown node types get the engine CPU alarm.
 */
export function cpuKindFor(nodeType: string | undefined): 'engine' | 'host' {
  const facts = nodeType ? nodeTypeFacts(nodeType) : undefined;
  return facts && facts.vcpus <= 2 ? 'host' : 'engine';
}

/** The CPU alarm of the catalog that fits a node type (see `cpuKindFor`). */
export function cpuAlarmFor(nodeType: string | undefined): string {
  const kind = cpuKindFor(nodeType);
  return ALARM_CATALOG.find((a) => a.appliesWhen?.cpu === kind)!.id;
}

/** `major.minor` of an engine version (`7.1`, `9.0.1`), or undefined. */
function versionOf(text: string | undefined): [number, number] | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** Whether an alarm applies to a subject: its flavour is one of the alarm's, and every condition it names holds. */
export function alarmApplies(def: AlarmDefinition, subject: AlarmSubject): boolean {
  if (subject.flavour !== undefined && !def.flavours.includes(subject.flavour)) return false;
  const c = def.appliesWhen ?? {};
  const tiered = subject.nodeType !== undefined && (nodeTypeFacts(subject.nodeType)?.dataTiering ?? false);
  if (c.dataTiering !== undefined && c.dataTiering !== tiered) return false;
  if (c.engineAtLeast) {
    const [engine, major, minor] = c.engineAtLeast;
    const version = versionOf(subject.engineVersion);
    if (subject.engine !== engine || !version || version[0] < major || (version[0] === major && version[1] < minor)) return false;
  }
  if (c.cpu !== undefined && c.cpu !== cpuKindFor(subject.nodeType)) return false;
  const flags: Array<[boolean | undefined, boolean]> = [
    [c.replicas, (subject.replicasPerShard ?? 1) > 0], [c.asyncDurability, subject.asyncDurability ?? false],
    [c.dataStorageMaximum, subject.dataStorageMaximum ?? false], [c.ecpuMaximum, subject.ecpuMaximum ?? false],
    [c.requireTtl, subject.requireTtl ?? false], [c.canary, subject.canary ?? false],
    [c.globalSecondary, subject.globalSecondary ?? false],
  ];
  return flags.every(([wanted, actual]) => wanted === undefined || wanted === actual);
}

/**
 * The thresholds an alarm's metric can reach: 0-100 for percentages, 0-1 for a flag, 0 and up for counts, bytes,
 * seconds and microseconds. A threshold outside it could never (or would always) fire.
 */
export function thresholdRange(def: AlarmDefinition): readonly [number, number] {
  if (def.unit.startsWith('%')) return [0, 100];
  if (def.unit === '0/1') return [0, 1];
  return [0, Number.MAX_SAFE_INTEGER];
}
