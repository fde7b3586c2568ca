import { CfnResource, Size, TagManager, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CacheEngine, ClusterCache, ServerlessCache } from '../../lib';
import { ENGINE_SUPPORT_CHECKED_ON, supportEnd, supportWarning } from '../../lib/catalog/engine-support';
import { checkedSynth, cfnLintErrors, isolatedVpc, resourcesOf, testStack } from '../support/cdk';

const warningsOf = (stack: import('aws-cdk-lib').Stack, path: string) =>
  Annotations.fromStack(stack).findWarning(path, Match.anyValue()).map((w) => String(w.entry.data));

const alarmNames = (stack: import('aws-cdk-lib').Stack) =>
  resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName)).sort();

// docs/aws-facts.md, "Engine support lifecycle and the defaults review": Redis OSS 6 leaves standard support on
// 2027-01-31, then Extended Support is billed at +80 % (years 1-2) and +160 % (year 3); Valkey and Redis OSS 7 have no
// announced date.
describe('engine support lifecycle', () => {
  test('the table was checked against its source within the last year', () => {
    const ageDays = (Date.now() - Date.parse(`${ENGINE_SUPPORT_CHECKED_ON}T00:00:00Z`)) / 86_400_000;
    expect(ageDays).toBeGreaterThanOrEqual(0);
    // Re-read the Extended Support page, update lib/catalog/engine-support.ts and the facts file, then the date.
    expect(ageDays).toBeLessThanOrEqual(365);
  });

  test('Redis OSS 6.2 warns at synth with the date and the premium; Valkey and Redis OSS 7 say nothing', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Old', { replicationGroupId: 'old', vpc, engine: CacheEngine.REDIS_OSS_6_2 });
    new ClusterCache(stack, 'New', { replicationGroupId: 'new', vpc });
    new ClusterCache(stack, 'Seven', { replicationGroupId: 'seven', vpc, engine: CacheEngine.REDIS_OSS_7 });
    const said = warningsOf(stack, '/Test/Old');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^engine Redis OSS 6\.2: ElastiCache standard support (ends|ended) on 2027-01-31\. From the day after, the cache is enrolled in Extended Support, billed at 80 % above the on-demand node rate in years 1 and 2 and 160 % in year 3, until the version's end of life on 2030-01-31\. Upgrade to Valkey/);
    expect(said[0]).toContain('[ack: @ectk/cluster-cache:engine-support]');
    expect(warningsOf(stack, '/Test/New')).toEqual([]);
    expect(warningsOf(stack, '/Test/Seven')).toEqual([]);
  });

  test('the warning starts a year before the date, and says "ended" after it', () => {
    expect(supportWarning('redis', '6.2', 'Redis OSS 6.2', new Date('2026-01-30T00:00:00Z'))).toBeUndefined();
    expect(supportWarning('redis', '6.2', 'Redis OSS 6.2', new Date('2026-02-01T00:00:00Z'))).toMatch(/standard support ends on 2027-01-31/);
    expect(supportWarning('redis', '6.0', 'Redis OSS 6.0', new Date('2027-02-01T00:00:00Z'))).toMatch(/standard support ended on 2027-01-31/);
    expect(supportWarning('valkey', '7.2', 'Valkey 7.2', new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
    expect(supportEnd('redis', '7.1')).toBeUndefined();
  });
});

// docs/aws-facts.md, "Engine support lifecycle and the defaults review": COST-06 flags a serverless cache without usage
// limits; without maximums there is nothing for storage-near-limit and ecpu-near-limit to measure against.
describe('a serverless cache without usage limits', () => {
  test('warns at synth naming the unset maximums, what leaving them costs, and where to read them from', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Open', { serverlessCacheName: 'open', vpc });
    new ServerlessCache(stack, 'Half', { serverlessCacheName: 'half', vpc, usageLimits: { dataStorageMaximum: Size.gibibytes(10) } });
    new ServerlessCache(stack, 'Bound', { serverlessCacheName: 'bound', vpc, usageLimits: { dataStorageMaximum: Size.gibibytes(10), ecpuPerSecondMaximum: 50000 } });
    const open = warningsOf(stack, '/Test/Open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(/^usageLimits\.dataStorageMaximum and usageLimits\.ecpuPerSecondMaximum unset: ElastiCache scales storage and ECPU without bound and bills every GB-hour and ECPU used.*no storage-near-limit and ecpu-near-limit alarm is created.*ectk status <cache>/);
    const half = warningsOf(stack, '/Test/Half');
    expect(half).toHaveLength(1);
    expect(half[0]).toMatch(/^usageLimits\.ecpuPerSecondMaximum unset: ElastiCache scales ECPU without bound.*no ecpu-near-limit alarm/);
    expect(warningsOf(stack, '/Test/Bound')).toEqual([]);
    expect(alarmNames(stack).filter((n) => n.startsWith('half-'))).toContain('half-storage-near-limit');
  });
});

describe('engine log delivery by default', () => {
  test('a defaults-only cluster delivers slow log and engine log to CloudWatch Logs, kept a month', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'plain', vpc });
    const [[, rg]] = resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ReplicationGroup');
    expect((rg.LogDeliveryConfigurations as Array<{ LogType: string }>).map((c) => c.LogType)).toEqual(['slow-log', 'engine-log']);
    expect(resourcesOf(Template.fromStack(stack), 'AWS::Logs::LogGroup').map(([, p]) => p.RetentionInDays)).toEqual([30, 30]);
  });
});

// docs/aws-facts.md, "CloudWatch metrics" (DatabaseCapacityUsagePercentage) and "Auto scaling" (tiered nodes "have 100
// percent memory usage and fill up SSD as needed"): on r6gd the memory alarms would be in ALARM all the time.
describe('data tiering nodes alarm on memory and SSD together', () => {
  test('r6gd gets capacity-high and capacity-critical instead of memory-high and memory-critical, and the dashboard charts capacity', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Tiered', { replicationGroupId: 'tiered', vpc, nodeType: 'cache.r6gd.xlarge' });
    const names = alarmNames(stack);
    expect(names).toEqual(expect.arrayContaining(['tiered-capacity-high', 'tiered-capacity-critical']));
    expect(names.filter((n) => /memory-(high|critical)/.test(n))).toEqual([]);
    const alarms = Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map(([, p]) => [String(p.AlarmName), p]));
    const read = (name: string) => JSON.stringify(alarms[name].Metrics);
    expect(read('tiered-capacity-critical')).toContain('DatabaseCapacityUsagePercentage');
    expect(read('tiered-capacity-critical')).toContain('CacheNodeId');
    expect(alarms['tiered-capacity-critical'].Threshold).toBe(90);
    expect(alarms['tiered-capacity-high'].Threshold).toBe(80);
    expect(String(alarms['tiered-capacity-high'].AlarmDescription)).toMatch(/Runbook: runbooks\/capacity-high\.md$/);
    const [[, composite]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm');
    const criticalId = Object.entries(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .find(([, r]) => (r as { Properties: { AlarmName: string } }).Properties.AlarmName === 'tiered-capacity-critical')![0];
    expect(JSON.stringify(composite.AlarmRule)).toContain(criticalId);
    const body = JSON.stringify(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Dashboard')[0][1].DashboardBody);
    expect(body).toContain('Memory and SSD used of their capacity');
    expect(body).not.toContain('DatabaseMemoryUsagePercentage');
  });

  test('other node types keep the memory alarms', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Plain', { replicationGroupId: 'plain', vpc, nodeType: 'cache.r7g.xlarge' });
    expect(alarmNames(stack).filter((n) => /(memory|capacity)-(high|critical)/.test(n))).toEqual(['plain-memory-critical', 'plain-memory-high']);
  });
});

// docs/aws-facts.md, "CloudWatch metrics": AuthenticationFailures, CommandAuthorizationFailures, KeyAuthorizationFailures
// ("We suggest setting an alarm on this"); DatabaseAuthorizationFailures on Valkey 9.1 and later.
describe('authentication and authorization alarms', () => {
  test('every cluster alarms on failed AUTH and refused commands and keys; databases only from Valkey 9.1', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Eight', { replicationGroupId: 'eight', vpc });
    new ClusterCache(stack, 'Nine', { replicationGroupId: 'nine', vpc, engine: CacheEngine.valkey('9.1') });
    const names = alarmNames(stack);
    for (const id of ['authentication-failures', 'command-authorization-failures', 'key-authorization-failures']) {
      expect(names).toContain(`eight-${id}`);
      expect(names).toContain(`nine-${id}`);
    }
    expect(names).not.toContain('eight-database-authorization-failures');
    expect(names).toContain('nine-database-authorization-failures');
    const alarms = Object.fromEntries(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').map(([, p]) => [String(p.AlarmName), p]));
    const auth = alarms['eight-authentication-failures'];
    expect(auth).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    expect(JSON.stringify(auth.Metrics)).toMatch(/"MetricName":"AuthenticationFailures".*"Stat":"Sum"/);
    expect(JSON.stringify(auth.Metrics)).toContain('SUM([');
    expect(String(alarms['eight-key-authorization-failures'].AlarmDescription)).toMatch(/Runbook: runbooks\/authorization-failures\.md$/);
  });
});

// AWS's operations review (OE-04) checks required tags: the constructs' resources take the tags of their scope.
describe('tags', () => {
  test('Tags.of(scope) reaches every taggable resource the constructs create, caches and users included', () => {
    const { stack, vpc } = testStack();
    const cluster = new ClusterCache(stack, 'Cluster', { replicationGroupId: 'tagged', vpc });
    cluster.addUser('App');
    new ServerlessCache(stack, 'Serverless', { serverlessCacheName: 'tagged-sl', vpc, usageLimits: { dataStorageMaximum: Size.gibibytes(1), ecpuPerSecondMaximum: 5000 } });
    Tags.of(stack).add('team', 'search');
    const taggable = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && (TagManager.isTaggable(c) || TagManager.isTaggableV2(c)));
    const types = new Set(taggable.map((c) => c.cfnResourceType));
    for (const type of ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache', 'AWS::ElastiCache::User', 'AWS::ElastiCache::UserGroup',
      'AWS::Logs::LogGroup', 'AWS::SNS::Topic', 'AWS::KMS::Key']) {
      expect(types).toContain(type);
    }
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: unknown } }>;
    const untagged = taggable.map((c) => stack.getLogicalId(c)).filter((id) => !JSON.stringify(resources[id].Properties?.Tags ?? []).includes('"search"'));
    expect(untagged).toEqual([]);
  });
});

describe('a defaults-only app', () => {
  const synth = checkedSynth((stack) => {
    const vpc = isolatedVpc(stack);
    new ClusterCache(stack, 'Cluster', { vpc });
    new ServerlessCache(stack, 'Serverless', { vpc, usageLimits: { dataStorageMaximum: Size.gibibytes(10), ecpuPerSecondMaximum: 100000 } });
  });

  test('synthesizes with no cdk-nag, rule pack or cfn-lint finding', () => {
    expect(synth.violations).toEqual([]);
    expect(cfnLintErrors(synth.templateFile)).toEqual([]);
  });
});
