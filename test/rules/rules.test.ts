import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagMessageLevel } from 'cdk-nag';
import { ElastiCacheChecks } from '../../lib';
import { ELASTICACHE_RULES } from '../../lib/rules/pack';
import { allowsClusterSlots } from '../../lib/rules/cluster-user-routing';

/** Findings of the pack on a stack built by `build`, as rule ids (with their finding suffix, if any). */
function findings(build: (stack: Stack) => void): string[] {
  const app = new App();
  build(new Stack(app, 'Fixture'));
  return new ElastiCacheChecks().validateScope(app).violations.map((v) => v.ruleName).sort();
}

const user = (stack: Stack, id: string, props: Partial<elasticache.CfnUserProps>) => new elasticache.CfnUser(stack, id, {
  engine: 'redis', userId: id.toLowerCase(), userName: id.toLowerCase(), accessString: 'on ~* +@all', ...props,
});
const disabledDefault = (stack: Stack, engine: string, mode: Record<string, unknown>) => user(stack, 'DefaultUser', {
  engine, userId: 'app-default', userName: 'default', accessString: 'off -@all', authenticationMode: mode,
});
const group = (stack: Stack, engine: string, users: elasticache.CfnUser[]) =>
  new elasticache.CfnUserGroup(stack, 'Group', { engine, userGroupId: 'app-users', userIds: users.map((u) => u.ref) });
const PASSWORD = { Type: 'password', Passwords: ['a-long-password-of-32-characters'] };

const alarm = (stack: Stack, metrics: cloudwatch.CfnAlarm.MetricDataQueryProperty[] | undefined, single?: Partial<cloudwatch.CfnAlarmProps>) =>
  new cloudwatch.CfnAlarm(stack, 'Alarm', {
    comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1, metrics, ...single,
  });
const stat = (id: string, metricName: string, dimensions: Record<string, string>): cloudwatch.CfnAlarm.MetricDataQueryProperty => ({
  id, returnData: false,
  metricStat: { metric: { namespace: 'AWS/ElastiCache', metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) }, period: 60, stat: 'Average' },
});
const serverlessIn = (stack: Stack, networkType: string, subnet: Partial<ec2.CfnSubnetProps>) => {
  const sn = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24', ...subnet });
  return new elasticache.CfnServerlessCache(stack, 'Serverless', { serverlessCacheName: 'nt', engine: 'valkey', subnetIds: [sn.ref], networkType });
};
const replicationGroup = (stack: Stack, props: Partial<elasticache.CfnReplicationGroupProps> = {}, resharding = true) => {
  const rg = new elasticache.CfnReplicationGroup(stack, 'Rg', {
    replicationGroupDescription: 'fixture', replicationGroupId: 'orders', engine: 'valkey', engineVersion: '8.0', cacheNodeType: 'cache.r7g.large',
    clusterMode: 'enabled', numNodeGroups: 2, replicasPerNodeGroup: 1, ...props,
  });
  if (resharding) rg.cfnOptions.updatePolicy = { useOnlineResharding: true };
  return rg;
};
const vectorIndexes = (stack: Stack, cacheName: string) => new CfnResource(stack, 'Indexes', {
  type: 'Custom::EctkVectorIndexes', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f', CacheName: cacheName, Document: '{}' },
});
const searchHostWithReserve = (stack: Stack, reserved: string) => {
  const params = new elasticache.CfnParameterGroup(stack, 'Params', {
    cacheParameterGroupFamily: 'valkey8', description: 'fixture', properties: { 'cluster-enabled': 'yes', 'reserved-memory-percent': reserved },
  });
  return replicationGroup(stack, { engineVersion: '8.2', cacheNodeType: 'cache.t4g.micro', cacheParameterGroupName: params.ref });
};
/** A replication group of the node type, its shards registered with Application Auto Scaling and tracking a metric. */
const shardPolicy = (stack: Stack, cacheNodeType: string, predefinedMetricType: string, replicationGroupId = 'orders') => {
  replicationGroup(stack, { replicationGroupId, cacheNodeType, dataTieringEnabled: cacheNodeType.includes('r6gd') ? true : undefined });
  const target = new appscaling.CfnScalableTarget(stack, 'Target', {
    serviceNamespace: 'elasticache', resourceId: `replication-group/${replicationGroupId}`, scalableDimension: 'elasticache:replication-group:NodeGroups', minCapacity: 2, maxCapacity: 4,
  });
  new appscaling.CfnScalingPolicy(stack, 'Policy', {
    policyName: 'shards', policyType: 'TargetTrackingScaling', scalingTargetId: target.ref,
    targetTrackingScalingPolicyConfiguration: { targetValue: 60, predefinedMetricSpecification: { predefinedMetricType } },
  });
};
const connectPolicy = (stack: Stack, resource: string) => new iam.CfnPolicy(stack, 'Policy', {
  policyName: 'connect', roles: ['app'],
  policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'elasticache:Connect', Resource: [resource] }] },
});
const composite = (stack: Stack, children: number, description = 'fixture', namePrefix = 'orders-child-alarm-') => {
  const alarms = Array.from({ length: children }, (_, i) => new cloudwatch.CfnAlarm(stack, `Child${i}`, {
    alarmName: `${namePrefix}${String(i).padStart(3, '0')}`, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1,
    namespace: 'AWS/ElastiCache', metricName: 'Evictions', dimensions: [{ name: 'CacheClusterId', value: `orders-0001-00${i % 3 + 1}` }], period: 60, statistic: 'Sum',
  }));
  return new cloudwatch.CfnCompositeAlarm(stack, 'Composite', {
    alarmName: 'orders-unhealthy', alarmDescription: description, alarmRule: alarms.map((a) => `ALARM("${a.attrArn}")`).join(' OR '),
  });
};

/** Each rule with an L1 fixture that breaks it and one that does not. */
const CASES: Array<{ rule: string; failing: (s: Stack) => void; passing: (s: Stack) => void }> = [
  {
    // docs/aws-facts.md, "User groups and engines": valkey groups hold only users that authenticate.
    rule: 'UserGroupValkeyPasswordless',
    failing: (s) => group(s, 'valkey', [disabledDefault(s, 'redis', { Type: 'no-password-required' })]),
    passing: (s) => group(s, 'valkey', [disabledDefault(s, 'valkey', PASSWORD), user(s, 'App', { engine: 'valkey', authenticationMode: { Type: 'iam' } })]),
  },
  {
    // docs/aws-facts.md, "User groups and engines": redis groups need a user named default (DefaultUserRequired).
    rule: 'UserGroupRedisDefaultUser',
    failing: (s) => group(s, 'redis', [user(s, 'App', { authenticationMode: PASSWORD })]),
    passing: (s) => group(s, 'redis', [disabledDefault(s, 'redis', { Type: 'no-password-required' }), user(s, 'App', { authenticationMode: PASSWORD })]),
  },
  {
    // docs/aws-facts.md, "Parameter group families": Redis OSS 6 is redis6.x.
    rule: 'ParameterGroupFamily',
    failing: (s) => {
      const pg = new elasticache.CfnParameterGroup(s, 'Pg', { cacheParameterGroupFamily: 'redis6', description: 'fixture' });
      replicationGroup(s, { engine: 'redis', engineVersion: '6.2', cacheParameterGroupName: pg.ref });
    },
    passing: (s) => {
      const pg = new elasticache.CfnParameterGroup(s, 'Pg', { cacheParameterGroupFamily: 'redis6.x', description: 'fixture' });
      replicationGroup(s, { engine: 'redis', engineVersion: '6.2', cacheParameterGroupName: pg.ref });
    },
  },
  {
    // docs/aws-facts.md, "Engine versions": node-based Valkey 7.2-9.1; 8.3 is none of them (4.0.10 is Extended Support).
    rule: 'EngineVersionDocumented',
    failing: (s) => replicationGroup(s, { engineVersion: '8.3' }),
    passing: (s) => replicationGroup(s, { engineVersion: '9.1' }),
  },
  {
    // docs/aws-facts.md, "Engine versions": Redis OSS 5.0.0-5.0.5 are deprecated ("use 5.0.6"), 5.0.6 runs in Extended Support.
    rule: 'EngineVersionDocumented',
    failing: (s) => replicationGroup(s, { engine: 'redis', engineVersion: '5.0.3' }),
    passing: (s) => replicationGroup(s, { engine: 'redis', engineVersion: '5.0.6' }),
  },
  {
    // docs/aws-facts.md, "Engine versions": serverless Redis OSS runs major version 7 only.
    rule: 'EngineVersionDocumented',
    failing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'redis', majorEngineVersion: '6' }),
    passing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'redis', majorEngineVersion: '7' }),
  },
  {
    // docs/aws-facts.md, "Global Datastore": CloudFormation creates a global group with its primary alone.
    rule: 'GlobalDatastoreMembers',
    failing: (s) => new elasticache.CfnGlobalReplicationGroup(s, 'Global', { globalReplicationGroupIdSuffix: 'orders', members: [
      { replicationGroupId: 'orders', replicationGroupRegion: 'us-east-1', role: 'PRIMARY' },
      { replicationGroupId: 'orders-eu', replicationGroupRegion: 'eu-west-1', role: 'SECONDARY' },
    ] }),
    passing: (s) => new elasticache.CfnGlobalReplicationGroup(s, 'Global', { globalReplicationGroupIdSuffix: 'orders', members: [
      { replicationGroupId: 'orders', replicationGroupRegion: 'us-east-1', role: 'PRIMARY' },
    ] }),
  },
  {
    // docs/aws-facts.md, "Global Datastore": the Regions the guide lists (ap-east-2, Taipei, is not among them).
    rule: 'GlobalDatastoreMembers',
    failing: (s) => new elasticache.CfnGlobalReplicationGroup(s, 'Global', { members: [{ replicationGroupId: 'orders', replicationGroupRegion: 'ap-east-2', role: 'PRIMARY' }] }),
    passing: (s) => new elasticache.CfnGlobalReplicationGroup(s, 'Global', { members: [{ replicationGroupId: 'orders', replicationGroupRegion: 'ap-east-1', role: 'PRIMARY' }] }),
  },
  {
    // docs/aws-facts.md, "Global Datastore": its primary needs nodes of size large or above.
    rule: 'GlobalDatastoreMembers',
    failing: (s) => {
      const rg = replicationGroup(s, { cacheNodeType: 'cache.m7g.medium' });
      new elasticache.CfnGlobalReplicationGroup(s, 'Global', { members: [{ replicationGroupId: rg.ref, replicationGroupRegion: 'us-east-1', role: 'PRIMARY' }] });
    },
    passing: (s) => {
      const rg = replicationGroup(s, { cacheNodeType: 'cache.m7g.large' });
      new elasticache.CfnGlobalReplicationGroup(s, 'Global', { members: [{ replicationGroupId: rg.ref, replicationGroupRegion: 'us-east-1', role: 'PRIMARY' }] });
    },
  },
  {
    // docs/aws-facts.md, "Global Datastore": a secondary inherits engine, version, node type, parameters, shards and
    // encryption; sending them fails with InvalidParameterCombination.
    rule: 'GlobalDatastoreSecondary',
    failing: (s) => new elasticache.CfnReplicationGroup(s, 'Secondary', {
      replicationGroupDescription: 'fixture', replicationGroupId: 'orders-eu', globalReplicationGroupId: 'ldgnf-orders', cacheNodeType: 'cache.r7g.large', replicasPerNodeGroup: 1,
    }),
    passing: (s) => new elasticache.CfnReplicationGroup(s, 'Secondary', {
      replicationGroupDescription: 'fixture', replicationGroupId: 'orders-eu', globalReplicationGroupId: 'ldgnf-orders', replicasPerNodeGroup: 1,
    }),
  },
  {
    // docs/aws-facts.md, "Serverless public endpoints": vpc or public; public on Valkey 9.0+ serverless only.
    rule: 'ServerlessConnectionType',
    failing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '8', connectionType: 'public' }),
    passing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '9', connectionType: 'public' }),
  },
  {
    // docs/aws-facts.md, "Serverless public endpoints": a public cache's user group holds IAM users only.
    rule: 'ServerlessConnectionType',
    failing: (s) => {
      const g = group(s, 'valkey', [user(s, 'App', { engine: 'valkey', authenticationMode: PASSWORD })]);
      new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '9', connectionType: 'public', userGroupId: g.ref });
    },
    passing: (s) => {
      const g = group(s, 'valkey', [user(s, 'App', { engine: 'valkey', authenticationMode: { Type: 'iam' } })]);
      new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '9', connectionType: 'public', userGroupId: g.ref });
    },
  },
  {
    // docs/aws-facts.md, "Serverless public endpoints": the two values the CloudFormation specification lists.
    rule: 'ServerlessConnectionType',
    failing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '9', connectionType: 'internet' }),
    passing: (s) => new elasticache.CfnServerlessCache(s, 'Sc', { serverlessCacheName: 'sc', engine: 'valkey', majorEngineVersion: '9', connectionType: 'vpc' }),
  },
  {
    // docs/aws-facts.md, "Data tiering": r6gd replication groups must set DataTieringEnabled.
    rule: 'DataTieringNodeType',
    failing: (s) => replicationGroup(s, { cacheNodeType: 'cache.r6gd.xlarge' }),
    passing: (s) => replicationGroup(s, { cacheNodeType: 'cache.r6gd.xlarge', dataTieringEnabled: true }),
  },
  {
    // docs/aws-facts.md, "Data tiering": it starts with Redis OSS 6.2 (Enhanced).
    rule: 'DataTieringNodeType',
    failing: (s) => replicationGroup(s, { cacheNodeType: 'cache.r6gd.xlarge', dataTieringEnabled: true, engine: 'redis', engineVersion: '6.0' }),
    passing: (s) => replicationGroup(s, { cacheNodeType: 'cache.r6gd.xlarge', dataTieringEnabled: true, engine: 'redis', engineVersion: '6.2' }),
  },
  {
    // docs/aws-facts.md, "Durability": Valkey 9.0+, listed node families, Multi-AZ with a replica, TLS; else creation fails.
    rule: 'DurabilityRequirements',
    failing: (s) => replicationGroup(s, { engineVersion: '8.2', durability: 'sync', multiAzEnabled: true, transitEncryptionEnabled: true }),
    passing: (s) => replicationGroup(s, { engineVersion: '9.0', durability: 'sync', multiAzEnabled: true, transitEncryptionEnabled: true }),
  },
  {
    // docs/aws-facts.md, "Vector search": Valkey 8.2+, no r6gd, a 50 % / 30 % reserve on burstable micro / small nodes.
    // The reserve comes from the group's parameter group: 25 % on a t4g.micro is refused, 50 % accepted.
    rule: 'VectorIndexHost',
    failing: (s) => { searchHostWithReserve(s, '25'); vectorIndexes(s, 'orders'); },
    passing: (s) => { searchHostWithReserve(s, '50'); vectorIndexes(s, 'orders'); },
  },
  {
    // docs/aws-facts.md, "Serverless network type": dual_stack needs subnets with IPv6 space as well.
    rule: 'ServerlessNetworkType',
    failing: (s) => serverlessIn(s, 'dual_stack', {}),
    passing: (s) => serverlessIn(s, 'dual_stack', { ipv6CidrBlock: '2001:db8::/64' }),
  },
  {
    // docs/aws-facts.md, "Auth": IAM users need user id = user name.
    rule: 'IamUserIdName',
    failing: (s) => user(s, 'App', { userId: 'app-id', userName: 'app', authenticationMode: { Type: 'iam' } }),
    passing: (s) => user(s, 'App', { userId: 'app', userName: 'app', authenticationMode: { Type: 'iam' } }),
  },
  {
    // docs/aws-facts.md, "CloudWatch metrics": serverless metrics are under clusterId.
    rule: 'AlarmServerlessDimension',
    failing: (s) => alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'ThrottledCmds', dimensions: [{ name: 'ServerlessCacheName', value: 'infer' }], period: 60, statistic: 'Sum' }),
    passing: (s) => alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'ThrottledCmds', dimensions: [{ name: 'clusterId', value: 'infer' }], period: 60, statistic: 'Sum' }),
  },
  {
    // docs/aws-facts.md, "CloudWatch metrics": node metrics are per member cluster id, never the replication group id.
    rule: 'AlarmReplicationGroupId',
    failing: (s) => {
      const rg = replicationGroup(s);
      alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'Evictions', dimensions: [{ name: 'CacheClusterId', value: rg.ref }], period: 60, statistic: 'Sum' });
    },
    passing: (s) => {
      replicationGroup(s);
      alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'Evictions', dimensions: [{ name: 'CacheClusterId', value: 'orders-0001-001' }], period: 60, statistic: 'Sum' });
    },
  },
  {
    // docs/aws-facts.md, "CloudWatch metrics": node metrics that exist only with CacheClusterId + CacheNodeId.
    rule: 'AlarmNodeDimension',
    failing: (s) => alarm(s, [stat('r', 'SuccessfulReadRequestLatency', { CacheClusterId: 'orders-0001-001' }), { id: 'e', expression: 'MAX([r])' }]),
    passing: (s) => alarm(s, [stat('r', 'SuccessfulReadRequestLatency', { CacheClusterId: 'orders-0001-001', CacheNodeId: '0001' }), { id: 'e', expression: 'MAX([r])' }]),
  },
  {
    // Same table: DurabilityLag is published per node only, which the rule knew nowhere but the catalog.
    rule: 'AlarmNodeDimension',
    failing: (s) => alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'DurabilityLag', dimensions: [{ name: 'CacheClusterId', value: 'orders-0001-001' }], period: 60, statistic: 'Maximum' }),
    passing: (s) => alarm(s, undefined, { namespace: 'AWS/ElastiCache', metricName: 'DurabilityLag', dimensions: [{ name: 'CacheClusterId', value: 'orders-0001-001' }, { name: 'CacheNodeId', value: '0001' }], period: 60, statistic: 'Maximum' }),
  },
  {
    // Same table: the search metrics are per node only.
    rule: 'AlarmNodeDimension',
    failing: (s) => alarm(s, [stat('m', 'SearchUsedMemoryBytes', { CacheClusterId: 'orders-0001-001' }), { id: 'e', expression: 'MAX([m])' }]),
    passing: (s) => alarm(s, [stat('m', 'AuthenticationFailures', { CacheClusterId: 'orders-0001-001' }), { id: 'e', expression: 'MAX([m])' }]),
  },
  {
    // docs/aws-facts.md, "Deploy-time limits and traps": an alarm's metric math reads at most 10 metrics.
    rule: 'AlarmMathMetrics',
    failing: (s) => alarm(s, [...Array.from({ length: 11 }, (_, i) => stat(`m${i}`, 'Evictions', { CacheClusterId: `orders-0001-00${i}` })), { id: 'e', expression: 'SUM(METRICS())' }]),
    passing: (s) => alarm(s, [...Array.from({ length: 10 }, (_, i) => stat(`m${i}`, 'Evictions', { CacheClusterId: `orders-0001-00${i}` })), { id: 'e', expression: 'SUM(METRICS())' }]),
  },
  {
    // docs/aws-facts.md, "Deploy-time limits and traps": composites take 100 children, 10,240-character rules.
    rule: 'CompositeAlarmLimits',
    failing: (s) => composite(s, 101),
    passing: (s) => composite(s, 60),
  },
  {
    // docs/aws-facts.md, "ARNs": colon before the name.
    rule: 'ConnectArnFormat',
    failing: (s) => connectPolicy(s, 'arn:aws:elasticache:us-east-1:111122223333:serverlesscache/infer'),
    passing: (s) => connectPolicy(s, 'arn:aws:elasticache:us-east-1:111122223333:serverlesscache:infer'),
  },
  {
    // docs/aws-facts.md, "Auth": CLUSTER SLOTS is @slow only; +@read +@write breaks every cluster-mode client.
    rule: 'ClusterUserRouting',
    failing: (s) => {
      const g = group(s, 'valkey', [user(s, 'App', { engine: 'valkey', authenticationMode: { Type: 'iam' }, accessString: 'on ~app:* +@read +@write' })]);
      replicationGroup(s, { userGroupIds: [g.ref] });
    },
    passing: (s) => {
      const g = group(s, 'valkey', [user(s, 'App', { engine: 'valkey', authenticationMode: { Type: 'iam' }, accessString: 'on ~app:* +@read +@write +cluster|slots +cluster|shards' })]);
      replicationGroup(s, { userGroupIds: [g.ref] });
    },
  },
  {
    // docs/aws-facts.md, "Auto scaling": memory counted for eviction is ineligible on data tiering (r6gd) nodes.
    rule: 'DataTieringScalingMetric',
    failing: (s) => shardPolicy(s, 'cache.r6gd.xlarge', 'ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage'),
    passing: (s) => {
      shardPolicy(s, 'cache.r6gd.xlarge', 'ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage');
      shardPolicy(new Stack(s.node.root as App, 'Memory'), 'cache.r7g.large', 'ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage', 'sessions');
    },
  },
  {
    // docs/aws-facts.md, "Deploy-time limits and traps": NumNodeGroups changes need UseOnlineResharding.
    rule: 'ReplicationGroupResharding',
    failing: (s) => replicationGroup(s, {}, false),
    passing: (s) => replicationGroup(s),
  },
  {
    // docs/aws-facts.md, "Deploy-time limits and traps": a fixed final snapshot name breaks the second deletion.
    rule: 'ServerlessFinalSnapshotName',
    failing: (s) => new elasticache.CfnServerlessCache(s, 'Cache', { serverlessCacheName: 'infer', engine: 'valkey', finalSnapshotName: 'infer-final' }),
    passing: (s) => new elasticache.CfnServerlessCache(s, 'Cache', { serverlessCacheName: 'infer', engine: 'valkey', finalSnapshotName: `infer-final-${s.stackId}` }),
  },
  {
    // docs/aws-facts.md, "Deploy-time limits and traps": a Standard parameter holds 4,096 characters.
    rule: 'SsmParameterTier',
    failing: (s) => new ssm.CfnParameter(s, 'Param', { type: 'String', value: 'x'.repeat(4097) }),
    passing: (s) => new ssm.CfnParameter(s, 'Param', { type: 'String', value: 'x'.repeat(4097), tier: 'Advanced' }),
  },
];

describe('ElastiCacheChecks, rule by rule', () => {
  test('every rule of the pack has a case below, with a level, an explanation naming its source, and a unique id', () => {
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual(ELASTICACHE_RULES.map((r) => r.id).sort());
    for (const rule of ELASTICACHE_RULES) {
      expect([NagMessageLevel.ERROR, NagMessageLevel.WARN]).toContain(rule.level);
      expect(rule.explanation).toMatch(/Source: docs\/aws-facts\.md "[^"]+"/);
      expect(rule.info.length).toBeGreaterThan(20);
    }
  });

  test.each(CASES)('$rule: the failing fixture is reported, the passing one is not', ({ rule, failing, passing }) => {
    const reported = findings(failing).filter((id) => id.startsWith(`ElastiCache-${rule}`));
    expect(reported.length).toBeGreaterThan(0);
    expect(findings(passing)).toEqual([]);
  });

  test('a finding of ClusterUserRouting names the user; acknowledging that finding on the cache silences only it', () => {
    const build = (s: Stack) => {
      const g = new elasticache.CfnUserGroup(s, 'Group', {
        engine: 'valkey', userGroupId: 'g',
        userIds: [user(s, 'Reader', { engine: 'valkey', accessString: 'on ~r:* +@read', authenticationMode: { Type: 'iam' } }).ref,
          user(s, 'Writer', { engine: 'valkey', accessString: 'on ~w:* +@write', authenticationMode: { Type: 'iam' } }).ref],
      });
      return new elasticache.CfnServerlessCache(s, 'Cache', { serverlessCacheName: 'c', engine: 'valkey', userGroupId: g.ref });
    };
    expect(findings(build)).toEqual(['ElastiCache-ClusterUserRouting[user::reader]', 'ElastiCache-ClusterUserRouting[user::writer]']);
    expect(findings((s) => Validations.of(build(s)).acknowledge({
      id: 'ElastiCache-ClusterUserRouting[user::reader]', reason: 'the reader connects to one node in standalone mode on purpose',
    }))).toEqual(['ElastiCache-ClusterUserRouting[user::writer]']);
  });

  test('CompositeAlarmLimits also counts the description and the length of the rule, not only the children', () => {
    expect(findings((s) => composite(s, 3, 'x'.repeat(1025)))).toEqual(['ElastiCache-CompositeAlarmLimits']);
    expect(findings((s) => composite(s, 3, 'x'.repeat(1024)))).toEqual([]);
    // 80 children are under 100, but with 60-character names and the longest ARN prefix the rule exceeds 10,240 characters.
    const longName = `orders-${'x'.repeat(50)}-`;
    expect(findings((s) => composite(s, 80, 'fixture', longName))).toEqual(['ElastiCache-CompositeAlarmLimits']);
    expect(findings((s) => composite(s, 70, 'fixture', longName))).toEqual([]);
  });

  test('access strings are read rule by rule, the way the server applies them', () => {
    expect(allowsClusterSlots('on ~* +@all -@dangerous')).toBe(true);
    expect(allowsClusterSlots('on ~* +@read +@write')).toBe(false);
    expect(allowsClusterSlots('on ~* +@read +cluster|slots')).toBe(true);
    expect(allowsClusterSlots('on ~* +@all -@slow')).toBe(false);
    expect(allowsClusterSlots('on ~* +@read +cluster|slots -@all +@read')).toBe(false);
  });

  test('references resolve within their own stack: two stacks with the same logical ids neither hide nor invent a finding', () => {
    const app = new App();
    // The first stack's parameter group fits its Valkey 8.2 cluster; the second's "Pg" is a redis6.x group its Valkey
    // cluster cannot take. A Ref never leaves its template, so each cluster is judged by its own "Pg".
    const good = new Stack(app, 'Good');
    replicationGroup(good, { engineVersion: '8.2', cacheParameterGroupName: new elasticache.CfnParameterGroup(good, 'Pg', { cacheParameterGroupFamily: 'valkey8', description: 'fixture' }).ref });
    const bad = new Stack(app, 'Bad');
    replicationGroup(bad, { engineVersion: '8.2', cacheParameterGroupName: new elasticache.CfnParameterGroup(bad, 'Pg', { cacheParameterGroupFamily: 'redis6.x', description: 'fixture' }).ref });
    // A dual-stack cache in subnets with IPv6 space; another stack's "Subnet" has none.
    serverlessIn(new Stack(app, 'Dual'), 'dual_stack', { ipv6CidrBlock: '2001:db8::/64' });
    new ec2.CfnSubnet(new Stack(app, 'Other'), 'Subnet', { vpcId: 'vpc-2', cidrBlock: '10.1.0.0/24' });
    const violations = new ElastiCacheChecks().validateScope(app).violations;
    expect(violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([['ElastiCache-ParameterGroupFamily', ['Bad/Rg']]]);
  });

  test('a resource of another kind is never reported', () => {
    expect(findings((s) => new CfnResource(s, 'Other', { type: 'AWS::SQS::Queue', properties: { QueueName: 'q' } }))).toEqual([]);
  });
});
