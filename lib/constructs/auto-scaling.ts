import { Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CacheEngine } from './cache-engine';
import { checkInteger, checkNumber, invalid } from './validation';

/** What shard auto scaling tracks (Application Auto Scaling predefined metrics for ElastiCache). */
export enum ShardScalingMetric {
  /** Engine CPU of the primaries. */
  PRIMARY_ENGINE_CPU = 'ElastiCachePrimaryEngineCPUUtilization',
  /** Memory counted for eviction, as a share of maxmemory. Not on data tiering (r6gd) nodes, which run memory full. */
  MEMORY_COUNTED_FOR_EVICT = 'ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage',
  /** Capacity counted for eviction: memory and SSD on data tiering (r6gd) nodes, memory on the others. */
  CAPACITY_COUNTED_FOR_EVICT = 'ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage',
}

/**
 * Shard target values ElastiCache's scaling policy takes: "a value greater than or equal to 35 and less than or equal
 * to 70" (docs/aws-facts.md, "Auto scaling").
 */
export const SHARD_TARGET_RANGE = [35, 70] as const;

/**
 * Target tracking of the shard count (`elasticache:replication-group:NodeGroups`). Cooldowns are 5 minutes after a
 * scale-out and 10 after a scale-in: online resharding takes minutes, and its effect must show before the next step.
 */
export interface ShardAutoScaling {
  /**
   * Fewest shards.
   * @default - the cache's `shards`
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly minShards?: number;
  /**
   * Most shards; alarms and the dashboard watch every node up to it.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly maxShards: number;
  /**
   * The metric to hold at `targetValue`.
   * @default ShardScalingMetric.PRIMARY_ENGINE_CPU
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
   */
  readonly metric?: ShardScalingMetric;
  /**
   * The value (percent) to hold the metric at, 35-70 (what ElastiCache's shard scaling policy takes).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling-Scaling-Adding-Policy-Shards.html
   */
  readonly targetValue: number;
  /**
   * Only scale out.
   * @default false
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
   */
  readonly disableScaleIn?: boolean;
}

/** Target tracking of the replicas per shard (`elasticache:replication-group:Replicas`) on replica engine CPU. */
export interface ReplicaAutoScaling {
  /**
   * Fewest replicas per shard.
   * @default - the cache's `replicasPerShard`
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly minReplicas?: number;
  /**
   * Most replicas per shard, at most 5.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
   */
  readonly maxReplicas: number;
  /**
   * The replicas' engine CPU (percent) to hold, 1-100.
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
   */
  readonly targetValue: number;
  /**
   * Only scale out.
   * @default false
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
   */
  readonly disableScaleIn?: boolean;
}

/** Node families and sizes that ElastiCache auto scaling supports (docs/aws-facts.md, "Auto scaling"). */
const FAMILIES = ['r7g', 'r6g', 'r6gd', 'r5', 'm7g', 'm6g', 'm5', 'c7gn'];
const SIZES = ['large', 'xlarge', '2xlarge'];

/** The shard and replica ranges a cluster can take, checked against what ElastiCache auto scaling allows. */
export interface ScalingRanges {
  /** Fewest and most shards. */
  readonly shards: readonly [number, number];
  /** Fewest and most replicas per shard. */
  readonly replicas: readonly [number, number];
}

/**
 * Checks auto scaling against the cache: the engine and node type auto scaling supports, ranges that include the
 * starting size, and at most 500 nodes at the largest. Returns the ranges alarms must cover.
 */
export function scalingRanges(scope: Construct, engine: CacheEngine, nodeType: string, shards: number, replicas: number, multiAz: boolean,
  shardScaling: ShardAutoScaling | undefined, replicaScaling: ReplicaAutoScaling | undefined, maxNodes: number): ScalingRanges {
  if (shardScaling || replicaScaling) {
    const [, family, size] = nodeType.split('.');
    if (!FAMILIES.includes(family) || !SIZES.includes(size)) {
      invalid(scope, shardScaling ? 'shardAutoScaling' : 'replicaAutoScaling', nodeType,
        `auto scaling supports the node families ${FAMILIES.join(', ')} in the sizes ${SIZES.join(', ')}; the cache uses ${nodeType}`);
    }
    // Auto scaling needs Valkey 7.2+ or Redis OSS 6.0+: the engines the toolkit accepts at all (RBAC needs the same).
    if (!engine.supportsRbac) invalid(scope, 'engine', engine.displayName, 'auto scaling needs Valkey 7.2+ or Redis OSS 6.0+');
    // Data tiering clusters scale from Valkey 7.2 or Redis OSS 7.0.7 (docs/aws-facts.md, "Auto scaling"); node-based
    // versions are MAJOR.MINOR here, so Redis OSS 6.x is what this refuses.
    if (family === 'r6gd' && engine.engine === 'redis' && Number(engine.majorVersion) < 7) {
      invalid(scope, 'engine', engine.displayName, `auto scaling a data tiering (${nodeType}) cluster needs Valkey 7.2+ or Redis OSS 7.0.7+`);
    }
    if (family === 'r6gd' && shardScaling?.metric === ShardScalingMetric.MEMORY_COUNTED_FOR_EVICT) {
      invalid(scope, 'shardAutoScaling.metric', shardScaling.metric, `data tiering (${nodeType}) nodes cannot scale on memory: they run memory ` +
        'full by design and spill to SSD; use ShardScalingMetric.CAPACITY_COUNTED_FOR_EVICT (memory and SSD) or PRIMARY_ENGINE_CPU');
    }
  }
  const shardRange: [number, number] = [shards, shards];
  if (shardScaling) {
    const min = shardScaling.minShards ?? shards;
    checkInteger(scope, 'shardAutoScaling.minShards', min, 1, shards);
    checkInteger(scope, 'shardAutoScaling.maxShards', shardScaling.maxShards, Math.max(shards, 1), 500);
    checkNumber(scope, 'shardAutoScaling.targetValue', shardScaling.targetValue, SHARD_TARGET_RANGE[0], SHARD_TARGET_RANGE[1], ' %');
    shardRange[0] = min;
    shardRange[1] = shardScaling.maxShards;
  }
  const replicaRange: [number, number] = [replicas, replicas];
  if (replicaScaling) {
    const min = replicaScaling.minReplicas ?? replicas;
    checkInteger(scope, 'replicaAutoScaling.minReplicas', min, multiAz ? 1 : 0, replicas);
    checkInteger(scope, 'replicaAutoScaling.maxReplicas', replicaScaling.maxReplicas, Math.max(replicas, 1), 5);
    checkNumber(scope, 'replicaAutoScaling.targetValue', replicaScaling.targetValue, 1, 100, ' %');
    replicaRange[0] = min;
    replicaRange[1] = replicaScaling.maxReplicas;
  }
  const largest = shardRange[1] * (replicaRange[1] + 1);
  if (largest > maxNodes) {
    invalid(scope, 'maxShards × (maxReplicas + 1)', largest, `a replication group has at most ${maxNodes} nodes, also at its largest`);
  }
  return { shards: shardRange, replicas: replicaRange };
}

/**
 * The scalable targets and target-tracking policies of a replication group. Application Auto Scaling acts through its
 * service-linked role for ElastiCache (created by AWS on first use), so no role is created here.
 */
export function addAutoScaling(scope: Construct, replicationGroupId: string, dependsOn: Construct,
  shardScaling: ShardAutoScaling | undefined, shardRange: readonly [number, number],
  replicaScaling: ReplicaAutoScaling | undefined, replicaRange: readonly [number, number]): appscaling.ScalableTarget[] {
  const stack = Stack.of(scope);
  const role = iam.Role.fromRoleArn(scope, 'AutoScalingServiceLinkedRole', stack.formatArn({
    service: 'iam', region: '', resource: 'role',
    resourceName: 'aws-service-role/elasticache.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG',
  }), { mutable: false });
  const targets: appscaling.ScalableTarget[] = [];
  const add = (id: string, dimension: string, range: readonly [number, number], metric: appscaling.PredefinedMetric, targetValue: number, disableScaleIn?: boolean) => {
    const target = new appscaling.ScalableTarget(scope, id, {
      serviceNamespace: appscaling.ServiceNamespace.ELASTICACHE,
      resourceId: `replication-group/${replicationGroupId}`,
      scalableDimension: dimension,
      minCapacity: range[0],
      maxCapacity: range[1],
      role,
    });
    target.node.addDependency(dependsOn);
    target.scaleToTrackMetric('Tracking', {
      predefinedMetric: metric, targetValue, disableScaleIn, scaleInCooldown: Duration.minutes(10), scaleOutCooldown: Duration.minutes(5),
    });
    targets.push(target);
  };
  if (shardScaling) {
    add('ShardScaling', 'elasticache:replication-group:NodeGroups', shardRange,
      (shardScaling.metric ?? ShardScalingMetric.PRIMARY_ENGINE_CPU) as unknown as appscaling.PredefinedMetric, shardScaling.targetValue, shardScaling.disableScaleIn);
  }
  if (replicaScaling) {
    add('ReplicaScaling', 'elasticache:replication-group:Replicas', replicaRange,
      appscaling.PredefinedMetric.ELASTICACHE_REPLICA_ENGINE_CPU_UTILIZATION, replicaScaling.targetValue, replicaScaling.disableScaleIn);
  }
  return targets;
}
