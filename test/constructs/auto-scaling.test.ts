import { Template } from 'aws-cdk-lib/assertions';
import { CacheEngine, ClusterCache, ClusterCacheProps, ShardScalingMetric } from '../../lib';
import { flattenJoin, resourcesOf, testStack } from '../support/cdk';

function cluster(props: Partial<ClusterCacheProps>) {
  const { stack, vpc } = testStack();
  const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 3, replicasPerShard: 1, ...props });
  return { stack, cache, template: Template.fromStack(stack) };
}

/** Every CacheClusterId an alarm of the template reads. */
function alarmedMembers(template: Template): Set<string> {
  return new Set(resourcesOf(template, 'AWS::CloudWatch::Alarm').flatMap(([, p]) => [
    ...((p.Metrics ?? []) as Array<{ MetricStat?: { Metric: { Dimensions: Array<{ Name: string; Value: string }> } } }>)
      .flatMap((m) => m.MetricStat?.Metric.Dimensions ?? []),
    ...((p.Dimensions ?? []) as Array<{ Name: string; Value: string }>),
  ].filter((d) => d.Name === 'CacheClusterId').map((d) => d.Value)));
}

// docs/aws-facts.md, "Auto scaling": namespace elasticache, resource id replication-group/<id>, dimensions
// elasticache:replication-group:NodeGroups and :Replicas, predefined metrics, the service-linked role.
describe('shard and replica auto scaling', () => {
  test('a scalable target on NodeGroups between the shard count and maxShards, target tracking on primary engine CPU', () => {
    const { template } = cluster({ shardAutoScaling: { maxShards: 6, targetValue: 70 } });
    const [[, target]] = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target).toMatchObject({
      ServiceNamespace: 'elasticache', ResourceId: 'replication-group/feat', ScalableDimension: 'elasticache:replication-group:NodeGroups',
      MinCapacity: 3, MaxCapacity: 6,
    });
    expect(flattenJoin(target.RoleARN)).toBe('arn:<AWS::Partition>:iam::<AWS::AccountId>:role/aws-service-role/elasticache.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG');
    const [[, policy]] = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy');
    expect(policy).toMatchObject({
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ElastiCachePrimaryEngineCPUUtilization' }, TargetValue: 70 },
    });
    // No role of its own: Application Auto Scaling acts through its service-linked role.
    expect(resourcesOf(template, 'AWS::IAM::Role')).toHaveLength(0);
    // The target is registered only once the replication group exists.
    expect(template.toJSON().Resources[resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget')[0][0]].DependsOn).toEqual([expect.stringMatching(/^Cache[0-9A-F]{8}$/)]);
  });

  test('the alarms and the dashboard watch every node the cache can have, down to the last node of the last possible shard', () => {
    const { template, cache } = cluster({
      shardAutoScaling: { maxShards: 6, targetValue: 60, metric: ShardScalingMetric.MEMORY_COUNTED_FOR_EVICT },
      replicaAutoScaling: { maxReplicas: 2, targetValue: 60 },
    });
    const members = alarmedMembers(template);
    expect(members.has('feat-0006-003')).toBe(true);
    expect(members.size).toBe(6 * 3);
    expect(cache.memberClusterIds).toHaveLength(18);
    const [[, dashboard]] = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(dashboard.DashboardBody)).toContain('feat-0006-003');
    const types = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy')
      .map(([, p]) => (p.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification: { PredefinedMetricType: string } }).PredefinedMetricSpecification.PredefinedMetricType);
    expect(types.sort()).toEqual(['ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage', 'ElastiCacheReplicaEngineCPUUtilization']);
    const replicas = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget').find(([, p]) => p.ScalableDimension === 'elasticache:replication-group:Replicas')![1];
    expect(replicas).toMatchObject({ MinCapacity: 1, MaxCapacity: 2 });
  });

  test.each<[string, Partial<ClusterCacheProps>, RegExp]>([
    ['a burstable node type', { nodeType: 'cache.t4g.medium', shardAutoScaling: { maxShards: 6, targetValue: 70 } },
      /^Test\/Cache: invalid shardAutoScaling "cache\.t4g\.medium": auto scaling supports the node families r7g, r6g, r6gd, r5, m7g, m6g, m5, c7gn in the sizes large, xlarge, 2xlarge/],
    ['a node size above 2xlarge', { nodeType: 'cache.r7g.4xlarge', replicaAutoScaling: { maxReplicas: 2, targetValue: 70 } },
      /invalid replicaAutoScaling "cache\.r7g\.4xlarge": auto scaling supports/],
    ['maxShards below the shard count', { shardAutoScaling: { maxShards: 2, targetValue: 70 } }, /invalid shardAutoScaling\.maxShards 2: allowed is an integer from 3 to 500$/],
    ['minShards above the shard count', { shardAutoScaling: { minShards: 4, maxShards: 6, targetValue: 70 } }, /invalid shardAutoScaling\.minShards 4: allowed is an integer from 1 to 3$/],
    // docs/aws-facts.md, "Auto scaling": shard targets 35-70; memory is not a metric for data tiering; tiered clusters
    // scale from Redis OSS 7.0.7.
    ['a target above 70 %', { shardAutoScaling: { maxShards: 6, targetValue: 80 } }, /invalid shardAutoScaling\.targetValue 80: allowed is a number from 35 % to 70 %$/],
    ['a target below 35 %', { shardAutoScaling: { maxShards: 6, targetValue: 30 } }, /invalid shardAutoScaling\.targetValue 30: allowed is a number from 35 % to 70 %$/],
    ['memory-based shard scaling on data tiering nodes', { nodeType: 'cache.r6gd.xlarge', shardAutoScaling: { maxShards: 6, targetValue: 60, metric: ShardScalingMetric.MEMORY_COUNTED_FOR_EVICT } },
      /^Test\/Cache: invalid shardAutoScaling\.metric "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage": data tiering \(cache\.r6gd\.xlarge\) nodes cannot scale on memory: .* use ShardScalingMetric\.CAPACITY_COUNTED_FOR_EVICT/],
    ['a data tiering cluster on Redis OSS 6.2', { engine: CacheEngine.REDIS_OSS_6_2, nodeType: 'cache.r6gd.xlarge', shardAutoScaling: { maxShards: 6, targetValue: 60 } },
      /invalid engine "Redis OSS 6\.2": auto scaling a data tiering \(cache\.r6gd\.xlarge\) cluster needs Valkey 7\.2\+ or Redis OSS 7\.0\.7\+$/],
    ['no replica left under Multi-AZ', { replicaAutoScaling: { minReplicas: 0, maxReplicas: 2, targetValue: 70 } }, /invalid replicaAutoScaling\.minReplicas 0: allowed is an integer from 1 to 1$/],
    ['more than 500 nodes at the largest', { shardAutoScaling: { maxShards: 200, targetValue: 70 }, replicaAutoScaling: { maxReplicas: 2, targetValue: 70 }, monitoring: undefined },
      /invalid maxShards × \(maxReplicas \+ 1\) 600: a replication group has at most 500 nodes, also at its largest$/],
  ])('refused: %s', (_name, props, message) => {
    expect(() => cluster(props)).toThrow(message);
  });

  test('data tiering nodes scale shards on capacity (memory and SSD) on Redis OSS 7.0 and Valkey', () => {
    for (const engine of [CacheEngine.REDIS_OSS_7_0, CacheEngine.VALKEY_8]) {
      const { template } = cluster({ engine, nodeType: 'cache.r6gd.xlarge', shardAutoScaling: { maxShards: 6, targetValue: 60, metric: ShardScalingMetric.CAPACITY_COUNTED_FOR_EVICT } });
      const [[, policy]] = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy');
      expect(policy.TargetTrackingScalingPolicyConfiguration).toMatchObject({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage' }, TargetValue: 60,
      });
    }
  });

  test('on Redis OSS 6.2 it is allowed (auto scaling needs Redis OSS 6.0+)', () => {
    const { template } = cluster({ engine: CacheEngine.REDIS_OSS_6_2, shardAutoScaling: { maxShards: 4, targetValue: 70 } });
    expect(resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget')).toHaveLength(1);
  });
});
