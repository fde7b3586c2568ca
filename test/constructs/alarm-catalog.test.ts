import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ClusterCache } from '../../lib';
import { ALARM_CATALOG, AlarmDefinition, alarmApplies, alarmDefinition, thresholdFor } from '../../lib/catalog/alarms';
import { CacheFlavour } from '../../lib/catalog/metrics';
import { alarmTargets } from '../../lib/constructs/alarm-targets';
import { alarmDescription, createCatalogAlarm } from '../../lib/constructs/catalog-alarm';
import { resourcesOf, testStack } from '../support/cdk';

/**
 * One alarm shape for every alarm the toolkit creates: when each applies is data, and no construct names alarm ids.
 * A new alarm is one catalog entry and its runbook (CONTRIBUTING.md, "An alarm").
 */
describe('the alarm catalog', () => {
  test('holds every family once, each id once', () => {
    const ids = ALARM_CATALOG.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(ALARM_CATALOG.map((a) => a.family))].sort()).toEqual(['cache', 'semantic', 'slo', 'vector-index']);
  });

  test('no construct switches on an alarm id: applying, thresholds and metrics come from the entries', () => {
    const dir = path.join(__dirname, '..', '..', 'lib', 'constructs');
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))
      // The constants jsii users name alarms by, and the dashboard, which picks the threshold lines it draws per graph.
      .filter((f) => !['alarm-id.ts', 'cache-dashboard.ts'].includes(f));
    const named = files.flatMap((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return ALARM_CATALOG.filter((a) => text.includes(`'${a.id}'`)).map((a) => `${f}: ${a.id}`);
    });
    expect(named).toEqual([]);
  });

  test('conditions are read as data', () => {
    const def = (id: string) => alarmDefinition(id);
    const cluster = { flavour: CacheFlavour.CLUSTER };
    expect(alarmApplies(def('memory-high'), { ...cluster, nodeType: 'cache.r7g.large' })).toBe(true);
    expect(alarmApplies(def('memory-high'), { ...cluster, nodeType: 'cache.r6gd.xlarge' })).toBe(false);
    expect(alarmApplies(def('capacity-high'), { ...cluster, nodeType: 'cache.r6gd.xlarge' })).toBe(true);
    expect(alarmApplies(def('memory-high'), { flavour: CacheFlavour.SERVERLESS })).toBe(false);
    expect(alarmApplies(def('database-authorization-failures'), { ...cluster, engine: 'valkey', engineVersion: '9.0' })).toBe(false);
    expect(alarmApplies(def('database-authorization-failures'), { ...cluster, engine: 'valkey', engineVersion: '9.1' })).toBe(true);
    expect(alarmApplies(def('database-authorization-failures'), { ...cluster, engine: 'redis', engineVersion: '10.0' })).toBe(false);
    expect(alarmApplies(def('cpu-high'), { ...cluster, nodeType: 'cache.t4g.small' })).toBe(true);
    expect(alarmApplies(def('engine-cpu-high'), { ...cluster, nodeType: 'cache.t4g.small' })).toBe(false);
    expect(alarmApplies(def('replication-lag'), { ...cluster, replicasPerShard: 0 })).toBe(false);
    expect(alarmApplies(def('slo-check-failing'), { canary: false })).toBe(false);
    expect(alarmApplies(def('slo-breach'), { canary: false })).toBe(true);
    expect(thresholdFor(def('vector-index-memory-high'), { reservedMemoryPercent: 50 })).toBe(20);
    expect(thresholdFor(def('evictions'), { evictsAnyKey: true })).toBe(100);
  });

  test('a new entry needs no construct code: the one factory builds its alarm from the entry alone', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', shards: 2, replicasPerShard: 1, vpc, monitoring: { enabled: false } });
    const entry: AlarmDefinition = {
      ...alarmDefinition('swap-high'), id: 'test-swap-critical', threshold: 200 * 1024 * 1024, severity: 'critical',
      summary: 'A node swaps more than 200 MB.', appliesWhen: { replicas: true },
    };
    const facts = cache.monitoringFacts;
    const subject = { flavour: cache.flavour, nodeType: facts.nodeType, replicasPerShard: facts.replicasPerShard };
    expect(alarmApplies(entry, subject)).toBe(true);
    const [target] = alarmTargets(entry, {
      flavour: cache.flavour, nodes: facts.shards.flatMap((s) => s.memberClusterIds), period: Duration.seconds(entry.periodSeconds), hitRatioMinimumRequests: 0,
    });
    createCatalogAlarm(stack, entry.id, {
      def: entry, alarmName: `feat-${entry.id}`, metric: target.metric, threshold: thresholdFor(entry, subject),
      alarmDescription: alarmDescription(stack, entry, 'runbooks/', { threshold: thresholdFor(entry, subject), scope: target.scope }),
      action: new actions.SnsAction(new sns.Topic(stack, 'Topic')),
    });
    const [[, alarm]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm').filter(([, p]) => p.AlarmName === 'feat-test-swap-critical');
    expect(alarm).toMatchObject({
      Threshold: 209715200, ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 5, EvaluationPeriods: 5, TreatMissingData: 'notBreaching',
      AlarmDescription: 'A node swaps more than 200 MB. Threshold: 209715200 bytes. Scope: feat-0001-001 .. feat-0002-002 (4 nodes). Runbook: runbooks/swap-high.md',
    });
    const queries = alarm.Metrics as Array<{ Expression?: string; MetricStat?: { Metric: { MetricName: string } } }>;
    expect(queries.find((q) => q.Expression)!.Expression).toBe('MAX([m0_0,m1_0,m2_0,m3_0])');
    expect(queries.filter((q) => q.MetricStat).map((q) => q.MetricStat!.Metric.MetricName)).toEqual(Array(4).fill('SwapUsage'));
  });
});
