/**
 * The alarm catalog: one entry per alarm, plain data read by the constructs (CacheAlarms, CacheDashboard), the CLI,
 * the runbooks and the tests. Thresholds come from docs/aws-facts.md ("Alarm thresholds that AWS publishes") or carry the
 * reason they were chosen. `runbook` names its runbook, runbooks/<runbook>.md (a warning and its critical tier share one).
 */
import { CacheFlavour } from './metrics';
import { nodeTypeFacts } from './node-types';

export type AlarmSeverity = 'critical' | 'warning';
export type AlarmComparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
export type MissingData = 'notBreaching' | 'breaching' | 'missing' | 'ignore';

/**
 * How the alarm's value is computed:
 * - `metric`: the metrics in `metrics`, combined across nodes (and across the listed metrics) with `combine`;
 * - `hit-ratio`: 100 × hits / (hits + misses) on clusters, `CacheHitRate` on serverless caches; 100 while fewer than
 *   `minimumRequests` reads (clusters) or commands (serverless) arrive per period;
 * - `missing-ttl`: 100 × (items − volatile items) / items, 0 for an empty cache;
 * - `per-second`: the Sum over the period divided by the period in seconds (ECPU/s);
 * - `composite`: any critical alarm of the cache in ALARM.
 */
export type AlarmKind = 'metric' | 'hit-ratio' | 'missing-ttl' | 'per-second' | 'composite';

export interface AlarmDefinition {
  readonly id: string;
  readonly flavours: readonly CacheFlavour[];
  readonly kind: AlarmKind;
  /** CloudWatch metrics the alarm reads (namespace AWS/ElastiCache). */
  readonly metrics: readonly string[];
  /**
   * Metrics a serverless cache's alarm reads instead, where its metrics differ (serverless caches publish no
   * `CacheMisses`).
   */
  readonly serverlessMetrics?: readonly string[];
  /** Statistic of each metric per period. */
  readonly statistic: 'Average' | 'Maximum' | 'Sum' | 'Minimum';
  /** How node values (and several metrics) combine into the alarm value. */
  readonly combine: 'MAX' | 'SUM';
  readonly periodSeconds: number;
  /** Default threshold; `thresholdFor()` adjusts the ones that depend on configuration. */
  readonly threshold: number;
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
}

const BOTH = [CacheFlavour.SERVERLESS, CacheFlavour.CLUSTER] as const;
const CLUSTER = [CacheFlavour.CLUSTER] as const;
const SERVERLESS = [CacheFlavour.SERVERLESS] as const;

/** Minimum requests per period before the hit-ratio alarm may fire: an idle cache must not page anyone. */
export const HIT_RATIO_MINIMUM_REQUESTS = 100;

export const ALARMS: readonly AlarmDefinition[] = [
  {
    id: 'memory-high', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseMemoryUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 80, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'memory-high', unit: '%',
    summary: 'Memory used by data is above the threshold share of maxmemory on at least one node; at 100 % the eviction policy acts or writes fail with OOM.',
    source: 'AWS alarm packs (aws/agent-toolkit-for-aws): DatabaseMemoryUsagePercentage Max > 80, 3 of 5; AWS operations-review thresholds: > 80 HIGH, > 90 CRITICAL. Not on data tiering nodes, which run memory full by design',
  },
  {
    id: 'memory-critical', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseMemoryUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'memory-high', unit: '%',
    summary: 'Memory used by data is above 90 % of maxmemory on at least one node: evictions or OOM errors are minutes away.',
    source: 'AWS operations-review thresholds (aws-samples/sample-elasticache-operations-review): DatabaseMemoryUsagePercentage Max > 90 CRITICAL',
  },
  {
    id: 'capacity-high', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseCapacityUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 80, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'capacity-high', unit: '%',
    summary: 'Data tiering: memory and SSD together are above the threshold share of their capacity on at least one node; when both are full the eviction policy acts or writes fail.',
    source: 'ElastiCache metrics: on data-tiered nodes DatabaseCapacityUsagePercentage = (used_memory - mem_not_counted_for_evict + SSD used) / (maxmemory + SSD total); ' +
      'memory at 100 % is normal there (auto scaling page). The memory alarm tiers (80 / 90) applied to the whole capacity',
  },
  {
    id: 'capacity-critical', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseCapacityUsagePercentage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'capacity-high', unit: '%',
    summary: 'Data tiering: memory and SSD together are above 90 % of their capacity on at least one node: evictions or OOM errors are minutes away.',
    source: 'As capacity-high, at the critical tier of the memory alarm (> 90)',
  },
  {
    id: 'evictions', flavours: BOTH, kind: 'metric', metrics: ['Evictions'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'evictions', unit: 'keys per 5 min',
    summary: 'Keys are being evicted for lack of memory.',
    source: 'With volatile policies or serverless any eviction is news (0); with allkeys-* policies evictions are routine, so 100 per 5 min (AWS alarm packs: Sum/300 s > 100, 2 of 3)',
  },
  {
    id: 'hit-ratio-low', flavours: BOTH, kind: 'hit-ratio', metrics: ['CacheHits', 'CacheMisses'], serverlessMetrics: ['CacheHitRate', 'TotalCmdsCount'],
    statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 80, comparison: 'LessThanThreshold', datapointsToAlarm: 4, evaluationPeriods: 6,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'hit-ratio-low', unit: '%',
    summary: `Hit ratio (hits / (hits + misses)) is below the threshold while traffic is at least ${HIT_RATIO_MINIMUM_REQUESTS} requests per 5 min.`,
    source: 'AWS alarm packs: CacheHitRate Avg/300 s < 80, 4 of 6; on clusters computed from CacheHits and CacheMisses so that it can be guarded by ' +
      'reads; serverless caches publish CacheHitRate and TotalCmdsCount but no CacheMisses, so there the guard counts commands',
  },
  {
    id: 'engine-cpu-high', flavours: CLUSTER, kind: 'metric', metrics: ['EngineCPUUtilization'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'engine-cpu-high', unit: '%',
    summary: 'The engine thread of at least one node is busy above the threshold; latency rises as commands queue.',
    source: 'CloudWatch recommended alarms: EngineCPUUtilization Average > 90, 5 of 5; for nodes with 4 or more vCPUs',
  },
  {
    id: 'cpu-high', flavours: CLUSTER, kind: 'metric', metrics: ['CPUUtilization'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 60, threshold: 90, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'cpu-high', unit: '%',
    summary: 'Host CPU of at least one small node (2 vCPUs or fewer) is above the threshold; the single engine thread is saturated.',
    source: 'CloudWatch recommended alarms: for nodes with 2 vCPUs or fewer use CPUUtilization > 90 / vCPUs, 5 of 5',
  },
  {
    id: 'connections-high', flavours: CLUSTER, kind: 'metric', metrics: ['CurrConnections'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 52000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 10, evaluationPeriods: 10,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'connections-high', unit: 'connections',
    summary: 'Open connections on at least one node are above 80 % of its maxclients; new connections will be refused at the limit.',
    source: 'CloudWatch recommended alarms: CurrConnections, 10 of 10; 80 % of maxclients (65,000; 20,000 on micro, 46,000 on t3.small/medium)',
  },
  {
    id: 'connection-storm', flavours: BOTH, kind: 'metric', metrics: ['NewConnections'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 1000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'connection-storm', unit: 'connections per minute',
    summary: 'Clients open connections at a storm rate (no pooling, or a reconnect loop); TLS handshakes cost the engine CPU.',
    source: 'AWS alarm packs: NewConnections Sum/60 s > 1000, 2 of 3',
  },
  {
    id: 'replication-lag', flavours: CLUSTER, kind: 'metric', metrics: ['ReplicationLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 1, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'replication-lag', unit: 's',
    summary: 'A replica is more than the threshold behind its primary; reads from replicas are stale and a failover may lose writes.',
    source: 'AWS alarm packs: ReplicationLag Max > 1 s, 3 of 5',
  },
  {
    id: 'replication-lag-critical', flavours: CLUSTER, kind: 'metric', metrics: ['ReplicationLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 5, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'replication-lag', unit: 's',
    summary: 'A replica is more than 5 s behind its primary: a failover now would lose seconds of writes, and replica reads are far out of date.',
    source: 'AWS operations-review thresholds: ReplicationLag > 5 s CRITICAL',
  },
  {
    id: 'swap-high', flavours: CLUSTER, kind: 'metric', metrics: ['SwapUsage'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 50 * 1024 * 1024, comparison: 'GreaterThanThreshold', datapointsToAlarm: 5, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'swap-high', unit: 'bytes',
    summary: 'A node is swapping more than 50 MB; memory pages on disk make latency unpredictable.',
    source: 'ElastiCache "Which metrics should I monitor": SwapUsage should stay below 50 MB',
  },
  {
    id: 'network-allowance', flavours: CLUSTER, kind: 'metric',
    metrics: ['NetworkBandwidthInAllowanceExceeded', 'NetworkBandwidthOutAllowanceExceeded', 'NetworkPacketsPerSecondAllowanceExceeded', 'NetworkConntrackAllowanceExceeded'],
    statistic: 'Sum', combine: 'SUM', periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'network-allowance', unit: 'packets shaped',
    summary: 'Packets are queued or dropped because a node exceeded its instance network allowance (bandwidth, packets per second or conntrack).',
    source: 'ElastiCache metrics: any *AllowanceExceeded > 0 means traffic was shaped',
  },
  {
    id: 'traffic-management', flavours: CLUSTER, kind: 'metric', metrics: ['TrafficManagementActive'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 10, evaluationPeriods: 10,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'traffic-management', unit: '0/1',
    summary: 'ElastiCache has been managing (throttling) traffic on a node for 10 minutes: the node is under-scaled.',
    source: 'ElastiCache "Which metrics should I monitor": a persistent TrafficManagementActive = 1 means the node is under-scaled',
  },
  {
    id: 'durability-lag', flavours: CLUSTER, kind: 'metric', metrics: ['DurabilityLag'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 5000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'durability-lag', unit: 'ms',
    summary: 'Asynchronous durability: the oldest write not yet in the Multi-AZ transactional log is over 5 s old on a node; at 10 s the primary rejects writes.',
    source: 'ElastiCache Durability "Monitoring": as DurabilityLag approaches 10,000 ms the primary begins rejecting writes; half of that leaves time to act',
  },
  {
    id: 'durability-writes-rejected', flavours: CLUSTER, kind: 'metric', metrics: ['DurabilityBufferExceededErrorCount'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'durability-writes-rejected', unit: 'writes',
    summary: 'Asynchronous durability: a primary rejected writes because its durability buffer exceeded 10 s; clients see failed writes until it catches up.',
    source: 'ElastiCache Durability "Monitoring": when DurabilityBufferExceededErrorCount is non-zero, write requests are rejected',
  },
  {
    id: 'storage-near-limit', flavours: SERVERLESS, kind: 'metric', metrics: ['BytesUsedForCache'], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 75, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'storage-near-limit', unit: '% of maximum',
    summary: 'Data stored is above the threshold share of the configured storage maximum; at the maximum keys with a TTL are evicted and other writes fail.',
    source: 'ElastiCache serverless scaling guide: alarm at 75 % of the maximum BytesUsedForCache',
  },
  {
    id: 'ecpu-near-limit', flavours: SERVERLESS, kind: 'per-second', metrics: ['ElastiCacheProcessingUnits'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 75, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'ecpu-near-limit', unit: '% of maximum',
    summary: 'ECPU per second is above the threshold share of the configured maximum; at the maximum requests are throttled.',
    source: 'ElastiCache serverless scaling guide: alarm at 75 % of the maximum ElastiCacheProcessingUnits',
  },
  {
    id: 'throttling', flavours: SERVERLESS, kind: 'metric', metrics: ['ThrottledCmds'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 2, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'throttling', unit: 'commands',
    summary: 'Requests are being throttled: the cache reached its ECPU maximum or scales slower than the load rises.',
    source: 'AWS alarm packs: serverless ThrottledCmds Sum > 0, 2 of 3',
  },
  {
    id: 'latency-high', flavours: BOTH, kind: 'metric', metrics: ['SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency'],
    statistic: 'Average', combine: 'MAX', periodSeconds: 60, threshold: 5000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'latency-high', unit: 'µs',
    summary: 'Server-side read or write latency is above the threshold on at least one node.',
    source: 'AWS alarm packs: read/write latency Avg > 5000 µs, 3 of 5',
  },
  {
    id: 'latency-critical', flavours: BOTH, kind: 'metric', metrics: ['SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency'],
    statistic: 'Average', combine: 'MAX', periodSeconds: 60, threshold: 10000, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 5,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'latency-high', unit: 'µs',
    summary: 'Server-side read or write latency is above 10 ms on at least one node: a cache that slow is no longer doing its job.',
    source: 'AWS operations-review thresholds: read latency > 10 ms CRITICAL',
  },
  {
    id: 'authentication-failures', flavours: BOTH, kind: 'metric', metrics: ['AuthenticationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authentication-failures', unit: 'failed AUTH per 5 min',
    summary: 'Clients failed to authenticate (AUTH or HELLO with a wrong or expired password or token): a client with stale credentials, or someone guessing.',
    source: 'ElastiCache metrics: AuthenticationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"; AWS operations-review: any non-zero value is a finding',
  },
  {
    id: 'command-authorization-failures', flavours: CLUSTER, kind: 'metric', metrics: ['CommandAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused commands per 5 min',
    summary: 'Users ran commands their access string does not allow (NOPERM): a client sending commands it was not granted, or probing.',
    source: 'ElastiCache metrics: CommandAuthorizationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"',
  },
  {
    id: 'key-authorization-failures', flavours: BOTH, kind: 'metric', metrics: ['KeyAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused key accesses per 5 min',
    summary: 'Users touched keys outside their key patterns (NOPERM): a client writing under a prefix it was not granted, or probing.',
    source: 'ElastiCache metrics: KeyAuthorizationFailures, "We suggest setting an alarm on this to detect unauthorized access attempts"',
  },
  {
    id: 'database-authorization-failures', flavours: CLUSTER, kind: 'metric', metrics: ['DatabaseAuthorizationFailures'], statistic: 'Sum', combine: 'SUM',
    periodSeconds: 300, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'authorization-failures', unit: 'refused database accesses per 5 min',
    summary: 'Users selected or used databases their db= restriction does not allow (Valkey 9.1+).',
    source: 'ElastiCache metrics: DatabaseAuthorizationFailures, "Available for Valkey 9.1 and later"',
  },
  {
    id: 'ttl-missing', flavours: BOTH, kind: 'missing-ttl', metrics: ['CurrItems', 'CurrVolatileItems'], statistic: 'Average', combine: 'MAX',
    periodSeconds: 300, threshold: 1, comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3,
    treatMissingData: 'notBreaching', severity: 'warning', runbook: 'ttl-missing', unit: '% of keys',
    summary: 'More than the threshold share of keys has no TTL although the TTL policy requires one; such keys never expire.',
    source: 'TTL policy requireTtl: every key must expire; 1 % leaves room for keys written between two samples',
  },
  {
    id: 'cache-unhealthy', flavours: BOTH, kind: 'composite', metrics: [], statistic: 'Maximum', combine: 'MAX',
    periodSeconds: 60, threshold: 0, comparison: 'GreaterThanThreshold', datapointsToAlarm: 1, evaluationPeriods: 1,
    treatMissingData: 'notBreaching', severity: 'critical', runbook: 'cache-unhealthy', unit: '',
    summary: 'At least one critical alarm of this cache is in ALARM.',
    source: 'Composite of the critical alarms: one page per cache instead of one per symptom',
  },
];

export function alarmDefinition(id: string): AlarmDefinition {
  const found = ALARMS.find((a) => a.id === id);
  if (!found) throw new Error(`alarm id: got ${JSON.stringify(id)}; the catalog has ${ALARMS.map((a) => a.id).join(', ')}`);
  return found;
}

/** What thresholds depend on. */
export interface ThresholdContext {
  /** Node type of a cluster, for maxclients and vCPUs. */
  readonly nodeType?: string;
  /** True when the eviction policy is allkeys-*, so evictions are routine. */
  readonly evictsAnyKey?: boolean;
}

/** The default threshold of an alarm for a cache's configuration. */
export function thresholdFor(def: AlarmDefinition, ctx: ThresholdContext): number {
  const facts = ctx.nodeType ? nodeTypeFacts(ctx.nodeType) : undefined;
  switch (def.id) {
    case 'evictions':
      return ctx.evictsAnyKey ? 100 : 0;
    case 'cpu-high':
      return facts ? Math.round((90 / facts.vcpus) * 10) / 10 : def.threshold;
    case 'connections-high':
      return facts ? Math.floor(facts.maxClients * 0.8) : def.threshold;
    default:
      return def.threshold;
  }
}

/**
 * Which CPU alarm fits a node type: EngineCPUUtilization for 4+ vCPUs, CPUUtilization for 2 or fewer
 * (ElastiCache "Which metrics should I monitor"). Unknown node types get the engine CPU alarm.
 */
export function cpuAlarmFor(nodeType: string | undefined): 'engine-cpu-high' | 'cpu-high' {
  const facts = nodeType ? nodeTypeFacts(nodeType) : undefined;
  return facts && facts.vcpus <= 2 ? 'cpu-high' : 'engine-cpu-high';
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
