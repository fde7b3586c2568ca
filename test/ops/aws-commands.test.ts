import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateReplicationGroupCommand, DescribeEventsCommand, DescribeReplicationGroupsCommand, DescribeServerlessCachesCommand,
  DescribeGlobalReplicationGroupsCommand, DescribeSnapshotsCommand, ElastiCacheClient, FailoverGlobalReplicationGroupCommand, TestFailoverCommand,
} from '@aws-sdk/client-elasticache';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../lib/cli/main';
import { Io } from '../../lib/cli/io';
import { AwsClients } from '../../lib/ops/aws';
import { Moto, startMoto } from '../support/moto';
import { connect, RedisCluster, startCluster } from '../support/redis';

interface Run { code: number; out: string; err: string; json: <T = Record<string, unknown>>() => T }

async function ectk(args: string[], clients: () => AwsClients, options: { stdinTty?: boolean; answer?: string } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => { out += t; }, err: (t) => { err += t; }, tty: false, stdinTty: options.stdinTty ?? false,
    ask: async () => options.answer ?? '',
  };
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((t) => { err += String(t); return true; });
  try {
    const code = await main(['node', 'ectk', ...args], { clients, io });
    return { code, out, err, json: <T>() => JSON.parse(out) as T };
  } finally {
    stderr.mockRestore();
  }
}

describe('ops commands against the moto_server emulator over HTTP', () => {
  let moto: Moto;
  let clients: () => AwsClients;
  beforeAll(async () => {
    moto = await startMoto();
    clients = () => ({ elasticache: new ElastiCacheClient(moto.clientConfig), cloudwatch: new CloudWatchClient(moto.clientConfig) });
    const { elasticache, cloudwatch } = clients();
    await elasticache.send(new CreateReplicationGroupCommand({
      ReplicationGroupId: 'feat', ReplicationGroupDescription: 'features', Engine: 'valkey', CacheNodeType: 'cache.r7g.large',
      NumNodeGroups: 2, ReplicasPerNodeGroup: 1, MultiAZEnabled: true, AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, SnapshotRetentionLimit: 7,
    }));
    // A data point for one node, with the dimension node-based caches publish under.
    await cloudwatch.send(new PutMetricDataCommand({
      Namespace: 'AWS/ElastiCache',
      // ElastiCache publishes node metrics with CacheClusterId + CacheNodeId (docs/aws-facts.md, "CloudWatch metrics").
      MetricData: [{
        MetricName: 'EngineCPUUtilization', Dimensions: [{ Name: 'CacheClusterId', Value: 'feat-001' }, { Name: 'CacheNodeId', Value: '0001' }],
        Value: 42, Timestamp: new Date(Date.now() - 120_000),
      }],
    }));
    for (const id of ['memory-high', 'evictions']) {
      await cloudwatch.send(new PutMetricAlarmCommand({
        AlarmName: `feat-${id}`, AlarmDescription: `Something. Runbook: runbooks/${id}.md`, Namespace: 'AWS/ElastiCache', MetricName: 'Evictions',
        Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
      }));
    }
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'feat-memory-high', StateValue: 'ALARM', StateReason: 'Threshold crossed: 3 datapoints above 80' }));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'feat-evictions', StateValue: 'OK', StateReason: 'fine' }));
  });
  afterAll(async () => { await moto.stop(); });

  test('status: configuration, metrics per member node, alarms with runbooks; exit 1 while an alarm fires', async () => {
    const run = await ectk(['status', 'feat', '--json', '--since', '15m'], clients);
    expect(run.err).toBe('');
    const doc = run.json<{ cache: Record<string, unknown>; metrics: Array<Record<string, unknown>>; alarms: Array<Record<string, unknown>>; healthy: boolean }>();
    expect(doc.cache).toMatchObject({ name: 'feat', flavour: 'cluster', engine: 'valkey', status: 'available', multiAz: true, automaticFailover: true,
      encryption: { inTransit: true, atRest: true }, backups: { retentionDays: 7 }, nodeType: 'cache.r7g.large' });
    expect((doc.cache.shards as unknown[]).length).toBe(2);
    const cpu = doc.metrics.find((m) => m.metric === 'EngineCPUUtilization' && m.dimensionValue === 'feat-001');
    expect(cpu).toMatchObject({ statistic: 'Average', latest: 42, worst: 42, datapoints: 1 });
    expect(doc.metrics.find((m) => m.metric === 'ElastiCacheProcessingUnits')).toBeUndefined();
    expect(doc.alarms).toEqual([
      expect.objectContaining({ name: 'feat-evictions', state: 'OK', runbook: 'runbooks/evictions.md' }),
      expect.objectContaining({ name: 'feat-memory-high', state: 'ALARM', reason: 'Threshold crossed: 3 datapoints above 80', runbook: 'runbooks/memory-high.md' }),
    ]);
    expect(doc.healthy).toBe(false);
    expect(run.code).toBe(1);
  });

  test('status as a table names the runbook of each alarm that is not OK', async () => {
    const run = await ectk(['status', 'feat'], clients);
    expect(run.out).toMatch(/^feat {2}cluster {2}valkey/);
    expect(run.out).toMatch(/feat-memory-high\s+ALARM\s+\S+\s+runbooks\/memory-high\.md/);
    expect(run.out).not.toMatch(/feat-evictions.*runbooks/);
    expect(run.out).toMatch(/EngineCPUUtilization\s+feat-001\s+Average\s+42/);
  });

  test('alarms: state and reason; exit 1 when one is in ALARM', async () => {
    const run = await ectk(['alarms', 'feat'], clients);
    expect(run.code).toBe(1);
    expect(run.out).toContain('feat-memory-high: Threshold crossed: 3 datapoints above 80');
  });

  test('snapshot --wait: CreateSnapshot for a replication group, then available', async () => {
    const run = await ectk(['snapshot', 'feat', '--name', 'feat-before-upgrade', '--wait', '--json'], clients);
    expect(run.code).toBe(0);
    expect(run.json()).toEqual({ cache: 'feat', snapshot: expect.objectContaining({ name: 'feat-before-upgrade', status: 'available' }) });
    const listed = await clients().elasticache.send(new DescribeSnapshotsCommand({ ReplicationGroupId: 'feat' }));
    expect(listed.Snapshots!.map((s) => s.SnapshotName)).toContain('feat-before-upgrade');
  });

  test('an unknown cache is one clear line and exit code 3', async () => {
    const run = await ectk(['status', 'nope', '--json'], () => {
      const elasticache = new ElastiCacheClient(moto.clientConfig);
      // moto has no serverless caches: answer that call the way ElastiCache does for a missing name.
      const mock = mockClient(elasticache);
      mock.on(DescribeReplicationGroupsCommand).rejects(Object.assign(new Error('ReplicationGroup nope not found.'), { name: 'ReplicationGroupNotFoundFault' }));
      mock.on(DescribeServerlessCachesCommand).rejects(Object.assign(new Error('Serverless cache nope not found.'), { name: 'ServerlessCacheNotFoundFault' }));
      return { elasticache, cloudwatch: new CloudWatchClient(moto.clientConfig) };
    });
    expect(run.code).toBe(3);
    expect(run.err).toBe('ectk: no replication group or serverless cache named "nope" in this account and region\n');
  });
});

/** Clients whose calls aws-sdk-client-mock answers, for what the emulator lacks. */
function mocked() {
  const elasticache = new ElastiCacheClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return { clients: () => ({ elasticache, cloudwatch }), ec: mockClient(elasticache), cw: mockClient(cloudwatch) };
}

const group = (status = 'available', replicas = 1) => ({
  ReplicationGroupId: 'feat', Status: status, MultiAZ: 'enabled' as const, AutomaticFailover: 'enabled' as const,
  NodeGroups: [{ NodeGroupId: '0001', NodeGroupMembers: Array.from({ length: replicas + 1 }, (_, i) => ({ CacheClusterId: `feat-0001-00${i + 1}` })) }],
});

describe('ops commands with aws-sdk-client-mock (calls the emulator lacks)', () => {
  test('status of a serverless cache queries its metrics under clusterId', async () => {
    const { clients, ec, cw } = mocked();
    ec.on(DescribeReplicationGroupsCommand).rejects(Object.assign(new Error('not found'), { name: 'ReplicationGroupNotFoundFault' }));
    ec.on(DescribeServerlessCachesCommand).resolves({ ServerlessCaches: [{
      ServerlessCacheName: 'infer', Status: 'available', Engine: 'valkey', FullEngineVersion: '8.2', Endpoint: { Address: 'infer.serverless.use1.cache.amazonaws.com', Port: 6379 },
      UserGroupId: 'infer-users', SnapshotRetentionLimit: 7, DailySnapshotTime: '03:00', CacheUsageLimits: { DataStorage: { Maximum: 10, Unit: 'GB' }, ECPUPerSecond: { Maximum: 100000 } },
    }] });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const run = await ectk(['status', 'infer', '--json'], clients);
    expect(run.code).toBe(0);
    expect(run.json<{ cache: Record<string, unknown> }>().cache).toMatchObject({ flavour: 'serverless', endpoint: 'infer.serverless.use1.cache.amazonaws.com:6379', usageLimits: { dataStorageGb: 10, ecpuPerSecond: 100000 } });
    const queries = cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
    expect(queries.length).toBeGreaterThan(5);
    for (const q of queries) expect(q.MetricStat!.Metric!.Dimensions).toEqual([{ Name: 'clusterId', Value: 'infer' }]);
    expect(queries.map((q) => q.MetricStat!.Metric!.MetricName)).toEqual(expect.arrayContaining(['ElastiCacheProcessingUnits', 'ThrottledCmds', 'BytesUsedForCache']));
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });

  test('status of a Global Datastore secondary shows the global datastore, every member\'s Region, role and status, and the lag read once without dimensions', async () => {
    const { clients, ec, cw } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{
      ...group(), ReplicationGroupId: 'sessions-eu', GlobalReplicationGroupInfo: { GlobalReplicationGroupId: 'ldgnf-sessions', GlobalReplicationGroupMemberRole: 'SECONDARY' },
    }] });
    ec.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [{
      GlobalReplicationGroupId: 'ldgnf-sessions', Status: 'available', Members: [
        { ReplicationGroupId: 'sessions', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY', Status: 'associated' },
        { ReplicationGroupId: 'sessions-eu', ReplicationGroupRegion: 'eu-west-1', Role: 'SECONDARY', Status: 'associated' },
      ],
    }] });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const run = await ectk(['status', 'sessions-eu'], clients);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^ {2}global {9}ldgnf-sessions \(available\); this cluster is the secondary; lag: GlobalDatastoreReplicationLag below$/m);
    expect(run.out).toMatch(/^sessions\s+us-east-1\s+primary\s+associated$/m);
    expect(run.out).toMatch(/^sessions-eu\s+eu-west-1\s+secondary\s+associated$/m);
    const queries = cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
    const lag = queries.filter((q) => q.MetricStat!.Metric!.MetricName === 'GlobalDatastoreReplicationLag');
    expect(lag.map((q) => q.MetricStat!.Metric!.Dimensions)).toEqual([[]]);
  });

  test('alarms --history lists state changes', async () => {
    const { clients, cw } = mocked();
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'feat-evictions', StateValue: 'OK', AlarmDescription: 'x Runbook: runbooks/evictions.md' }] });
    cw.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [
      { AlarmName: 'feat-evictions', Timestamp: new Date('2026-11-26T09:00:00Z'), HistorySummary: 'Alarm updated from ALARM to OK' },
      { AlarmName: 'feat-evictions', Timestamp: new Date('2026-11-26T08:00:00Z'), HistorySummary: 'Alarm updated from OK to ALARM' },
    ] });
    const run = await ectk(['alarms', 'feat', '--history', '24h', '--json'], clients);
    expect(run.code).toBe(0);
    expect(run.json<{ history: unknown[] }>().history).toEqual([
      { alarm: 'feat-evictions', at: '2026-11-26T09:00:00.000Z', summary: 'Alarm updated from ALARM to OK' },
      { alarm: 'feat-evictions', at: '2026-11-26T08:00:00.000Z', summary: 'Alarm updated from OK to ALARM' },
    ]);
    expect(cw.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input).toMatchObject({ AlarmName: 'feat-evictions', HistoryItemType: 'StateUpdate' });
  });

  test('snapshot refuses, with the quota, when 20 manual snapshots were taken in the last 24 h', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group()] });
    ec.on(DescribeSnapshotsCommand).resolves({ Snapshots: Array.from({ length: 20 }, (_, i) => ({ SnapshotName: `s${i}`, NodeSnapshots: [{ SnapshotCreateTime: new Date(Date.now() - i * 3600_000) }] })) });
    const run = await ectk(['snapshot', 'feat'], clients);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/feat already has 20 manual snapshots from the last 24 hours; ElastiCache allows 20 per node per day/);
  });

  test('failover-drill: preflight, TestFailover, a timeline until the new primary and the group is available', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolvesOnce({ ReplicationGroups: [group()] })
      .resolvesOnce({ ReplicationGroups: [group('modifying')] })
      .resolves({ ReplicationGroups: [group('available')] });
    const t0 = Date.now();
    ec.on(DescribeEventsCommand)
      .resolvesOnce({ Events: [{ Message: 'Test Failover API called for node group 0002', Date: new Date(t0 - 3600_000), SourceIdentifier: 'other' }] })
      .resolvesOnce({ Events: [{ Message: 'Test Failover API called for node group 0001', Date: new Date(t0 + 100), SourceIdentifier: 'feat' }] })
      .resolves({ Events: [
        { Message: 'Test Failover API called for node group 0001', Date: new Date(t0 + 100), SourceIdentifier: 'feat' },
        { Message: 'Failover to replica node feat-0001-002 completed', Date: new Date(t0 + 200), SourceIdentifier: 'feat-0001-002' },
      ] });
    ec.on(TestFailoverCommand).resolves({ ReplicationGroup: group('modifying') });
    const run = await ectk(['failover-drill', 'feat', '--shard', '0001', '--yes', '--json'], clients);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const doc = run.json<{ completed: boolean; timeline: Array<{ source: string; message: string }>; failover_s: number }>();
    expect(doc.completed).toBe(true);
    expect(doc.timeline.map((e) => e.message)).toEqual(expect.arrayContaining([
      'TestFailover called for feat shard 0001', 'feat: Test Failover API called for node group 0001',
      'feat-0001-002: Failover to replica node feat-0001-002 completed', 'replication group available',
    ]));
    expect(ec.commandCalls(TestFailoverCommand)[0].args[0].input).toEqual({ ReplicationGroupId: 'feat', NodeGroupId: '0001' });
  }, 30_000);

  describe('failover-drill from the connection contract', () => {
    const contractFile = (over: Record<string, unknown> = {}) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-drill-')), 'contract.json');
      fs.writeFileSync(file, JSON.stringify({
        version: 1, cacheName: 'feat', flavour: 'cluster', endpoint: '127.0.0.1', port: 1, region: 'us-east-1', tls: true, clusterMode: true,
        users: [{ userName: 'drill-app', authentication: 'iam' }], ...over,
      }));
      return file;
    };
    const saved = { ...process.env };
    // The contract's IAM user signs its tokens through the standard chain.
    beforeAll(() => { Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }); });
    afterAll(() => { process.env = saved; });

    test('--contract names the replication group: the preflight and TestFailover are for the contract\'s cache', async () => {
      const { clients, ec } = mocked();
      ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group('available')] });
      ec.on(DescribeEventsCommand).resolves({ Events: [{ Message: 'Failover to replica node feat-0001-002 completed', Date: new Date(Date.now() + 100), SourceIdentifier: 'feat-0001-002' }] });
      ec.on(TestFailoverCommand).resolves({ ReplicationGroup: group('modifying') });
      // The cache's SSM contract lists every user; the drill without load needs none of them.
      const users = [{ userName: 'drill-app', authentication: 'iam' }, { userName: 'other-app', authentication: 'iam' }];
      const run = await ectk(['failover-drill', '--contract', contractFile({ users }), '--shard', '0001', '--yes', '--json'], clients);
      expect(run.err).toBe('');
      expect(ec.commandCalls(DescribeReplicationGroupsCommand)[0].args[0].input).toEqual({ ReplicationGroupId: 'feat' });
      expect(ec.commandCalls(TestFailoverCommand)[0].args[0].input).toEqual({ ReplicationGroupId: 'feat', NodeGroupId: '0001' });
    }, 30_000);

    test('a serverless cache is refused before any AWS call: it has no shards to fail over', async () => {
      const { clients, ec } = mocked();
      const run = await ectk(['failover-drill', '--contract', contractFile({ flavour: 'serverless', cacheName: 'infer' }), '--shard', '0001', '--yes'], clients);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/--contract: invalid value ".*contract\.json": a node-based cache: infer is serverless, which has no shards to fail over/);
      expect(ec.calls()).toHaveLength(0);
    });

    test('--loadtest without a URL loads the contract\'s cache as its user; a load that cannot start stops the drill before TestFailover', async () => {
      const { clients, ec } = mocked();
      ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group('available')] });
      ec.on(DescribeEventsCommand).resolves({ Events: [] });
      const run = await ectk(['failover-drill', '--contract', contractFile(), '--shard', '0001', '--yes', '--loadtest'], clients);
      expect(run.code).toBe(3);
      // The load went where the contract points, as its user: nothing listens on port 1.
      expect(run.err).toMatch(/cannot reach rediss:\/\/127\.0\.0\.1:1 \(cluster mode\)/);
      expect(ec.commandCalls(TestFailoverCommand)).toHaveLength(0);
    }, 30_000);
  });

  test('failover-drill refuses without --yes when stdin is not a terminal, and asks on a terminal', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group()] });
    ec.on(DescribeEventsCommand).resolves({ Events: [] });
    const piped = await ectk(['failover-drill', 'feat', '--shard', '0001'], clients);
    expect(piped.code).toBe(2);
    expect(piped.err).toMatch(/--yes: invalid value false: stdin is not a terminal/);
    // Refused before calling AWS at all: not even the preflight's reads.
    expect(ec.calls()).toHaveLength(0);
    const declined = await ectk(['failover-drill', 'feat', '--shard', '0001'], clients, { stdinTty: true, answer: 'no' });
    expect(declined.code).toBe(1);
    expect(declined.err).toMatch(/not confirmed; nothing was changed/);
    expect(ec.commandCalls(TestFailoverCommand)).toHaveLength(0);
  });

  test('preflight stops a drill: no replica in the shard, or the 15-shard TestFailover budget used up', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group('available', 0)] });
    ec.on(DescribeEventsCommand).resolves({ Events: Array.from({ length: 15 }, (_, i) => ({ Message: `Test Failover API called for node group 000${i % 9 + 1}`, Date: new Date() })) });
    const run = await ectk(['failover-drill', 'feat', '--shard', '0001', '--yes'], clients);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/shard 0001 has a replica\s+NO\s+0 replica\(s\)/);
    expect(run.out).toMatch(/TestFailover budget\s+NO\s+15 of 15 shard failovers used/);
    expect(run.err).toMatch(/preflight failed: shard 0001 has a replica, TestFailover budget/);
    expect(ec.commandCalls(TestFailoverCommand)).toHaveLength(0);
  });

  test.each<[string[], RegExp]>([
    [['status', 'feat', '--since', '5x'], /^ectk: --since: invalid value "5x"/],
    [['alarms', 'feat', '--history', 'yesterday'], /^ectk: --history: invalid value "yesterday"/],
    [['failover-drill', 'feat', '--shard', '0001', '--yes', '--timeout', '0'], /^ectk: --timeout: invalid value "0": allowed is a duration above 0 and at most 24 h/],
    [['failover-drill', 'feat', '--shard', '0001', '--yes', '--timeout', '1800'], /^ectk: --timeout: invalid value "1800": add a unit: 1800s/],
    [['failover-drill', 'feat', '--shard', '0001', '--yes', '--loadtest', 'redis://127.0.0.1:1', '--loadtest-duration', '0'],
      /^ectk: --loadtest-duration: invalid value "0": allowed is a duration above 0 and at most 1 h/],
    [['failover-drill', 'feat', '--shard', '0001', '--yes', '--loadtest', 'http://cache:6379'], /^ectk: --loadtest: invalid value "http:\/\/cache:6379"/],
    [['failover-drill', '--shard', '0001', '--yes'], /^ectk: group: invalid value null: name a replication group \(or its cache with --cache\), or use --endpoint with --cluster/],
    [['failover-drill', 'feat', '--cache', 'feat', '--shard', '0001', '--yes'], /^ectk: --cache: invalid value "feat": name the replication group or its cache, not both/],
    [['failover-drill', 'feat', '--shard', '0001', '--yes', '--loadtest'], /^ectk: --loadtest: invalid value true: give the endpoint to load \(--loadtest redis\[s\]:\/\/\.\.\.\), or a contract/],
    [['failover-drill', '--endpoint', 'redis://127.0.0.1:1', '--cluster', '--cache', 'feat', '--shard', '0001', '--yes'], /^ectk: --endpoint: invalid value "redis:\/\/127\.0\.0\.1:1": a local drill has no contract/],
    [['analyze', '--sample', '10'], /^ectk: target: none given: name the cache with one of --endpoint redis\[s\]:\/\/host:port, --cache NAME or --contract FILE\|PARAMETER$/m],
    [['analyze', '--cache', 'a', '--contract', 'b.json'], /^ectk: --cache: invalid value "a": give one of --contract and --cache/],
    [['analyze', '--endpoint', 'redis://127.0.0.1:1', '--user', 'app'], /^ectk: --user: invalid value "app": picks a user of a contract/],
    [['analyze', '--endpoint', 'redis://127.0.0.1:1', '--sample', '0'], /^ectk: --sample: invalid value "0": allowed is a whole number from 1/],
    [['analyze', '--endpoint', 'redis://127.0.0.1:1', '--max-ops-per-sec', '-5'], /^ectk: --max-ops-per-sec: invalid value "-5"/],
  ])('bad usage %j exits 2 naming the flag, before any AWS call or connection', async (args, message) => {
    const { clients, ec, cw } = mocked();
    const run = await ectk(args, clients);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(ec.calls()).toHaveLength(0);
    expect(cw.calls()).toHaveLength(0);
  });

  test.each([
    ['ThrottlingException', 'Rate exceeded', /elasticache:DescribeReplicationGroups: throttled by AWS/],
    ['AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: elasticache:DescribeReplicationGroups on resource', /access denied: the caller needs elasticache:DescribeReplicationGroups/],
  ])('an AWS %s becomes one clear line and exit code 3', async (name, message, expected) => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).rejects(Object.assign(new Error(message), { name, $metadata: { attempts: 5 } }));
    const run = await ectk(['status', 'feat'], clients);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(expected);
    expect(run.err.trim().split('\n')).toHaveLength(1);
  });

  test('snapshot quota exceeded at AWS is explained', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [group()] });
    ec.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const { CreateSnapshotCommand } = await import('@aws-sdk/client-elasticache');
    ec.on(CreateSnapshotCommand).rejects(Object.assign(new Error('quota'), { name: 'SnapshotQuotaExceededFault' }));
    const run = await ectk(['snapshot', 'feat'], clients);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/snapshot quota exceeded \(SnapshotQuotaExceededFault\): ElastiCache allows 20 manual backups per node per day/);
  });
});

describe('failover-drill --global: promote a Global Datastore secondary (aws-sdk-client-mock; moto has no Global Datastore)', () => {
  /** The global datastore with `secondary` (sessions-eu in eu-west-1) in the given role and status. */
  const globalGroup = (status: string, euRole: 'SECONDARY' | 'PRIMARY', euStatus = 'associated') => ({
    GlobalReplicationGroupId: 'ldgnf-sessions', Status: status,
    Members: [
      { ReplicationGroupId: 'sessions', ReplicationGroupRegion: 'us-east-1', Role: euRole === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY', Status: 'associated' },
      { ReplicationGroupId: 'sessions-eu', ReplicationGroupRegion: 'eu-west-1', Role: euRole, Status: euStatus },
    ],
  });
  const args = ['failover-drill', '--global', 'ldgnf-sessions', '--promote', 'sessions-eu', '--promote-region', 'eu-west-1', '--yes'];
  let cluster: RedisCluster;
  beforeAll(async () => { cluster = await startCluster({ replicas: 0 }); }, 60_000);
  afterAll(async () => { await cluster?.stop(); });

  test('preflight, FailoverGlobalReplicationGroup, the timeline until the member is the primary; a load runs through it and leaves no key', async () => {
    const { clients, ec } = mocked();
    ec.on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce({ GlobalReplicationGroups: [globalGroup('available', 'SECONDARY')] })
      .resolvesOnce({ GlobalReplicationGroups: [globalGroup('modifying', 'SECONDARY', 'associating')] })
      .resolves({ GlobalReplicationGroups: [globalGroup('available', 'PRIMARY')] });
    ec.on(FailoverGlobalReplicationGroupCommand).resolves({ GlobalReplicationGroup: globalGroup('modifying', 'SECONDARY') });
    const run = await ectk([...args, '--loadtest', `redis://127.0.0.1:${cluster.ports[0]}`, '--loadtest-duration', '3s', '--json'], clients);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const doc = run.json<{ completed: boolean; failover_s: number; timeline: Array<{ message: string }>; load: { ops: number; errors: number; keys_deleted: number } }>();
    expect(doc.completed).toBe(true);
    expect(doc.timeline.map((e) => e.message)).toEqual([
      'FailoverGlobalReplicationGroup called: sessions-eu in eu-west-1 to become the primary of ldgnf-sessions',
      'global datastore modifying; sessions-eu is secondary (associating)',
      'global datastore available; sessions-eu is primary (associated)',
    ]);
    expect(ec.commandCalls(FailoverGlobalReplicationGroupCommand)[0].args[0].input).toEqual({
      GlobalReplicationGroupId: 'ldgnf-sessions', PrimaryRegion: 'eu-west-1', PrimaryReplicationGroupId: 'sessions-eu',
    });
    expect(ec.commandCalls(DescribeGlobalReplicationGroupsCommand)[0].args[0].input).toEqual({ GlobalReplicationGroupId: 'ldgnf-sessions', ShowMemberInfo: true });
    // The load ran against the real cluster during the drill and deleted every key it wrote.
    expect(doc.load.ops).toBeGreaterThan(0);
    expect(doc.load.keys_deleted).toBeGreaterThan(0);
    for (const port of cluster.ports) {
      const node = connect(port);
      expect(await node.keys('ectk:drill:*')).toEqual([]);
      node.disconnect();
    }
  }, 60_000);

  test.each<[string, ReturnType<typeof globalGroup>, RegExp]>([
    ['the member is already the primary', globalGroup('available', 'PRIMARY'), /sessions-eu is a secondary in eu-west-1\s+NO\s+role PRIMARY/],
    ['the global datastore is modifying', globalGroup('modifying', 'SECONDARY'), /global datastore available\s+NO\s+status modifying/],
    ['a member is not associated', globalGroup('available', 'SECONDARY', 'associating'), /every member associated\s+NO/],
  ])('preflight refuses when %s, and nothing is failed over', async (_name, described, line) => {
    const { clients, ec } = mocked();
    ec.on(DescribeGlobalReplicationGroupsCommand).resolves({ GlobalReplicationGroups: [described] });
    const run = await ectk(args, clients);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(line);
    expect(run.err).toMatch(/^ectk: preflight failed: /m);
    expect(ec.commandCalls(FailoverGlobalReplicationGroupCommand)).toHaveLength(0);
  });

  test.each<[string[], RegExp]>([
    [['failover-drill', '--global', 'ldgnf-sessions', '--promote-region', 'eu-west-1', '--yes'], /^ectk: --promote: none given: the secondary replication group to promote/],
    [['failover-drill', '--global', 'ldgnf-sessions', '--promote', 'sessions-eu', '--yes'], /^ectk: --promote-region: none given: the Region of that secondary/],
    [['failover-drill', '--global', 'ldgnf-sessions', '--promote', 'sessions-eu', '--promote-region', 'europe', '--yes'], /^ectk: --promote-region: invalid value "europe": an AWS Region code/],
    [[...args, '--shard', '0001'], /^ectk: --shard: invalid value "0001": a --global drill names the global datastore and the secondary to promote/],
    [['failover-drill', '--global', 'ldgnf-sessions', '--promote', 'sessions-eu', '--promote-region', 'eu-west-1'], /^ectk: --yes: invalid value false: stdin is not a terminal/],
    [['failover-drill', 'feat', '--yes'], /^ectk: --shard: none given: name the shard to fail over/],
  ])('%j is refused before any AWS call', async (argv, message) => {
    const { clients, ec } = mocked();
    const run = await ectk(argv, clients);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(ec.calls()).toHaveLength(0);
  });
});
