import { durabilityProblem } from '../../lib/catalog/durability';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CacheAlarms, CacheEngine, ClusterCache, Durability, EvictionPolicy } from '../../lib';
import { resourcesOf, testStack, flattenJoin } from '../support/cdk';

function replicationGroup(t: Template): Record<string, unknown> {
  const groups = resourcesOf(t, 'AWS::ElastiCache::ReplicationGroup');
  expect(groups).toHaveLength(1);
  return groups[0][1];
}

function parameterGroup(t: Template): Record<string, unknown> {
  return resourcesOf(t, 'AWS::ElastiCache::ParameterGroup')[0][1];
}

describe('ClusterCache', () => {
  test('defaults: Valkey 8.2 cluster mode, 1 shard x 1 replica, Multi-AZ, failover, TLS, at-rest encryption, RBAC, 7-day backups', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'orders', vpc });
    const t = Template.fromStack(stack);
    expect(replicationGroup(t)).toMatchObject({
      ReplicationGroupId: 'orders',
      Engine: 'valkey',
      EngineVersion: '8.2',
      CacheNodeType: 'cache.r7g.large',
      ClusterMode: 'enabled',
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      Port: 6379,
      SnapshotRetentionLimit: 7,
      AutoMinorVersionUpgrade: true,
      UserGroupIds: [{ Ref: expect.stringMatching(/^CacheAccessUserGroup/) }],
    });
    expect(parameterGroup(t)).toEqual({
      CacheParameterGroupFamily: 'valkey8',
      Description: 'orders: cluster mode, volatile-lru',
      Properties: { 'cluster-enabled': 'yes', 'maxmemory-policy': 'volatile-lru', 'reserved-memory-percent': '25' },
    });
  });

  test('a final snapshot is taken on deletion unless turned off', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Kept', { replicationGroupId: 'kept', vpc });
    new ClusterCache(stack, 'Gone', { replicationGroupId: 'gone', vpc, finalSnapshot: false });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::ElastiCache::ReplicationGroup', { Properties: Match.objectLike({ ReplicationGroupId: 'kept' }), DeletionPolicy: 'Snapshot' });
    t.hasResource('AWS::ElastiCache::ReplicationGroup', { Properties: Match.objectLike({ ReplicationGroupId: 'gone' }), DeletionPolicy: 'Delete' });
  });

  test.each([
    [CacheEngine.VALKEY_8, 'valkey8'],
    [CacheEngine.VALKEY_7_2, 'valkey7'],
    [CacheEngine.REDIS_OSS_7, 'redis7'],
    [CacheEngine.valkey('9.0'), 'valkey9'],
  ])('%s gets parameter group family %s', (engine, family) => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'fam', vpc, engine });
    const t = Template.fromStack(stack);
    expect(parameterGroup(t).CacheParameterGroupFamily).toBe(family);
    expect(replicationGroup(t)).toMatchObject({ Engine: engine.engine, EngineVersion: engine.version });
  });

  test('typed eviction settings and escape-hatch parameters land in the parameter group', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'evict', vpc, engine: CacheEngine.REDIS_OSS_7,
      evictionPolicy: EvictionPolicy.ALLKEYS_LFU, reservedMemoryPercent: 30, maxmemorySamples: 10, lfuLogFactor: 12, lfuDecayTime: 2,
      parameters: { 'notify-keyspace-events': 'Ex', 'slowlog-log-slower-than': '5000' },
    });
    expect(parameterGroup(Template.fromStack(stack)).Properties).toEqual({
      'cluster-enabled': 'yes',
      'maxmemory-policy': 'allkeys-lfu',
      'reserved-memory-percent': '30',
      'maxmemory-samples': '10',
      'lfu-log-factor': '12',
      'lfu-decay-time': '2',
      'notify-keyspace-events': 'Ex',
      'slowlog-log-slower-than': '5000',
    });
  });

  test('parameters of families whose list is not pinned (valkey8) pass through unchanged, never dropped', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'v8', vpc, parameters: { 'search-fanout-target-mode': 'client' } });
    expect(parameterGroup(Template.fromStack(stack)).Properties).toMatchObject({ 'search-fanout-target-mode': 'client' });
  });

  test.each([
    EvictionPolicy.VOLATILE_LRU, EvictionPolicy.ALLKEYS_LRU, EvictionPolicy.VOLATILE_LFU, EvictionPolicy.ALLKEYS_LFU,
    EvictionPolicy.VOLATILE_RANDOM, EvictionPolicy.ALLKEYS_RANDOM, EvictionPolicy.VOLATILE_TTL, EvictionPolicy.NOEVICTION,
  ])('eviction policy %s is written as maxmemory-policy', (policy) => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'pol', vpc, evictionPolicy: policy });
    expect((parameterGroup(Template.fromStack(stack)).Properties as Record<string, string>)['maxmemory-policy']).toBe(policy.value);
  });

  test('member cluster ids follow <rg>-<shard:4>-<node:3> for every shard and node', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 3, replicasPerShard: 2 });
    expect(cache.shards.map((s) => s.shardId)).toEqual(['0001', '0002', '0003']);
    expect(cache.shards[1].memberClusterIds).toEqual(['feat-0002-001', 'feat-0002-002', 'feat-0002-003']);
    expect(cache.memberClusterIds).toHaveLength(9);
    expect(cache.memberClusterIds[8]).toBe('feat-0003-003');
  });

  test('shards, replicas, node type, port, windows, KMS, notifications and restore are passed through', () => {
    const { stack, vpc } = testStack();
    const topic = new sns.Topic(stack, 'Events');
    new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'big', vpc, shards: 4, replicasPerShard: 2, nodeType: 'cache.m7g.xlarge', port: 6390,
      snapshotWindow: '02:00-03:00', maintenanceWindow: 'mon:04:00-mon:05:30', snapshotRetentionDays: 14,
      notificationTopic: topic, snapshotNameToRestore: 'big-seed', autoMinorVersionUpgrade: false,
    });
    expect(replicationGroup(Template.fromStack(stack))).toMatchObject({
      NumNodeGroups: 4, ReplicasPerNodeGroup: 2, CacheNodeType: 'cache.m7g.xlarge', Port: 6390,
      SnapshotWindow: '02:00-03:00', PreferredMaintenanceWindow: 'mon:04:00-mon:05:30', SnapshotRetentionLimit: 14,
      NotificationTopicArn: { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
      SnapshotName: 'big-seed', AutoMinorVersionUpgrade: false,
    });
  });

  test('Multi-AZ can be turned off, and then a shard may run without replicas', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'dev', vpc, multiAz: false, replicasPerShard: 0 });
    expect(replicationGroup(Template.fromStack(stack))).toMatchObject({ MultiAZEnabled: false, AutomaticFailoverEnabled: true, ReplicasPerNodeGroup: 0 });
  });

  // AWS's operations-review checks (OE-06a, OE-06b; docs/aws-facts.md, "Engine support lifecycle and the defaults review")
  // flag a node-based cache without slow-log or engine-log delivery: both are on by default.
  test('slow log and engine log go to CloudWatch Logs in JSON by default, each can be turned off, with the chosen retention', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Default', { replicationGroupId: 'logs-a', vpc });
    new ClusterCache(stack, 'Slow', { replicationGroupId: 'logs-b', vpc, engineLog: false, logRetention: logs.RetentionDays.ONE_WEEK });
    new ClusterCache(stack, 'None', { replicationGroupId: 'logs-c', vpc, slowLog: false, engineLog: false });
    const t = Template.fromStack(stack);
    const byId = Object.fromEntries(resourcesOf(t, 'AWS::ElastiCache::ReplicationGroup').map(([, p]) => [p.ReplicationGroupId, p]));
    const types = (id: string) => ((byId[id].LogDeliveryConfigurations ?? []) as Array<Record<string, unknown>>).map((c) => [c.LogType, c.LogFormat, c.DestinationType]);
    expect(types('logs-a')).toEqual([['slow-log', 'json', 'cloudwatch-logs'], ['engine-log', 'json', 'cloudwatch-logs']]);
    expect(types('logs-b')).toEqual([['slow-log', 'json', 'cloudwatch-logs']]);
    expect(types('logs-c')).toEqual([]);
    // docs/aws-facts.md, "Deploy-time limits and traps": a fixed log group name with RETAIN breaks re-creating the stack,
    // so the name ends in a suffix of the stack id.
    expect(resourcesOf(t, 'AWS::Logs::LogGroup').map(([, p]) => p.LogGroupName).filter((n) => typeof n === 'object').map(flattenJoin).sort())
      .toEqual(['/ectk/logs-a/engine-log/', '/ectk/logs-a/slow-log/', '/ectk/logs-b/slow-log/'].map((prefix) => `${prefix}<AWS::StackId-suffix>`));
    const retentions = resourcesOf(t, 'AWS::Logs::LogGroup').map(([, p]) => p.RetentionInDays).filter((r) => r !== undefined).sort();
    expect(retentions).toEqual([30, 30, 7]);
  });

  test('imported by attributes: ARN, member ids and CacheClusterId metrics', () => {
    const { stack, vpc } = testStack();
    const cache = ClusterCache.fromClusterCacheAttributes(stack, 'Imported', {
      replicationGroupId: 'legacy', configurationEndpointAddress: 'clustercfg.legacy.abc.use1.cache.amazonaws.com',
      securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })], shards: 2, replicasPerShard: 1,
    });
    expect(cache.memberClusterIds).toEqual(['legacy-0001-001', 'legacy-0001-002', 'legacy-0002-001', 'legacy-0002-002']);
    expect(stack.resolve(cache.cacheArn)['Fn::Join'][1].slice(-1)[0]).toBe(':replicationgroup:legacy');
    expect(cache.metricForNode('Evictions', 'legacy-0002-001').toMetricConfig().metricStat?.dimensions)
      .toEqual([{ name: 'CacheClusterId', value: 'legacy-0002-001' }, { name: 'CacheNodeId', value: '0001' }]);
  });
});

// docs/aws-facts.md, "Data tiering": a replication group of r6gd nodes must declare DataTieringEnabled.
describe('data tiering', () => {
  test('r6gd nodes declare DataTieringEnabled; other node types leave it out', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Tiered', { replicationGroupId: 'tiered', vpc, nodeType: 'cache.r6gd.xlarge' });
    new ClusterCache(stack, 'Plain', { replicationGroupId: 'plain', vpc, nodeType: 'cache.r7g.xlarge' });
    const byId = Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ReplicationGroup').map(([, p]) => [p.ReplicationGroupId, p]));
    expect(byId.tiered.DataTieringEnabled).toBe(true);
    expect(byId.plain.DataTieringEnabled).toBeUndefined();
  });
});

// docs/aws-facts.md, "Durability": Valkey 9.0+, node families, cluster mode, Multi-AZ with a replica per shard, TLS.
describe('durability', () => {
  const durable = (props: Partial<ConstructorParameters<typeof ClusterCache>[2]> = {}) => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'ledger', vpc, engine: CacheEngine.valkey('9.0'), shards: 2, durability: Durability.ASYNC, ...props,
    });
    return { stack, cache };
  };

  test('ASYNC sets Durability on the replication group and adds both durability alarms for every node', () => {
    const { stack } = durable();
    const t = Template.fromStack(stack);
    expect(replicationGroup(t)).toMatchObject({ Durability: 'async', EngineVersion: '9.0', MultiAZEnabled: true, TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true });
    const alarms = resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([, p]) => p);
    for (const [id, metric] of [['durability-lag', 'DurabilityLag'], ['durability-writes-rejected', 'DurabilityBufferExceededErrorCount']]) {
      const alarm = alarms.find((p) => p.AlarmName === `ledger-${id}`);
      expect(alarm).toBeDefined();
      const nodes = (alarm!.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: string }> } } }>)
        .filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
      expect(new Set(nodes.map((m) => m.MetricName))).toEqual(new Set([metric]));
      // Both shards' primary and replica, under the node dimensions.
      expect(nodes.map((m) => m.Dimensions.find((d) => d.Name === 'CacheClusterId')!.Value).sort())
        .toEqual(['ledger-0001-001', 'ledger-0001-002', 'ledger-0002-001', 'ledger-0002-002']);
      expect(String(alarm!.AlarmDescription)).toContain(`runbooks/${id}.md`);
    }
  });

  test('SYNC sets Durability without the durability alarms (both metrics are always 0 under sync); no durability sets none', () => {
    const sync = Template.fromStack(durable({ durability: Durability.SYNC }).stack);
    expect(replicationGroup(sync).Durability).toBe('sync');
    const names = resourcesOf(sync, 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName));
    expect(names.filter((n) => n.includes('durability'))).toEqual([]);
    const plain = Template.fromStack(durable({ durability: undefined, engine: undefined }).stack);
    expect(replicationGroup(plain).Durability).toBeUndefined();
  });

  test('DISABLED is sent on Valkey 9.0, where the property exists, and left out below it, where no durability is what the engine does', () => {
    expect(replicationGroup(Template.fromStack(durable({ durability: Durability.DISABLED }).stack)).Durability).toBe('disabled');
    for (const engine of [CacheEngine.VALKEY_8, CacheEngine.REDIS_OSS_7]) {
      const group = replicationGroup(Template.fromStack(durable({ durability: Durability.DISABLED, engine }).stack));
      expect([group.EngineVersion, group.Durability]).toEqual([engine.version, undefined]);
    }
  });

  test.each<[string, Partial<ConstructorParameters<typeof ClusterCache>[2]>, RegExp]>([
    ['Valkey 8.2', { engine: CacheEngine.VALKEY_8 }, /^Test\/Cache: invalid engine "Valkey 8\.2": durability needs Valkey 9\.0 or later \(durability: async\)/],
    ['Redis OSS', { engine: CacheEngine.REDIS_OSS_7 }, /invalid engine "Redis OSS 7\.1": durability needs Valkey 9\.0 or later/],
    ['a t4g node', { nodeType: 'cache.t4g.medium' }, /invalid nodeType "cache\.t4g\.medium": durability runs on the node families r8g, r7g, r6g, m8g, m7g, m6g, c8gn, c7gn/],
    ['data tiering (r6gd)', { nodeType: 'cache.r6gd.xlarge' }, /invalid nodeType "cache\.r6gd\.xlarge": durability runs on the node families/],
    ['no Multi-AZ', { multiAz: false }, /invalid multiAz false: durability needs Multi-AZ \(durability: async\)/],
    ['no replica', { multiAz: false, replicasPerShard: 0 }, /invalid multiAz false: durability needs Multi-AZ/],
  ])('refused at synth: %s', (_, props, message) => {
    expect(() => durable(props)).toThrow(message);
  });

  test('an imported durable cache gets the durability alarms too', () => {
    const { stack, vpc } = testStack();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const cache = ClusterCache.fromClusterCacheAttributes(stack, 'Imported', {
      replicationGroupId: 'old-ledger', configurationEndpointAddress: 'clustercfg.old-ledger.example', securityGroups: [sg], shards: 1, replicasPerShard: 1,
      durability: Durability.ASYNC,
    });
    new CacheAlarms(stack, 'Alarms', { cache });
    const names = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName));
    expect(names).toEqual(expect.arrayContaining(['old-ledger-durability-lag', 'old-ledger-durability-writes-rejected']));
  });
});

describe('durabilityProblem (shared by ClusterCache and the rule pack)', () => {
  const ok = {
    engine: 'valkey', engineVersion: '9.0', nodeType: 'cache.r7g.large', clusterMode: true, multiAz: true, replicasPerShard: 1,
    transitEncryption: true, dataTiering: false, globalDatastore: false,
  };
  test.each<[Partial<typeof ok>, string | undefined]>([
    [{}, undefined],
    [{ engineVersion: '9.1' }, undefined],
    [{ engineVersion: '10.0', nodeType: 'cache.c8gn.xlarge' }, undefined],
    [{ engineVersion: '8.2' }, 'engine'],
    [{ clusterMode: false }, 'clusterMode'],
    [{ replicasPerShard: 0 }, 'replicasPerShard'],
    [{ transitEncryption: false }, 'transitEncryption'],
    [{ globalDatastore: true }, 'globalDatastore'],
    [{ nodeType: 'cache.r6gd.xlarge' }, 'nodeType'],
  ])('%j -> %s', (change, setting) => {
    expect(durabilityProblem({ ...ok, ...change })?.setting).toBe(setting);
  });
});
