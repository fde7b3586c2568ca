/**
 * The names of the ElastiCache metrics the toolkit reads (`cache.metric(CacheMetric.EVICTIONS)`), as constants every
 * jsii language can use. `cache.metric()` also takes the other metrics of the catalog by name (`'ErrorCount'`). Which flavour publishes which, and with what statistic, is in the catalog.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
 */
export class CacheMetric {
  /** `CacheHits`: successful read-only key lookups (both flavours). */
  public static readonly CACHE_HITS = 'CacheHits';
  /** `CacheMisses`: unsuccessful read-only key lookups (node-based clusters only). */
  public static readonly CACHE_MISSES = 'CacheMisses';
  /** `CacheHitRate`: hits / (hits + misses) (both flavours). */
  public static readonly CACHE_HIT_RATE = 'CacheHitRate';
  /** `Evictions`: keys evicted because of the maxmemory limit (both flavours). */
  public static readonly EVICTIONS = 'Evictions';
  /** `CurrConnections`: client connections open (both flavours). */
  public static readonly CURR_CONNECTIONS = 'CurrConnections';
  /** `NewConnections`: connections accepted (both flavours). */
  public static readonly NEW_CONNECTIONS = 'NewConnections';
  /** `CurrItems`: items in the cache (both flavours). */
  public static readonly CURR_ITEMS = 'CurrItems';
  /** `CurrVolatileItems`: items with a TTL (both flavours). */
  public static readonly CURR_VOLATILE_ITEMS = 'CurrVolatileItems';
  /** `BytesUsedForCache`: bytes used to store data (both flavours). */
  public static readonly BYTES_USED_FOR_CACHE = 'BytesUsedForCache';
  /** `SuccessfulReadRequestLatency`: read request latency in the engine (both flavours). */
  public static readonly SUCCESSFUL_READ_REQUEST_LATENCY = 'SuccessfulReadRequestLatency';
  /** `SuccessfulWriteRequestLatency`: write request latency in the engine (both flavours). */
  public static readonly SUCCESSFUL_WRITE_REQUEST_LATENCY = 'SuccessfulWriteRequestLatency';
  /** `DatabaseMemoryUsagePercentage`: used_memory / maxmemory (node-based clusters only). */
  public static readonly DATABASE_MEMORY_USAGE_PERCENTAGE = 'DatabaseMemoryUsagePercentage';
  /** `DatabaseMemoryUsageCountedForEvictPercentage`: memory counted for eviction / maxmemory (node-based clusters only). */
  public static readonly DATABASE_MEMORY_USAGE_COUNTED_FOR_EVICT_PERCENTAGE = 'DatabaseMemoryUsageCountedForEvictPercentage';
  /** `FreeableMemory`: free memory on the host (node-based clusters only). */
  public static readonly FREEABLE_MEMORY = 'FreeableMemory';
  /** `SwapUsage`: swap used on the host (node-based clusters only). */
  public static readonly SWAP_USAGE = 'SwapUsage';
  /** `CPUUtilization`: host CPU (node-based clusters only). */
  public static readonly CPU_UTILIZATION = 'CPUUtilization';
  /** `EngineCPUUtilization`: CPU of the engine thread (node-based clusters only). */
  public static readonly ENGINE_CPU_UTILIZATION = 'EngineCPUUtilization';
  /** `ReplicationLag`: replica lag behind its primary (node-based clusters only). */
  public static readonly REPLICATION_LAG = 'ReplicationLag';
  /** `GlobalDatastoreReplicationLag`: lag of a Global Datastore secondary behind the primary Region, per account and Region (no dimensions). */
  public static readonly GLOBAL_DATASTORE_REPLICATION_LAG = 'GlobalDatastoreReplicationLag';
  /** `TrafficManagementActive`: 1 while ElastiCache throttles traffic on an under-scaled node (node-based clusters only). */
  public static readonly TRAFFIC_MANAGEMENT_ACTIVE = 'TrafficManagementActive';
  /** `NetworkBandwidthInAllowanceExceeded`: packets shaped: inbound bandwidth over the instance allowance (node-based clusters only). */
  public static readonly NETWORK_BANDWIDTH_IN_ALLOWANCE_EXCEEDED = 'NetworkBandwidthInAllowanceExceeded';
  /** `NetworkBandwidthOutAllowanceExceeded`: packets shaped: outbound bandwidth over the instance allowance (node-based clusters only). */
  public static readonly NETWORK_BANDWIDTH_OUT_ALLOWANCE_EXCEEDED = 'NetworkBandwidthOutAllowanceExceeded';
  /** `NetworkPacketsPerSecondAllowanceExceeded`: packets shaped: packets per second over the instance allowance (node-based clusters only). */
  public static readonly NETWORK_PACKETS_PER_SECOND_ALLOWANCE_EXCEEDED = 'NetworkPacketsPerSecondAllowanceExceeded';
  /** `NetworkConntrackAllowanceExceeded`: packets shaped: connection tracking over the instance allowance (node-based clusters only). */
  public static readonly NETWORK_CONNTRACK_ALLOWANCE_EXCEEDED = 'NetworkConntrackAllowanceExceeded';
  /** `BytesReadFromDisk`: bytes read from the SSD tier per minute (data tiering, r6gd nodes only). */
  public static readonly BYTES_READ_FROM_DISK = 'BytesReadFromDisk';
  /** `BytesWrittenToDisk`: bytes written to the SSD tier per minute (data tiering, r6gd nodes only). */
  public static readonly BYTES_WRITTEN_TO_DISK = 'BytesWrittenToDisk';
  /** `DurabilityLag`: age of the oldest acknowledged write not yet in the Multi-AZ transactional log (durable clusters only). */
  public static readonly DURABILITY_LAG = 'DurabilityLag';
  /** `DurabilityBufferExceededErrorCount`: writes rejected because the durability buffer exceeded 10 s (durable clusters only). */
  public static readonly DURABILITY_BUFFER_EXCEEDED_ERROR_COUNT = 'DurabilityBufferExceededErrorCount';
  /** `DatabaseCapacityUsagePercentage`: memory and SSD used over their capacity on data-tiering nodes, used_memory / maxmemory elsewhere (node-based clusters only). */
  public static readonly DATABASE_CAPACITY_USAGE_PERCENTAGE = 'DatabaseCapacityUsagePercentage';
  /** `DatabaseCapacityUsageCountedForEvictPercentage`: memory and SSD counted for eviction over their capacity (node-based clusters only). */
  public static readonly DATABASE_CAPACITY_USAGE_COUNTED_FOR_EVICT_PERCENTAGE = 'DatabaseCapacityUsageCountedForEvictPercentage';
  /** `SearchUsedMemoryBytes`: memory of all search data structures on a node (vector search, node-based clusters only). */
  public static readonly SEARCH_USED_MEMORY_BYTES = 'SearchUsedMemoryBytes';
  /** `SearchNumberOfIndexes`: search indexes on a node (vector search, node-based clusters only). */
  public static readonly SEARCH_NUMBER_OF_INDEXES = 'SearchNumberOfIndexes';
  /** `SearchTotalIndexedDocuments`: keys in all indexes of a node (vector search, node-based clusters only). */
  public static readonly SEARCH_TOTAL_INDEXED_DOCUMENTS = 'SearchTotalIndexedDocuments';
  /** `AuthenticationFailures`: failed AUTH attempts (both flavours). */
  public static readonly AUTHENTICATION_FAILURES = 'AuthenticationFailures';
  /** `CommandAuthorizationFailures`: commands refused because the user may not run them (node-based clusters only). */
  public static readonly COMMAND_AUTHORIZATION_FAILURES = 'CommandAuthorizationFailures';
  /** `KeyAuthorizationFailures`: key accesses refused because the user may not touch the key (both flavours). */
  public static readonly KEY_AUTHORIZATION_FAILURES = 'KeyAuthorizationFailures';
  /** `DatabaseAuthorizationFailures`: database accesses refused by db= restrictions (Valkey 9.1+, node-based clusters only). */
  public static readonly DATABASE_AUTHORIZATION_FAILURES = 'DatabaseAuthorizationFailures';
  /** `ElastiCacheProcessingUnits`: ECPUs consumed (serverless caches only). */
  public static readonly ELASTICACHE_PROCESSING_UNITS = 'ElastiCacheProcessingUnits';
  /** `ThrottledCmds`: requests throttled at the ECPU limit (serverless caches only). */
  public static readonly THROTTLED_CMDS = 'ThrottledCmds';
  /** `TotalCmdsCount`: commands processed (serverless caches only). */
  public static readonly TOTAL_CMDS_COUNT = 'TotalCmdsCount';

  private constructor() {}
}
