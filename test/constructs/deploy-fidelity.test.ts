import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fs from 'fs';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessString, CacheEngine, CacheNetworkType, ClusterCache, CommandCategory, Durability, LatencySlo, LoadProfile, ServerlessCache, TtlPolicy, UserAuthentication } from '../../lib';
import { ALARMS } from '../../lib/catalog/alarms';
import { STACK_MAX_RESOURCES, TEMPLATE_MAX_BYTES, WIDGET_MAX_METRICS } from '../../lib/catalog/limits';
import { cfnLintErrors, checkedSynth, resourcesOf, testStack } from '../support/cdk';
import { schemaSupplement } from '../support/cfn-schemas';

/** A VPC as a platform team would give it: private subnets behind one NAT, flow logs on (cdk-nag AwsSolutions-VPC7). */
function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
}

/**
 * The configurations that the deploy-fidelity issue names: each synthesizes with zero findings from cdk-nag AwsSolutions
 * and the ElastiCache rule pack (errors and warnings alike), and zero cfn-lint errors.
 */
describe('configurations that must deploy', () => {
  test('serverless Redis OSS 7 with KMS, IAM and password users, and a 40-worker LatencySlo with a deploy gate', () => {
    const result = checkedSynth((stack) => {
      const vpc = vpcOf(stack);
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const cache = new ServerlessCache(stack, 'Sessions', {
        serverlessCacheName: 'sessions', engine: CacheEngine.REDIS_OSS_7, vpc, encryptionKey: key,
        usageLimits: { dataStorageMaximum: Size.gibibytes(20), ecpuPerSecondMaximum: 50_000 },
        ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.minutes(30) }),
      });
      cache.addUser('App', { accessString: AccessString.forKeyPrefix('sess:', [CommandCategory.READ, CommandCategory.WRITE]) });
      cache.addUser('Batch', { authentication: UserAuthentication.PASSWORD, accessString: AccessString.forKeyPrefix('batch:', [CommandCategory.WRITE]) });
      new LatencySlo(stack, 'Slo', { cache, vpc, profile: LoadProfile.SESSION_STORE, rate: 20_000, workers: 40, deployGate: true });
    });
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    // docs/aws-facts.md, "User groups and engines": a redis group with its disabled default user that needs no password.
    const [[, group]] = resourcesOf(result.template, 'AWS::ElastiCache::UserGroup');
    expect(group.Engine).toBe('redis');
  });

  test('a 4-worker LatencySlo (inline Map) with a deploy gate: the gate reads only its own executions, acknowledged with a reason', () => {
    const result = checkedSynth((stack) => {
      const vpc = vpcOf(stack);
      const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'gated', vpc });
      new LatencySlo(stack, 'Slo', { cache, vpc, workers: 4, deployGate: true });
    });
    expect(result.violations).toEqual([]);
    const gatePolicy = resourcesOf(result.template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('SloGateServiceRoleDefaultPolicy'));
    const actions = gatePolicy.flatMap(([, p]) => (p.PolicyDocument as { Statement: Array<{ Action: unknown }> }).Statement.flatMap((st) => [st.Action].flat()));
    expect(actions.sort()).toEqual(['states:DescribeExecution', 'states:StartExecution']);
  });

  test('Valkey 7.2 cluster of 5 shards × 2 replicas with password users, KMS, port 6380, engine log and per-node alarms', () => {
    const result = checkedSynth((stack) => {
      const vpc = vpcOf(stack);
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const cache = new ClusterCache(stack, 'Orders', {
        replicationGroupId: 'orders', engine: CacheEngine.VALKEY_7_2, vpc, encryptionKey: key, port: 6380, shards: 5, replicasPerShard: 2,
        engineLog: true, logRetention: logs.RetentionDays.THREE_MONTHS, monitoring: { perNodeAlarms: true },
      });
      const app = cache.addUser('App', { authentication: UserAuthentication.PASSWORD, accessString: AccessString.forKeyPrefix('ord:', [CommandCategory.READ, CommandCategory.WRITE]) });
      cache.addUser('Reports', { authentication: UserAuthentication.PASSWORD, accessString: AccessString.readOnly(['ord:*']) });
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), vpc,
      });
      cache.bind(fn, { user: app });
      // The application function is the user's, not the toolkit's: its managed policies are the Lambda defaults.
      for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
        Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`, reason: 'the test application function uses the Lambda defaults' });
      }
    }, 'Orders');
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    const [[, rg]] = resourcesOf(result.template, 'AWS::ElastiCache::ReplicationGroup');
    expect(rg).toMatchObject({ Port: 6380, NumNodeGroups: 5, ReplicasPerNodeGroup: 2, Engine: 'valkey', EngineVersion: '7.2' });
    const [[, pg]] = resourcesOf(result.template, 'AWS::ElastiCache::ParameterGroup');
    expect(pg.CacheParameterGroupFamily).toBe('valkey7');
  });

  // docs/aws-facts.md, "Parameter group families": Redis OSS 6.x is redis6.x; IAM authentication needs Redis OSS 7.
  test('Redis OSS 6.2 cluster with password users: family redis6.x, and IAM users refused with the reason', () => {
    const result = checkedSynth((stack) => {
      const vpc = vpcOf(stack);
      const cache = new ClusterCache(stack, 'Legacy', { replicationGroupId: 'legacy', engine: CacheEngine.REDIS_OSS_6_2, vpc, shards: 2 });
      cache.addUser('App', { authentication: UserAuthentication.PASSWORD });
      expect(() => cache.addUser('Iam', {})).toThrow(/invalid authentication "iam": IAM authentication needs Valkey 7.2\+ or Redis OSS 7.0\+; the cache runs Redis OSS 6.2/);
    });
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    const [[, pg]] = resourcesOf(result.template, 'AWS::ElastiCache::ParameterGroup');
    expect(pg.CacheParameterGroupFamily).toBe('redis6.x');
    const [[, group]] = resourcesOf(result.template, 'AWS::ElastiCache::UserGroup');
    expect(group.Engine).toBe('redis');
  });

  // docs/aws-facts.md, "Durability" and "Serverless network type": properties newer than cfn-lint 1.51's schemas, checked
  // against CloudFormation's registry schema (test/support/cfn-schemas.ts) instead of being reported as unknown.
  test('a durable Valkey 9.0 cluster and a dual-stack serverless cache: no findings, and cfn-lint checks Durability and NetworkType', () => {
    expect(schemaSupplement().added).toMatchObject({
      'AWS::ElastiCache::ReplicationGroup': expect.arrayContaining(['Durability']),
      'AWS::ElastiCache::ServerlessCache': expect.arrayContaining(['NetworkType']),
    });
    const result = checkedSynth((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 3, natGateways: 1, ipProtocol: ec2.IpProtocol.DUAL_STACK, flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
      });
      new ClusterCache(stack, 'Ledger', { replicationGroupId: 'ledger', vpc, engine: CacheEngine.valkey('9.0'), shards: 2, durability: Durability.ASYNC });
      new ServerlessCache(stack, 'Dual', { serverlessCacheName: 'dual', vpc, networkType: CacheNetworkType.DUAL_STACK });
    });
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    // The same template with a durability CloudFormation does not know: cfn-lint names it, so the check is real.
    const broken = JSON.parse(fs.readFileSync(result.templateFile, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    for (const r of Object.values(broken.Resources)) if (r.Type === 'AWS::ElastiCache::ReplicationGroup') r.Properties.Durability = 'sometimes';
    const brokenFile = `${result.templateFile}.broken.json`;
    fs.writeFileSync(brokenFile, JSON.stringify(broken));
    expect(cfnLintErrors(brokenFile).join('\n')).toMatch(/E3030:'sometimes' is not one of \['default', 'async', 'sync', 'disabled'\]/);
  });
});

/** docs/aws-facts.md, "Deploy-time limits and traps": 500 resources and 1 MB per template, 500 metrics per graph. */
describe('large clusters and the limits of one stack', () => {
  const largest = { replicationGroupId: 'huge', shards: 250, replicasPerShard: 1, nodeType: 'cache.r7g.xlarge' };

  test('the largest cluster the props allow (500 nodes) with the whole catalog is refused at synth, saying what takes the room', () => {
    let message = '';
    try {
      checkedSynth((stack) => { new ClusterCache(stack, 'Huge', { ...largest, vpc: vpcOf(stack) }); }, 'Huge');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Huge\/Huge\/Monitoring\/Alarms\] invalid monitoring of huge: stack Huge would hold \d+ resources in a template of [\d,]+ KB; CloudFormation allows 500 resources and 1,000 KB\./);
    expect(message).toMatch(/This cache's monitoring takes most: .*network-allowance \(250 alarms, [\d,]+ KB\)/);
    expect(message).toMatch(/the dashboard \([\d,]+ KB\)/);
    expect(message).toContain("Switch off alarms you do not need (overrides: { '<id>': { enabled: false } }), turn the dashboard off (dashboard: false)");
  });

  test('500 nodes with the dashboard off and the critical gauges only: inside every limit, clean', () => {
    const off = { enabled: false };
    // Every warning off, and the two-metric latency alarm (10 alarms per 50 nodes): memory, CPU and replication lag page.
    const overrides = Object.fromEntries(ALARMS.filter((a) => a.kind !== 'composite' && (a.severity === 'warning' || a.id === 'latency-critical'))
      .map((a) => [a.id, off]));
    const result = checkedSynth((stack) => {
      new ClusterCache(stack, 'Huge', { ...largest, vpc: vpcOf(stack), monitoring: { overrides, dashboard: false } });
    }, 'Huge');
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    expectInsideLimits(result.templateFile);
    // Every node is watched: 50 alarms of 10 nodes each per gauge, and one composite tree over the critical ones.
    const alarmNames = resourcesOf(result.template, 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName));
    expect(alarmNames.filter((n) => n.startsWith('huge-memory-critical-'))).toHaveLength(50);
    expect(alarmNames.filter((n) => n.startsWith('huge-replication-lag-critical-'))).toHaveLength(50);
  });

  test('64 nodes with the whole catalog and the dashboard: inside every limit, every graph under 500 metrics, clean', () => {
    const result = checkedSynth((stack) => {
      new ClusterCache(stack, 'Big', { replicationGroupId: 'big', shards: 32, replicasPerShard: 1, vpc: vpcOf(stack) });
    }, 'Big');
    expect(result.violations).toEqual([]);
    expect(cfnLintErrors(result.templateFile)).toEqual([]);
    expectInsideLimits(result.templateFile);
    const template = result.template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [dashboard] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = JSON.parse(renderBody(dashboard.Properties.DashboardBody)) as { widgets: Array<{ properties: { metrics?: unknown[][] } }> };
    const perGraph = body.widgets.map((w) => (w.properties.metrics ?? []).filter((m) => !('expression' in (m[m.length - 1] as object))).length);
    expect(Math.max(...perGraph)).toBeLessThanOrEqual(WIDGET_MAX_METRICS);
    expect(Math.max(...perGraph)).toBeGreaterThanOrEqual(64);
  });

  test('a graph over more than 500 metrics is split into several, each naming its range', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Wide', { replicationGroupId: 'wide', shards: 150, replicasPerShard: 2, vpc, monitoring: { overrides: Object.fromEntries(ALARMS.filter((a) => a.kind !== 'composite').map((a) => [a.id, { enabled: false }])) } });
    const [[, dashboard]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Dashboard');
    const body = JSON.parse(renderBody(dashboard.DashboardBody)) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> };
    const titles = body.widgets.map((w) => w.properties.title).filter((t): t is string => t !== undefined);
    // 450 nodes × hits and misses = 900 metrics: two hit-ratio graphs, by shard range.
    expect(titles.filter((t) => t.startsWith('Hit ratio'))).toEqual(['Hit ratio (%), shards 0001-0083', 'Hit ratio (%), shards 0084-0150']);
    for (const w of body.widgets) {
      expect((w.properties.metrics ?? []).filter((m) => !('expression' in (m[m.length - 1] as object))).length).toBeLessThanOrEqual(WIDGET_MAX_METRICS);
    }
  });
});

function expectInsideLimits(templateFile: string): void {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources: Record<string, unknown> };
  expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(STACK_MAX_RESOURCES);
  expect(fs.statSync(templateFile).size).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES);
}

/** A dashboard body's Fn::Join rendered with every token as a short placeholder, so it parses as JSON. */
function renderBody(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((p) => (typeof p === 'string' ? p : 'token')).join(join[0]);
}
