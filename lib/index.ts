// The public API of the construct library: classes, interfaces, enums and structs only, so that every jsii language
// sees the same thing. Catalog data, helpers and wire formats stay internal (imported by path inside this repository).
export { CacheFlavour } from './catalog/metrics';
export { AccessString, AccessStringOptions, CommandCategory } from './constructs/access-string';
export { AlarmId } from './constructs/alarm-id';
export { ReplicaAutoScaling, ShardAutoScaling, ShardScalingMetric } from './constructs/auto-scaling';
export { AlarmOverride, CacheAlarms, CacheAlarmsOptions, CacheAlarmsProps, CatalogAlarm } from './constructs/cache-alarms';
export { BindOptions, CacheBase, CacheMonitoringFacts, ClusterShard, ICache } from './constructs/cache-base';
export { CacheDashboard, CacheDashboardOptions, CacheDashboardProps } from './constructs/cache-dashboard';
export { CacheEngine } from './constructs/cache-engine';
export { CacheMetric } from './constructs/cache-metric';
export { CacheMonitoring, CacheMonitoringOptions, CacheMonitoringProps, CacheMonitoringSettings } from './constructs/cache-monitoring';
export { CacheCommonProps } from './constructs/cache-props';
export {
  CacheUser, CacheUserAttributes, CacheUserOptions, CacheUserProps, ICacheUser, UserAuthentication,
} from './constructs/cache-user';
export { ClusterCache, ClusterCacheAttributes, ClusterCacheBase, ClusterCacheProps, IClusterCache } from './constructs/cluster-cache';
export { Durability } from './constructs/durability';
export { GlobalDatastore, GlobalDatastoreProps } from './constructs/global-datastore';
export { GlobalSecondaryCache, GlobalSecondaryCacheOptions, GlobalSecondaryCacheProps } from './constructs/global-secondary-cache';
export { CacheNetworkType } from './constructs/network-type';
export { SemanticCacheAlarms, SemanticCacheAlarmsProps } from './constructs/semantic-cache-alarms';
export { EvictionPolicy } from './constructs/eviction-policy';
export { LatencySlo, LatencySloProps } from './constructs/latency-slo';
export { CapacitySearchOptions } from './constructs/slo/capacity-search';
export { LoadProfile } from './constructs/load-profile';
export {
  IServerlessCache, ServerlessCache, ServerlessCacheAttributes, ServerlessCacheBase, ServerlessCacheProps, ServerlessUsageLimits,
} from './constructs/serverless-cache';
export { TtlPolicy, TtlPolicyProps } from './constructs/ttl-policy';
export {
  VectorAlgorithm, VectorDistanceMetric, VectorIndex, VectorIndexChangePolicy,
} from './constructs/vector-index-options';
export { VectorIndexFit, VectorIndexMemory, VectorIndexPlan, VectorIndexSizing } from './constructs/vector-index-sizing';
export { ElastiCacheChecks } from './rules/pack';
