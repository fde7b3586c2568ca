import { Annotations, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { supportWarning } from '../catalog/engine-support';
import { CacheFlavour, memberClusterId } from '../catalog/metrics';
import { nodeTypeFacts } from '../catalog/node-types';
import { addAutoScaling, ReplicaAutoScaling, ShardAutoScaling } from './auto-scaling';
import { cacheArn, CacheBase, CacheMonitoringFacts, ClusterShard, definitionOfMetric, ICache, stackIdSuffix } from './cache-base';
import { CacheEngine } from './cache-engine';
import { ElastiCacheMetrics } from './metric-factory';
import { CacheFoundation } from './cache-foundation';
import { CacheCommonProps } from './cache-props';
import { CacheMonitoring } from './cache-monitoring';
import { CacheUser, CacheUserOptions } from './cache-user';
import { Durability } from './durability';
import { EvictionPolicy } from './eviction-policy';
import { TtlPolicy } from './ttl-policy';
import { claimUniqueName } from './uniqueness';
import { VectorIndex, VectorIndexChangePolicy } from './vector-index-options';
import { VectorIndexes } from './vector-indexes';
import { settleVectorIndexes } from './validate-vector-indexes';
import { checkImportedCluster, checkNodeCount, MAX_REPLICAS_PER_SHARD, MAX_SHARDS, validateClusterCacheProps } from './validate-cluster-cache-props';
import { checkCacheId, checkEndpoint, checkInteger, checkKnownInteger, deriveCacheId, invalid } from './validation';

/** Properties of a `ClusterCache`. */
export interface ClusterCacheProps extends CacheCommonProps {
  /**
   * Replication group id: 1-40 lower-case letters, digits and hyphens, starting with a letter, no "--", no trailing
   * hyphen. Member cluster ids (metric dimensions) derive from it.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - derived from the construct path
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly replicationGroupId?: string;
  /**
   * Engine and version.
   * @default CacheEngine.VALKEY_8
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  readonly engine?: CacheEngine;
  /**
   * Node type, `cache.<family>.<size>`. An r6gd node type tiers data between memory and SSD (data tiering, which the
   * cache then declares, as ElastiCache requires); AWS recommends up to 50 % reserved memory for write-heavy workloads
   * on it.
   * @default 'cache.r7g.large'
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html
   */
  readonly nodeType?: string;
  /**
   * Number of shards (node groups), 1-500. Changed in place by online resharding (the replication group carries the
   * `UseOnlineResharding` update policy), without replacing the cache.
   * @default 1
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
   */
  readonly shards?: number;
  /**
   * Replicas in each shard, 0-5. One is the least Multi-AZ failover needs; AWS's Well-Architected review of ElastiCache
   * asks for 2, so that a shard still has a replica while one is replaced or promoted (it adds a node per shard: half
   * again the nodes of the default).
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one. (Outside CloudFormation,
   * `aws elasticache increase-replica-count` changes it online, but the template must then keep the old value.)
   * @default 1
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly replicasPerShard?: number;
  /**
   * Multi-AZ: replicas in other AZs and automatic promotion when a primary fails. Needs at least one replica.
   * Automatic failover is always on (cluster mode requires it).
   * @default true
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly multiAz?: boolean;
  /**
   * Port, 1-65535.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default 6379
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly port?: number;
  /**
   * What to evict at maxmemory (`maxmemory-policy`).
   * @default EvictionPolicy.VOLATILE_LRU - the ElastiCache default
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly evictionPolicy?: EvictionPolicy;
  /**
   * Share of memory kept back from data for replication buffers and the OS (`reserved-memory-percent`), 0-100.
   * @default 25
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly reservedMemoryPercent?: number;
  /**
   * Keys sampled per eviction (`maxmemory-samples`), 1-64: more is closer to true LRU/LFU, and costs CPU.
   * @default - the engine default (3)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly maxmemorySamples?: number;
  /**
   * LFU counter logarithm factor (`lfu-log-factor`), 0-255; only with an LFU eviction policy.
   * @default - the engine default (10)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly lfuLogFactor?: number;
  /**
   * Minutes after which an LFU counter halves (`lfu-decay-time`), 0 or more; only with an LFU eviction policy.
   * @default - the engine default (1)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly lfuDecayTime?: number;
  /**
   * Other parameters of the parameter group. Names are checked against the family's list where the toolkit knows
   * it (redis7, valkey7); the typed props above cannot be set here.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly parameters?: { [name: string]: string };
  /**
   * Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes.
   * @default - chosen by ElastiCache
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups.html
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes, not overlapping the snapshot window.
   * @default - chosen by ElastiCache
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/maintenance-window.html
   */
  readonly maintenanceWindow?: string;
  /**
   * Snapshot ARNs (RDB files in S3) to seed the cache from.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - start empty
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly snapshotArnsToRestore?: string[];
  /**
   * Name of an ElastiCache snapshot to restore at creation.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - start empty
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly snapshotNameToRestore?: string;
  /**
   * SNS topic for ElastiCache events (failovers, node replacements, ...).
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ECEvents.html
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * Deliver the slow log to CloudWatch Logs (JSON), in the log group `/ectk/<replication group id>/slow-log/<stack id
   * suffix>` (kept when the stack is deleted; the suffix lets a re-created stack make a new one).
   * @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
   */
  readonly slowLog?: boolean;
  /**
   * Deliver the engine log to CloudWatch Logs (JSON), in the log group `/ectk/<replication group id>/engine-log/<stack id
   * suffix>` (kept when the stack is deleted): failovers, replica syncs, out-of-memory and configuration events as the
   * engine writes them, which the runbooks point to.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
   */
  readonly engineLog?: boolean;
  /**
   * Retention of the log groups.
   * @default logs.RetentionDays.ONE_MONTH
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Apply minor engine upgrades in the maintenance window.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /**
   * Scale the number of shards with Application Auto Scaling (target tracking). Alarms and the dashboard watch every
   * node up to `maxShards`, so that a shard added at 3 a.m. is watched too. Node types r7g, r6g, r6gd, r5, m7g, m6g,
   * m5 and c7gn in the sizes large to 2xlarge.
   * @default - the shard count stays as set
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly shardAutoScaling?: ShardAutoScaling;
  /**
   * Scale the replicas per shard with Application Auto Scaling on the replicas' engine CPU. Alarms and the dashboard
   * watch every node up to `maxReplicas`.
   * @default - the replica count stays as set
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly replicaAutoScaling?: ReplicaAutoScaling;
  /**
   * Durability (Valkey 9.0+): every write persisted to a Multi-AZ transactional log, before (`SYNC`) or after
   * (`ASYNC`) it is acknowledged. Needs node families r8g, r7g, r6g, m8g, m7g, m6g, c8gn or c7gn, Multi-AZ and at least
   * one replica per shard; turns on encryption at rest (which the toolkit always sets). With `ASYNC` the alarms
   * `durability-lag` and `durability-writes-rejected` watch the log. Switching between `SYNC` and `ASYNC` is an
   * in-place change; **turning durability on or off on an existing cache fails the update** (CloudFormation's
   * resource documentation: "specify the desired durability at create time").
   * @default - not set: ElastiCache's default, which for Valkey 9.0 is no durability
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.Limitations.html
   */
  readonly durability?: Durability;
  /**
   * Vector indexes the cache holds (vector search: node-based Valkey 8.2+, not data tiering nodes; t2/t3/t4g micro need
   * `reservedMemoryPercent` 50, small 30). Checked at synth against the engine's limits and sized against the nodes'
   * memory (at the fewest shards the cluster can have): a cluster that cannot hold them is refused with the numbers.
   * At deploy, a function in the VPC, bound as an IAM user confined to the index prefixes, creates each index
   * (FT.CREATE), leaves a matching one alone, and drops the ones removed from this list (the keys stay); every 5 minutes
   * it publishes the indexes' health, which the alarms `vector-index-out-of-memory`, `vector-index-backfill-stalled`,
   * `vector-index-memory-high` and `vector-index-health-missing` watch. The deploy-time function has not run against a
   * live search engine in this project's tests.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-features-limits.html
   */
  readonly vectorIndexes?: VectorIndex[];
  /**
   * What deploying does when an existing index differs from its declaration (a changed dimension, metric, M, prefix or
   * tag field, or an index changed by hand).
   * @default VectorIndexChangePolicy.REFUSE
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-overview.html
   */
  readonly vectorIndexChangePolicy?: VectorIndexChangePolicy;
}

/** Attributes of an existing cluster mode enabled replication group. */
export interface ClusterCacheAttributes {
  /**
   * Replication group id.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly replicationGroupId: string;
  /**
   * Configuration endpoint address.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly configurationEndpointAddress: string;
  /**
   * Port.
   * @default 6379
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly port?: number;
  /**
   * Security groups of the cache, so that `connections` can open them.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly securityGroups: ec2.ISecurityGroup[];
  /**
   * Number of shards, to derive member cluster ids for metrics.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly shards: number;
  /**
   * Replicas per shard, to derive member cluster ids for metrics.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly replicasPerShard: number;
  /**
   * Node type, for thresholds that depend on it (connections, CPU).
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly nodeType?: string;
  /**
   * Engine.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly engine?: CacheEngine;
  /**
   * Eviction policy, for thresholds that depend on it.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly evictionPolicy?: EvictionPolicy;
  /**
   * TTL policy handed to bound clients.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * Durability the replication group was created with; `ASYNC` adds the durability alarms.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.Monitoring.html
   */
  readonly durability?: Durability;
}

/** Behaviour shared by new and imported cluster caches. */
/**
 * A node-based, cluster-mode cache (an ElastiCache replication group), created here or imported: what alarms,
 * dashboards and clients need beyond `ICache`.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
 */
export interface IClusterCache extends ICache {
  /** Shards and their member cluster ids. */
  readonly shards: ClusterShard[];
  /** Node type, when known. */
  readonly nodeType?: string;
  /** Eviction policy, when known. */
  readonly evictionPolicy?: EvictionPolicy;
  /** Replicas per shard. */
  readonly replicasPerShard: number;
  /** Durability, when set. */
  readonly durability?: Durability;
  /**
   * The metric of one member node (`CacheClusterId` = member cluster id, `CacheNodeId` = 0001).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricForNode(metricName: string, memberClusterId: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * The metric across the given member nodes, combined the way the catalog says for that metric (SUM or MAX).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
   */
  metricAcrossNodes(metricName: string, memberClusterIds: string[], props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Cache misses over all nodes.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricCacheMisses(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Engine CPU (the engine thread), worst node: the CPU metric for nodes with 4 or more vCPUs.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  metricEngineCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Host CPU, worst node: the CPU metric for nodes with 2 or fewer vCPUs.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * used_memory / maxmemory, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Replica lag in seconds, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Swap used, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  metricSwapUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Free host memory, lowest node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** Behaviour of every cluster cache, created here or imported: node metrics combined across the member nodes. */
export abstract class ClusterCacheBase extends CacheBase implements IClusterCache {
  public readonly flavour = CacheFlavour.CLUSTER;
  /** Shards and their member cluster ids. */
  public abstract readonly shards: ClusterShard[];
  /** Node type, when known. */
  public abstract readonly nodeType?: string;
  /** Eviction policy, when known. */
  public abstract readonly evictionPolicy?: EvictionPolicy;
  /** Replicas per shard. */
  public abstract readonly replicasPerShard: number;
  /** Durability, when set. */
  public abstract readonly durability?: Durability;

  public get memberClusterIds(): string[] {
    return this.shards.flatMap((s) => s.memberClusterIds);
  }

  public get monitoringFacts(): CacheMonitoringFacts {
    return {
      shards: this.shards,
      nodeType: this.nodeType,
      evictsAnyKey: this.evictionPolicy?.evictsAnyKey,
      replicasPerShard: this.replicasPerShard,
      requireTtl: this.ttlPolicy?.requireTtl ?? false,
      durability: this.durability,
    };
  }

  /**
   * The metric across all member nodes as metric math: SUM for counters, MAX for gauges (the worst node), AVG for
   * ratios. A CloudWatch alarm can use at most 10 metrics in its math; alarms split larger clusters by shard.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    const definition = definitionOfMetric(this, metricName);
    // Published per account and Region, without dimensions (docs/aws-facts.md, "Global Datastore").
    if (definition.accountLevel) return new ElastiCacheMetrics(this.flavour).account(metricName, { statistic: definition.statistic, ...props });
    return this.metricAcrossNodes(metricName, this.memberClusterIds, props);
  }

  /**
   * The metric of one member node (`CacheClusterId` = member cluster id).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metricForNode(metricName: string, memberClusterId: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    this.refuseAccountLevel(metricName);
    this.checkMember(memberClusterId);
    return this.singleMetric(metricName, memberClusterId, props);
  }

  /** Refuses a metric ElastiCache publishes without node dimensions (it has no per-node series to read). */
  private refuseAccountLevel(metricName: string): void {
    if (definitionOfMetric(this, metricName).accountLevel) {
      invalid(this, 'metricName', metricName, 'it is published per account and Region, without node dimensions: read it with metric()');
    }
  }

  /** Refuses an id that is not a member cluster of this cache, listing some that are. */
  private checkMember(memberClusterId: string): void {
    const members = this.memberClusterIds;
    if (!members.includes(memberClusterId)) {
      invalid(this, 'memberClusterId', memberClusterId, `allowed are the member cluster ids of ${this.cacheName}: ${members.slice(0, 4).join(', ')}${members.length > 4 ? `, ... ${members[members.length - 1]}` : ''}`);
    }
  }

  /**
   * The metric across the given member nodes, combined the way the catalog says for that metric.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
   */
  public metricAcrossNodes(metricName: string, memberClusterIds: string[], props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    this.refuseAccountLevel(metricName);
    const definition = definitionOfMetric(this, metricName);
    if (memberClusterIds.length === 0) invalid(this, 'memberClusterIds', memberClusterIds, 'at least one member cluster id');
    memberClusterIds.forEach((id) => this.checkMember(id));
    // Ids name the metric so that expressions over several metrics (hits and misses) can be nested without clashes.
    return new ElastiCacheMetrics(this.flavour).across(definition.acrossNodes, metricName, memberClusterIds, {
      statistic: definition.statistic, ...props,
      label: props?.label ?? `${metricName} (${definition.acrossNodes.toLowerCase()} of ${memberClusterIds.length} nodes)`,
    }, metricName.toLowerCase());
  }

  /**
   * Cache misses over all nodes.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metricCacheMisses(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheMisses', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html */

  public metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return new ElastiCacheMetrics(this.flavour).hitRatio(this.memberClusterIds, props ?? {}, 1);
  }

  /**
   * Engine CPU (the engine thread): the CPU metric for nodes with 4 or more vCPUs.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  public metricEngineCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('EngineCPUUtilization', props);
  }

  /**
   * Host CPU: the CPU metric for nodes with 2 or fewer vCPUs.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CPUUtilization', props);
  }

  /**
   * used_memory / maxmemory, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('DatabaseMemoryUsagePercentage', props);
  }

  /**
   * Replica lag in seconds, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  public metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ReplicationLag', props);
  }

  /**
   * Swap used, worst node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  public metricSwapUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SwapUsage', props);
  }

  /**
   * Free host memory, lowest node.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('FreeableMemory', props);
  }
}

/** Whether a node type tiers data to SSD: the r6gd family. */
export function usesDataTiering(nodeType: string): boolean {
  return !Token.isUnresolved(nodeType) && (nodeTypeFacts(nodeType)?.dataTiering ?? false);
}

/** Member cluster ids of every shard, `<rg>-<shard:4>-<node:3>` (docs/aws-facts.md). */
export function shardLayout(replicationGroupId: string, shards: number, replicasPerShard: number): ClusterShard[] {
  return Array.from({ length: shards }, (_, s) => ({
    shardId: String(s + 1).padStart(4, '0'),
    memberClusterIds: Array.from({ length: replicasPerShard + 1 }, (__, n) => memberClusterId(replicationGroupId, s + 1, n + 1)),
  }));
}

/**
 * A node-based ElastiCache replication group in cluster mode (Valkey or Redis OSS): TLS-only, encrypted, RBAC-secured,
 * Multi-AZ with automatic failover, backed up daily, with typed eviction settings and logs in CloudWatch.
 */
export class ClusterCache extends ClusterCacheBase {
  /**
   * Refer to a cluster mode enabled replication group that exists outside this app.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  public static fromClusterCacheAttributes(scope: Construct, id: string, attrs: ClusterCacheAttributes): IClusterCache {
    const where = `${scope.node.path}/${id}`;
    checkCacheId(where, 'replicationGroupId', attrs.replicationGroupId);
    checkKnownInteger(where, 'shards', attrs.shards, 1, MAX_SHARDS);
    checkKnownInteger(where, 'replicasPerShard', attrs.replicasPerShard, 0, MAX_REPLICAS_PER_SHARD);
    checkNodeCount(where, attrs.shards, attrs.replicasPerShard);
    checkEndpoint(where, 'configurationEndpointAddress', attrs.configurationEndpointAddress);
    const port = attrs.port ?? 6379;
    checkInteger(where, 'port', port, 1, 65535);
    checkImportedCluster(where, attrs);
    class Import extends ClusterCacheBase {
      public readonly cacheName = attrs.replicationGroupId;
      public readonly cacheArn = cacheArn(scope, 'replicationgroup', attrs.replicationGroupId);
      public readonly endpointAddress = attrs.configurationEndpointAddress;
      public readonly endpointPort = port;
      public readonly engine = attrs.engine;
      public readonly ttlPolicy = attrs.ttlPolicy;
      public readonly nodeType = attrs.nodeType;
      public readonly evictionPolicy = attrs.evictionPolicy;
      public readonly replicasPerShard = attrs.replicasPerShard;
      public readonly durability = attrs.durability;
      public readonly shards = shardLayout(attrs.replicationGroupId, attrs.shards, attrs.replicasPerShard);
      public readonly connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: ec2.Port.tcp(port) });
    }
    return new Import(scope, id);
  }

  public readonly cacheName: string;
  public readonly cacheArn: string;
  public readonly endpointAddress: string;
  public readonly endpointPort: number;
  /** The engine (never undefined on a created cache). */
  public readonly engine?: CacheEngine;
  public readonly ttlPolicy?: TtlPolicy;
  public readonly connections: ec2.Connections;
  public readonly shards: ClusterShard[];
  /** The node type (never undefined on a created cache). */
  public readonly nodeType?: string;
  /** The eviction policy (never undefined on a created cache). */
  public readonly evictionPolicy?: EvictionPolicy;
  public readonly replicasPerShard: number;
  /** Durability, when set. */
  public readonly durability?: Durability;
  /** The replication group id (same as `cacheName`). */
  public readonly replicationGroupId: string;
  /** The parameter group. */
  public readonly parameterGroup: elasticache.CfnParameterGroup;
  /** Alarms and dashboard, unless the `monitoring` prop turned them off. */
  public readonly monitoring?: CacheMonitoring;
  /** The underlying CloudFormation resource. */
  public readonly resource: elasticache.CfnReplicationGroup;
  /** The Application Auto Scaling targets, when shard or replica auto scaling is on. */
  public readonly scalableTargets: appscaling.ScalableTarget[];
  /** The function that creates the vector indexes and publishes their health, when `vectorIndexes` are declared. */
  public readonly vectorIndexFunction?: lambda.IFunction;
  /** The alarms on the vector indexes' health (empty without `vectorIndexes`). */
  public readonly vectorIndexAlarms: cloudwatch.IAlarm[];
  private readonly foundation: CacheFoundation;

  constructor(scope: Construct, id: string, props: ClusterCacheProps) {
    super(scope, id);
    this.replicationGroupId = props.replicationGroupId ?? deriveCacheId(this);
    checkCacheId(this, 'replicationGroupId', this.replicationGroupId);
    claimUniqueName(this, 'cache', 'replicationGroupId', this.replicationGroupId);
    this.cacheName = this.replicationGroupId;
    const settled = validateClusterCacheProps(this, props);
    this.engine = settled.engine;
    this.nodeType = settled.nodeType;
    this.evictionPolicy = settled.evictionPolicy;
    this.replicasPerShard = settled.replicasPerShard;
    this.durability = props.durability;
    this.endpointPort = settled.port;
    const { shards, multiAz, ranges, parameters, retention } = settled;
    const reservedMemoryPercent = Number(parameters['reserved-memory-percent']);
    const changePolicy = props.vectorIndexChangePolicy ?? VectorIndexChangePolicy.REFUSE;
    if (!Object.values(VectorIndexChangePolicy).includes(changePolicy)) {
      invalid(this, 'vectorIndexChangePolicy', changePolicy, `allowed are ${Object.values(VectorIndexChangePolicy).join(', ')}`);
    }
    const vectorIndexes = settleVectorIndexes(this, props.vectorIndexes ?? [], {
      engine: settled.engine, nodeType: settled.nodeType, reservedMemoryPercent, minShards: ranges.shards[0],
    });

    this.foundation = new CacheFoundation(this, 'Access', {
      cacheName: this.cacheName,
      engine: settled.engine,
      flavour: this.flavour,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      defaultPort: ec2.Port.tcp(this.endpointPort),
      encryptionKey: props.encryptionKey,
      ttlPolicy: props.ttlPolicy,
    });
    this.connections = this.foundation.connections;
    this.ttlPolicy = props.ttlPolicy;

    this.parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: settled.engine.parameterGroupFamily,
      description: `${this.cacheName}: cluster mode, ${settled.evictionPolicy.value}`,
      properties: parameters,
    });
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      cacheSubnetGroupName: `${this.cacheName}-subnets`,
      description: `Subnets of ElastiCache ${this.cacheName}`,
      subnetIds: this.foundation.subnetIds,
    });

    this.resource = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: this.replicationGroupId,
      replicationGroupDescription: props.description ?? `${this.replicationGroupId} (managed by cdk-elasticache-toolkit)`,
      engine: settled.engine.engine,
      engineVersion: settled.engine.version,
      cacheNodeType: settled.nodeType,
      // r6gd nodes tier data to SSD, and CreateReplicationGroup requires that they say so (docs/aws-facts.md, "Data tiering").
      dataTieringEnabled: usesDataTiering(settled.nodeType) ? true : undefined,
      // The property exists for Valkey 9.0+ (docs/aws-facts.md, "Durability"); below it DISABLED is what the engine does
      // anyway, so it is not sent where ElastiCache does not take it.
      durability: props.durability === Durability.DISABLED && !(settled.engine.engine === 'valkey' && Number(settled.engine.majorVersion) >= 9)
        ? undefined : props.durability,
      clusterMode: 'enabled',
      numNodeGroups: shards,
      replicasPerNodeGroup: this.replicasPerShard,
      automaticFailoverEnabled: true,
      multiAzEnabled: multiAz,
      port: this.endpointPort,
      cacheParameterGroupName: this.parameterGroup.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: this.foundation.securityGroups.map((sg) => sg.securityGroupId),
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: props.encryptionKey?.keyArn,
      userGroupIds: [this.foundation.userGroup.ref],
      snapshotRetentionLimit: retention,
      snapshotWindow: props.snapshotWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      snapshotArns: props.snapshotArnsToRestore,
      snapshotName: props.snapshotNameToRestore,
      notificationTopicArn: props.notificationTopic?.topicArn,
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      logDeliveryConfigurations: this.logDelivery(props),
    });
    // Shard count changes are applied by online resharding; without this policy CloudFormation replaces the group,
    // which fails for a named one (docs/aws-facts.md, "Deploy-time limits and traps").
    this.resource.cfnOptions.updatePolicy = { useOnlineResharding: true };
    Validations.of(this.resource).acknowledge({
      id: 'AwsSolutions-AEC6',
      reason: 'Clients authenticate through an RBAC user group (IAM or password users, default user disabled); ' +
        'RBAC replaces the single AUTH token that this rule looks for.',
    });
    if (this.endpointPort === 6379) {
      Validations.of(this.resource).acknowledge({
        id: 'AwsSolutions-AEC5',
        reason: 'The port is the engine default unless the port prop says otherwise: a different port hides nothing from a scan ' +
          'inside the VPC, while TLS, RBAC users and a security group without open ingress do protect the cache.',
      });
    }
    this.resource.applyRemovalPolicy((props.finalSnapshot ?? true) ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY);

    // Every node the cache can have: with auto scaling, up to its largest size (node group and member ids count up).
    this.shards = shardLayout(this.replicationGroupId, ranges.shards[1], ranges.replicas[1]);
    this.scalableTargets = addAutoScaling(this, this.replicationGroupId, this.resource,
      props.shardAutoScaling, ranges.shards, props.replicaAutoScaling, ranges.replicas);
    this.cacheArn = cacheArn(this, 'replicationgroup', this.replicationGroupId);
    this.endpointAddress = this.resource.attrConfigurationEndPointAddress;
    this.foundation.setEndpoint(this.endpointAddress, this.endpointPort);
    if (props.monitoring?.enabled ?? true) this.monitoring = new CacheMonitoring(this, 'Monitoring', { ...props.monitoring, cache: this });
    this.vectorIndexAlarms = [];
    if (vectorIndexes.length > 0) {
      const managed = new VectorIndexes(this, 'VectorIndexes', {
        cache: this, userGroup: this.foundation.userGroup, indexes: vectorIndexes, changePolicy, vpc: props.vpc, vpcSubnets: props.vpcSubnets, reservedMemoryPercent,
        alarmTopic: this.monitoring?.cacheAlarms.alarmTopic ?? props.monitoring?.alarmTopic, runbookBaseUrl: props.monitoring?.runbookBaseUrl,
      });
      this.vectorIndexFunction = managed.fn;
      this.vectorIndexAlarms = managed.alarms;
      warnVectorIndexOperations(this, this.engine, props.shardAutoScaling !== undefined, props.durability !== undefined);
    }
    const support = supportWarning(this.engine.engine, this.engine.version, this.engine.displayName, new Date());
    if (support) Annotations.of(this).addWarningV2('@ectk/cluster-cache:engine-support', `engine ${support}`);
  }

  /**
   * Adds an RBAC user (IAM authentication unless told otherwise) to the cache's user group.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public addUser(id: string, options: CacheUserOptions = {}): CacheUser {
    return this.foundation.addUser(this, id, options);
  }

  private logDelivery(props: ClusterCacheProps): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty[] | undefined {
    const wanted: Array<[string, string]> = [];
    if (props.slowLog ?? true) wanted.push(['slow-log', 'SlowLog']);
    if (props.engineLog ?? true) wanted.push(['engine-log', 'EngineLog']);
    const configs = wanted.map(([logType, id]) => {
      const group = new logs.LogGroup(this, id, {
        // A known prefix for runbooks (`/ectk/<rg>/slow-log/`); the stack suffix keeps a re-created stack from
        // colliding with the group its predecessor retained (docs/aws-facts.md, "Deploy-time limits and traps").
        logGroupName: `/ectk/${this.replicationGroupId}/${logType}/${stackIdSuffix()}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      return {
        logType,
        logFormat: 'json',
        destinationType: 'cloudwatch-logs',
        destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
      };
    });
    return configs.length > 0 ? configs : undefined;
  }
}

/**
 * Warnings (not errors) for what vector indexes do to a cache's operations (docs/aws-facts.md, "Vector search"): on
 * Valkey 8.2 a shard scaling event backfills the indexes while data migrates, lowering recall until it ends; on 9.0
 * write throughput may drop during the event; under durability, writes to indexed keys may be delayed.
 */
function warnVectorIndexOperations(cache: Construct, engine: CacheEngine, shardAutoScaling: boolean, durability: boolean): void {
  const searchPage = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/search-features-limits.html';
  if (shardAutoScaling) {
    const effect = Number(engine.majorVersion) >= 9
      ? `on ${engine} write throughput may drop while a shard is added or removed`
      : `on ${engine} every shard added or removed backfills the indexes as data migrates, and queries miss entries (lower recall) until the backfill ends`;
    Annotations.of(cache).addWarningV2('@ectk/cluster-cache:vector-index-auto-scaling',
      `shardAutoScaling with vectorIndexes: ${effect}. Watch vector-index-backfill-stalled, or size the shards for the peak and leave shard auto scaling out (${searchPage}, "Scaling limits").`);
  }
  if (durability) {
    Annotations.of(cache).addWarningV2('@ectk/cluster-cache:vector-index-durability',
      'durability with vectorIndexes: writes to indexed keys (HSET, HDEL, DEL, UNLINK ...) may be throttled to keep the ' +
      'transactional log current: delayed, not rejected; a write-latency SLO on those keys should allow for it ' +
      '(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.SearchThrottling.html).');
  }
}

