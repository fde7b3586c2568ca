import { Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CacheAlarms, CacheEngine, ClusterCache, EvictionPolicy, ServerlessCache, TtlPolicy } from '../../lib';
import { ALARMS, thresholdFor, cpuAlarmFor } from '../../lib/catalog/alarms';
import { resourcesOf, testStack } from '../support/cdk';

type AlarmProps = Record<string, unknown> & {
  AlarmName: string; Threshold: number; AlarmDescription: string;
  Metrics?: Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Stat: string; Period: number } }>;
};

function alarms(stack: ReturnType<typeof testStack>['stack']): Record<string, AlarmProps> {
  return Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map(([, p]) => [(p as AlarmProps).AlarmName, p as AlarmProps]));
}

function dimensionsOf(alarm: AlarmProps): string[] {
  if (alarm.Metrics) return alarm.Metrics.filter((m) => m.MetricStat).map((m) => `${m.MetricStat!.Metric.Dimensions[0].Name}=${m.MetricStat!.Metric.Dimensions[0].Value}`);
  const dims = alarm.Dimensions as Array<{ Name: string; Value: string }>;
  return dims.map((d) => `${d.Name}=${d.Value}`);
}

describe('CacheAlarms on a serverless cache', () => {
  const { stack, vpc } = testStack();
  new ServerlessCache(stack, 'Cache', {
    serverlessCacheName: 'infer', vpc,
    usageLimits: { dataStorageMaximum: Size.gibibytes(10), ecpuPerSecondMaximum: 20000 },
  });
  const all = alarms(stack);

  test('creates the serverless alarms of the catalog, and only those', () => {
    // Serverless caches publish AuthenticationFailures and KeyAuthorizationFailures, not CommandAuthorizationFailures
    // (docs/aws-facts.md, "CloudWatch metrics").
    expect(Object.keys(all).sort()).toEqual([
      'infer-authentication-failures', 'infer-connection-storm', 'infer-ecpu-near-limit', 'infer-evictions', 'infer-hit-ratio-low',
      'infer-key-authorization-failures', 'infer-latency-critical', 'infer-latency-high', 'infer-storage-near-limit', 'infer-throttling',
    ]);
  });

  // docs/aws-facts.md: serverless metrics use the `clusterId` dimension with the cache name.
  test('every alarm reads the clusterId dimension', () => {
    for (const alarm of Object.values(all)) {
      for (const d of dimensionsOf(alarm)) expect(d).toBe('clusterId=infer');
    }
  });

  test('throttling: ThrottledCmds Sum over 60 s > 0, 2 of 3, missing data not breaching', () => {
    expect(all['infer-throttling']).toMatchObject({
      MetricName: 'ThrottledCmds', Namespace: 'AWS/ElastiCache', Statistic: 'Sum', Period: 60, Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 2, EvaluationPeriods: 3, TreatMissingData: 'notBreaching',
    });
  });

  test('storage and ECPU alarms fire at 75 % of the configured maximum', () => {
    const storage = all['infer-storage-near-limit'];
    expect(storage.Threshold).toBe(75);
    expect(storage.Metrics!.find((m) => m.Expression)!.Expression).toBe(`100 * bytes / ${10 * 1e9}`);
    const ecpu = all['infer-ecpu-near-limit'];
    expect(ecpu.Metrics!.find((m) => m.Expression)!.Expression).toBe('100 * (ecpu / PERIOD(ecpu)) / 20000');
    expect(ecpu.Metrics!.find((m) => m.MetricStat)!.MetricStat).toMatchObject({ Metric: { MetricName: 'ElastiCacheProcessingUnits' }, Stat: 'Sum' });
  });

  test('evictions on serverless: any eviction is news (threshold 0)', () => {
    expect(all['infer-evictions']).toMatchObject({ Threshold: 0, Statistic: 'Sum', Period: 300 });
  });

  test('a new cache is watched by default; monitoring: { enabled: false } creates no alarm, topic or dashboard', () => {
    const s = testStack();
    new ServerlessCache(s.stack, 'On', { serverlessCacheName: 'on', vpc: s.vpc });
    new ServerlessCache(s.stack, 'Off', { serverlessCacheName: 'off', vpc: s.vpc, monitoring: { enabled: false } });
    const names = Object.keys(alarms(s.stack));
    expect(names).toContain('on-throttling');
    expect(names.filter((n) => n.startsWith('off-'))).toEqual([]);
    const t = Template.fromStack(s.stack);
    expect(resourcesOf(t, 'AWS::CloudWatch::Dashboard').map(([, p]) => JSON.stringify(p.DashboardName))).toEqual([expect.stringContaining('ElastiCache-on-')]);
    expect(resourcesOf(t, 'AWS::SNS::Topic')).toHaveLength(1);
  });

  test('storage and ECPU alarms are left out when no maximum is set', () => {
    const s = testStack();
    new ServerlessCache(s.stack, 'Cache', { serverlessCacheName: 'open', vpc: s.vpc });
    const names = Object.keys(alarms(s.stack));
    expect(names).not.toContain('open-storage-near-limit');
    expect(names).not.toContain('open-ecpu-near-limit');
    expect(names).toContain('open-throttling');
  });
});

describe('CacheAlarms on a cluster', () => {
  const { stack, vpc } = testStack();
  const cache = new ClusterCache(stack, 'Cache', {
    replicationGroupId: 'feat', vpc, shards: 3, replicasPerShard: 1, nodeType: 'cache.r7g.2xlarge',
    ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(1), requireTtl: true }),
  });
  const all = alarms(stack);
  const members = cache.memberClusterIds;

  // docs/aws-facts.md: node-based metrics are per member node under CacheClusterId; never the replication group id.
  test('node metrics use CacheClusterId with the real member ids, aggregated by MAX across nodes', () => {
    const memory = all['feat-memory-high'];
    expect(dimensionsOf(memory)).toEqual(members.map((m) => `CacheClusterId=${m}`));
    expect(memory.Metrics!.find((m) => m.Expression)!.Expression).toBe(`MAX([${members.map((_, i) => `m${i}_0`).join(',')}])`);
    expect(memory).toMatchObject({ Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 3, EvaluationPeriods: 5 });
    expect(memory.Metrics!.filter((m) => m.MetricStat).every((m) => m.MetricStat!.Stat === 'Maximum' && m.MetricStat!.Period === 60)).toBe(true);
  });

  test('no alarm math uses more than 10 metrics; larger sets are split into chunks', () => {
    for (const alarm of Object.values(all)) {
      expect((alarm.Metrics ?? []).filter((m) => m.MetricStat).length).toBeLessThanOrEqual(10);
    }
    // 6 nodes × 4 network allowance metrics = 24 metrics -> 3 alarms covering every node and metric once.
    const network = Object.keys(all).filter((n) => n.startsWith('feat-network-allowance'));
    expect(network).toHaveLength(3);
    const covered = network.flatMap((n) => all[n].Metrics!.filter((m) => m.MetricStat).map((m) => `${m.MetricStat!.Metric.MetricName}@${m.MetricStat!.Metric.Dimensions[0].Value}`));
    expect(new Set(covered).size).toBe(24);
  });

  test('hit ratio: hits / (hits + misses) summed across nodes, guarded by a minimum of traffic', () => {
    const parts = Object.keys(all).filter((n) => n.startsWith('feat-hit-ratio-low')).map((n) => all[n]);
    expect(parts).toHaveLength(2);
    const top = parts[0].Metrics!.find((m) => m.Id === 'expr_1' || (m.Expression ?? '').startsWith('IF'))!;
    expect(top.Expression).toBe('IF(hits + misses >= 100, 100 * hits / (hits + misses), 100)');
    expect(parts[0].Metrics!.find((m) => m.Id === 'hits')!.Expression).toBe('SUM([h0,h1,h2,h3,h4])');
    expect(parts[0]).toMatchObject({ Threshold: 80, ComparisonOperator: 'LessThanThreshold', DatapointsToAlarm: 4, EvaluationPeriods: 6 });
  });

  test('the CPU alarm matches the node size: EngineCPUUtilization > 90 on 8 vCPUs', () => {
    expect(all['feat-engine-cpu-high']).toMatchObject({ Threshold: 90, DatapointsToAlarm: 5, EvaluationPeriods: 5 });
    expect(all['feat-cpu-high']).toBeUndefined();
    expect(all['feat-engine-cpu-high'].Metrics!.filter((m) => m.MetricStat).every((m) => m.MetricStat!.Metric.MetricName === 'EngineCPUUtilization')).toBe(true);
  });

  test('ttl-missing counts one node per shard (each node of a shard holds the same keys)', () => {
    const ttl = all['feat-ttl-missing'];
    expect(ttl.Metrics!.find((m) => m.Id === 'items')!.Expression).toBe('SUM([i0,i1,i2])');
    expect(dimensionsOf(ttl).filter((d, i, a) => a.indexOf(d) === i)).toEqual(['CacheClusterId=feat-0001-001', 'CacheClusterId=feat-0002-001', 'CacheClusterId=feat-0003-001']);
    expect(ttl.Metrics!.find((m) => (m.Expression ?? '').startsWith('IF'))!.Expression).toBe('IF(items > 0, 100 * (items - volatile) / items, 0)');
  });

  test('every description starts with the catalog summary and ends with the runbook link', () => {
    for (const [name, alarm] of Object.entries(all)) {
      const id = ALARMS.find((a) => name.replace(/^feat-/, '').replace(/-\d+$/, '') === a.id)!;
      expect(alarm.AlarmDescription.startsWith(id.summary)).toBe(true);
      expect(alarm.AlarmDescription.endsWith(`Runbook: runbooks/${id.runbook}.md`)).toBe(true);
    }
  });

  test('ALARM and OK notifications go to an encrypted, SSL-only topic', () => {
    const t = Template.fromStack(stack);
    const [[topicId, topic]] = resourcesOf(t, 'AWS::SNS::Topic');
    expect(topic.KmsMasterKeyId).toBeDefined();
    for (const alarm of Object.values(all)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    // CloudWatch must be able to use the topic's key, or notifications to an encrypted topic are dropped.
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      })]) },
    });
  });

  test('the composite cache-unhealthy alarm fires on any critical alarm', () => {
    const [[, composite]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm');
    const rule = JSON.stringify(composite.AlarmRule);
    // The AWS operations-review tiers (docs/aws-facts.md, "Engine support lifecycle and the defaults review"): memory
    // above 90 % and replication lag above 5 s page; above 80 % and 1 s they warn.
    for (const critical of ['feat-memory-critical', 'feat-engine-cpu-high', 'feat-replication-lag-critical', 'feat-latency-critical-1']) {
      const logicalId = Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
        .find(([, r]) => (r as { Properties: AlarmProps }).Properties.AlarmName === critical)![0];
      expect(rule).toContain(logicalId);
    }
    for (const warning of ['feat-evictions', 'feat-memory-high', 'feat-replication-lag', 'feat-latency-high-1', 'feat-authentication-failures']) {
      const logicalId = Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
        .find(([, r]) => (r as { Properties: AlarmProps }).Properties.AlarmName === warning)![0];
      expect(rule).not.toContain(`"${logicalId}"`);
    }
    expect(composite.AlarmDescription).toMatch(/Runbook: runbooks\/cache-unhealthy\.md$/);
  });
});

describe('thresholds that depend on configuration', () => {
  const def = (id: string) => ALARMS.find((a) => a.id === id)!;
  test.each([
    ['cache.t4g.micro', 'cpu-high', 45, 16000],
    ['cache.t3.medium', 'cpu-high', 45, 36800],
    ['cache.t2.small', 'cpu-high', 90, 52000],
    ['cache.r7g.large', 'cpu-high', 45, 52000],
    ['cache.m7g.xlarge', 'engine-cpu-high', 90, 52000],
    ['cache.r6g.16xlarge', 'engine-cpu-high', 90, 52000],
  ])('%s: %s, CPU threshold %s, connections threshold %s (80 %% of maxclients)', (nodeType, cpuAlarm, cpu, connections) => {
    expect(cpuAlarmFor(nodeType)).toBe(cpuAlarm);
    expect(thresholdFor(def(cpuAlarm), { nodeType })).toBe(cpu);
    expect(thresholdFor(def('connections-high'), { nodeType })).toBe(connections);
  });

  test('evictions: 100 per 5 min with allkeys-* policies, 0 otherwise', () => {
    const withPolicy = (policy: EvictionPolicy) => {
      const { stack, vpc } = testStack();
      new ClusterCache(stack, 'C', { replicationGroupId: 'ev', vpc, evictionPolicy: policy, monitoring: { dashboard: false } });
      return alarms(stack)['ev-evictions'].Threshold;
    };
    expect(withPolicy(EvictionPolicy.ALLKEYS_LRU)).toBe(100);
    expect(withPolicy(EvictionPolicy.ALLKEYS_LFU)).toBe(100);
    expect(withPolicy(EvictionPolicy.VOLATILE_TTL)).toBe(0);
    expect(withPolicy(EvictionPolicy.NOEVICTION)).toBe(0);
  });
});

describe('CacheAlarms options', () => {
  test('overrides change a threshold, datapoints and period, or turn an alarm off', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'C', {
      replicationGroupId: 'ov', vpc, engine: CacheEngine.REDIS_OSS_7,
      monitoring: {
        dashboard: false,
        overrides: {
          'memory-high': { threshold: 70, datapointsToAlarm: 2, evaluationPeriods: 3, period: Duration.minutes(5) },
          'swap-high': { enabled: false },
        },
      },
    });
    const all = alarms(stack);
    expect(all['ov-memory-high']).toMatchObject({ Threshold: 70, DatapointsToAlarm: 2, EvaluationPeriods: 3 });
    expect(all['ov-memory-high'].Metrics!.filter((m) => m.MetricStat).every((m) => m.MetricStat!.Period === 300)).toBe(true);
    expect(all['ov-swap-high']).toBeUndefined();
  });

  test('an override for an id the catalog does not have is refused with the list of ids', () => {
    const { stack, vpc } = testStack();
    expect(() => new ClusterCache(stack, 'C', { replicationGroupId: 'ov', vpc, monitoring: { overrides: { 'memory-hgih': { threshold: 1 } } } }))
      .toThrow(/^Test\/C\/Monitoring\/Alarms: invalid overrides "memory-hgih": allowed are the catalog alarm ids: memory-high, memory-critical, capacity-high, capacity-critical, evictions, hit-ratio-low/);
  });

  test('per-node alarms: one alarm per node for gauges, named after the node', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'C', { replicationGroupId: 'pn', vpc, shards: 2, monitoring: { perNodeAlarms: true, dashboard: false } });
    const all = alarms(stack);
    expect(Object.keys(all).filter((n) => n.startsWith('pn-memory-high')).sort())
      .toEqual(['pn-memory-high-pn-0001-001', 'pn-memory-high-pn-0001-002', 'pn-memory-high-pn-0002-001', 'pn-memory-high-pn-0002-002']);
    expect(all['pn-memory-high-pn-0002-001']).toMatchObject({
      MetricName: 'DatabaseMemoryUsagePercentage', Dimensions: [{ Name: 'CacheClusterId', Value: 'pn-0002-001' }, { Name: 'CacheNodeId', Value: '0001' }],
    });
  });

  test('no replication-lag alarm without replicas; a given topic and runbook base URL are used', () => {
    const { stack, vpc } = testStack();
    const topic = new sns.Topic(stack, 'Pager');
    new ClusterCache(stack, 'C', {
      replicationGroupId: 'solo', vpc, replicasPerShard: 0, multiAz: false,
      monitoring: { alarmTopic: topic, runbookBaseUrl: 'https://wiki.example.com/cache/', dashboard: false },
    });
    const all = alarms(stack);
    expect(all['solo-replication-lag']).toBeUndefined();
    expect(all['solo-memory-high'].AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
    expect(all['solo-memory-high'].AlarmDescription).toMatch(/Runbook: https:\/\/wiki\.example\.com\/cache\/memory-high\.md$/);
  });

  test('alarms on an imported cache', () => {
    const { stack, vpc } = testStack();
    const cache = ClusterCache.fromClusterCacheAttributes(stack, 'Old', {
      replicationGroupId: 'old', configurationEndpointAddress: 'cfg.old', securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc })],
      shards: 1, replicasPerShard: 2, nodeType: 'cache.m7g.large',
    });
    new CacheAlarms(stack, 'Alarms', { cache });
    const all = alarms(stack);
    expect(all['old-cpu-high'].Threshold).toBe(45);
    expect(dimensionsOf(all['old-memory-high'])).toEqual(['CacheClusterId=old-0001-001', 'CacheClusterId=old-0001-002', 'CacheClusterId=old-0001-003']);
  });
});

// docs/aws-facts.md, "CloudWatch metrics": serverless caches publish CacheHitRate and TotalCmdsCount, not CacheMisses.
describe('hit ratio on a serverless cache', () => {
  test('reads CacheHitRate, guarded by TotalCmdsCount so that an idle cache pages nobody', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, monitoring: { hitRatioMinimumRequests: 250 } });
    const alarm = alarms(stack)['infer-hit-ratio-low'];
    expect(alarm.Metrics!.find((m) => m.Expression)!.Expression).toBe('IF(cmds >= 250, rate, 100)');
    const stats = alarm.Metrics!.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!.Metric.MetricName, m.MetricStat!.Stat]);
    expect(stats.sort()).toEqual([['cmds', 'TotalCmdsCount', 'Sum'], ['rate', 'CacheHitRate', 'Average']]);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('CacheMisses');
  });
});

// docs/aws-facts.md, "Deploy-time limits and traps": composite alarms take at most 100 children and a rule of 10,240
// characters; every alarm description holds at most 1,024 characters.
describe('CloudWatch limits of composite alarms and descriptions', () => {
  test('more critical alarms than one composite holds are nested: child composites under one cache-unhealthy', () => {
    const { stack, vpc } = testStack();
    // 60 shards × 2 nodes with per-node memory and CPU alarms: 240 critical alarms.
    const warnings = Object.fromEntries(ALARMS.filter((a) => a.kind !== 'composite' && !['memory-critical', 'cpu-high'].includes(a.id))
      .map((a) => [a.id, { enabled: false }]));
    new ClusterCache(stack, 'C', {
      replicationGroupId: 'wide', vpc, shards: 60, replicasPerShard: 1, nodeType: 'cache.t4g.small',
      monitoring: { perNodeAlarms: true, dashboard: false, overrides: warnings },
    });
    const composites = Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm').map(([, p]) => [String(p.AlarmName), p]));
    const children = Object.keys(composites).filter((n) => n !== 'wide-cache-unhealthy').sort();
    expect(children.length).toBeGreaterThanOrEqual(3);
    expect(children.every((n) => /^wide-cache-unhealthy-\d+$/.test(n))).toBe(true);
    const countIn = (rule: unknown) => (JSON.stringify(rule).match(/ALARM\(/g) ?? []).length;
    expect(countIn(composites['wide-cache-unhealthy'].AlarmRule)).toBe(children.length);
    const perChild = children.map((n) => countIn(composites[n].AlarmRule));
    expect(perChild.reduce((a, b) => a + b, 0)).toBe(240);
    for (const n of perChild) expect(n).toBeLessThanOrEqual(100);
    for (const c of Object.values(composites)) expect(String(c.AlarmDescription).length).toBeLessThanOrEqual(1024);
  });

  test('a long scope is shortened to fit 1,024 characters; a runbook base URL that cannot fit is refused', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'C', {
      replicationGroupId: 'long', vpc, shards: 4, monitoring: { perNodeAlarms: true, runbookBaseUrl: `https://runbooks.example.com/${'a'.repeat(600)}/`, dashboard: false },
    });
    for (const alarm of Object.values(alarms(stack))) expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
    const [[, composite]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm');
    expect(String(composite.AlarmDescription)).toMatch(/ and \d+ more\. Runbook: https:\/\/runbooks\.example\.com\/a+\/cache-unhealthy\.md$/);
    const s = testStack();
    expect(() => new ClusterCache(s.stack, 'C', { replicationGroupId: 'url', vpc: s.vpc, monitoring: { runbookBaseUrl: `https://x/${'b'.repeat(1000)}/` } }))
      .toThrow(/^Test\/C\/Monitoring\/Alarms: invalid runbookBaseUrl "https:\/\/x\/b+\/": alarm descriptions hold at most 1024 characters and this one would take \d+; use a shorter base URL$/);
  });
});
