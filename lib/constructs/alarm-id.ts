/**
 * The ids of the toolkit's alarms: the keys of `overrides`, the suffix of each alarm's name (`<cache>-<id>`), and the
 * runbook each one links (named in each constant's comment). Constants, so that every jsii language can name them.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
 */
export class AlarmId {
  /** `memory-high`: see runbooks/memory-high.md. */
  public static readonly MEMORY_HIGH = 'memory-high';
  /** `memory-critical`: see runbooks/memory-high.md. */
  public static readonly MEMORY_CRITICAL = 'memory-critical';
  /** `capacity-high`: see runbooks/capacity-high.md. */
  public static readonly CAPACITY_HIGH = 'capacity-high';
  /** `capacity-critical`: see runbooks/capacity-high.md. */
  public static readonly CAPACITY_CRITICAL = 'capacity-critical';
  /** `replication-lag-critical`: see runbooks/replication-lag.md. */
  public static readonly REPLICATION_LAG_CRITICAL = 'replication-lag-critical';
  /** `latency-critical`: see runbooks/latency-high.md. */
  public static readonly LATENCY_CRITICAL = 'latency-critical';
  /** `authentication-failures`: see runbooks/authentication-failures.md. */
  public static readonly AUTHENTICATION_FAILURES = 'authentication-failures';
  /** `command-authorization-failures`: see runbooks/authorization-failures.md. */
  public static readonly COMMAND_AUTHORIZATION_FAILURES = 'command-authorization-failures';
  /** `key-authorization-failures`: see runbooks/authorization-failures.md. */
  public static readonly KEY_AUTHORIZATION_FAILURES = 'key-authorization-failures';
  /** `database-authorization-failures`: see runbooks/authorization-failures.md. */
  public static readonly DATABASE_AUTHORIZATION_FAILURES = 'database-authorization-failures';
  /** `evictions`: see runbooks/evictions.md. */
  public static readonly EVICTIONS = 'evictions';
  /** `hit-ratio-low`: see runbooks/hit-ratio-low.md. */
  public static readonly HIT_RATIO_LOW = 'hit-ratio-low';
  /** `engine-cpu-high`: see runbooks/engine-cpu-high.md. */
  public static readonly ENGINE_CPU_HIGH = 'engine-cpu-high';
  /** `cpu-high`: see runbooks/cpu-high.md. */
  public static readonly CPU_HIGH = 'cpu-high';
  /** `connections-high`: see runbooks/connections-high.md. */
  public static readonly CONNECTIONS_HIGH = 'connections-high';
  /** `connection-storm`: see runbooks/connection-storm.md. */
  public static readonly CONNECTION_STORM = 'connection-storm';
  /** `replication-lag`: see runbooks/replication-lag.md. */
  public static readonly REPLICATION_LAG = 'replication-lag';
  /** `swap-high`: see runbooks/swap-high.md. */
  public static readonly SWAP_HIGH = 'swap-high';
  /** `network-allowance`: see runbooks/network-allowance.md. */
  public static readonly NETWORK_ALLOWANCE = 'network-allowance';
  /** `traffic-management`: see runbooks/traffic-management.md. */
  public static readonly TRAFFIC_MANAGEMENT = 'traffic-management';
  /** `global-datastore-lag`: see runbooks/global-datastore-lag.md (a Global Datastore secondary). */
  public static readonly GLOBAL_DATASTORE_LAG = 'global-datastore-lag';
  /** `durability-lag`: see runbooks/durability-lag.md. */
  public static readonly DURABILITY_LAG = 'durability-lag';
  /** `durability-writes-rejected`: see runbooks/durability-writes-rejected.md. */
  public static readonly DURABILITY_WRITES_REJECTED = 'durability-writes-rejected';
  /** `semantic-hit-ratio-low`: see runbooks/semantic-hit-ratio-low.md (SemanticCacheAlarms). */
  public static readonly SEMANTIC_HIT_RATIO_LOW = 'semantic-hit-ratio-low';
  /** `vector-index-out-of-memory`: see runbooks/vector-index-out-of-memory.md (ClusterCache vectorIndexes). */
  public static readonly VECTOR_INDEX_OUT_OF_MEMORY = 'vector-index-out-of-memory';
  /** `vector-index-backfill-stalled`: see runbooks/vector-index-backfill-stalled.md (ClusterCache vectorIndexes). */
  public static readonly VECTOR_INDEX_BACKFILL_STALLED = 'vector-index-backfill-stalled';
  /** `vector-index-memory-high`: see runbooks/vector-index-memory-high.md (ClusterCache vectorIndexes). */
  public static readonly VECTOR_INDEX_MEMORY_HIGH = 'vector-index-memory-high';
  /** `vector-index-health-missing`: see runbooks/vector-index-health-missing.md (ClusterCache vectorIndexes). */
  public static readonly VECTOR_INDEX_HEALTH_MISSING = 'vector-index-health-missing';
  /** `storage-near-limit`: see runbooks/storage-near-limit.md. */
  public static readonly STORAGE_NEAR_LIMIT = 'storage-near-limit';
  /** `ecpu-near-limit`: see runbooks/ecpu-near-limit.md. */
  public static readonly ECPU_NEAR_LIMIT = 'ecpu-near-limit';
  /** `throttling`: see runbooks/throttling.md. */
  public static readonly THROTTLING = 'throttling';
  /** `latency-high`: see runbooks/latency-high.md. */
  public static readonly LATENCY_HIGH = 'latency-high';
  /** `ttl-missing`: see runbooks/ttl-missing.md. */
  public static readonly TTL_MISSING = 'ttl-missing';
  /** `cache-unhealthy`: see runbooks/cache-unhealthy.md. */
  public static readonly CACHE_UNHEALTHY = 'cache-unhealthy';
  /** `slo-breach`: see runbooks/slo-breach.md. */
  public static readonly SLO_BREACH = 'slo-breach';
  /** `slo-check-failing`: see runbooks/slo-check-failing.md. */
  public static readonly SLO_CHECK_FAILING = 'slo-check-failing';

  private constructor() {}
}
