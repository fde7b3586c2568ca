/**
 * Global Datastore: the primary's global replication group, a secondary in another Region's stack joined through CDK's
 * cross-Region references, what each may and may not send (docs/aws-facts.md, "Global Datastore"), the lag alarm, and
 * the reference variant synthesized with cdk-nag, the ElastiCache rule pack and cfn-lint.
 */
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CacheEngine, ClusterCache, ClusterCacheProps, Durability, ElastiCacheChecks, GlobalDatastore } from '../../lib';
import { INHERITED_BY_SECONDARY } from '../../lib/catalog/global-datastore';
import { globalReference } from '../../bin/global-reference-stacks';
import { cfnLintErrors, flattenJoin, synthWithReport, tempDir } from '../support/cdk';

/** A primary in `region` and an app to add secondaries to. */
function primaryIn(region: string | undefined, props: Partial<ClusterCacheProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Primary', region ? { env: { region } } : {});
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const primary = new ClusterCache(stack, 'Sessions', { replicationGroupId: 'sessions', vpc, nodeType: 'cache.r7g.large', ...props });
  return { app, stack, primary };
}

/** A stack for a secondary in `region`, with a VPC. */
function secondaryStack(app: App, id: string, region: string | undefined) {
  const stack = new Stack(app, id, region ? { env: { region }, crossRegionReferences: true } : {});
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) };
}

describe('the reference variant: two stacks, two Regions', () => {
  const app = new App({ outdir: tempDir('ectk-global-') });
  const { primary, secondary } = globalReference(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
  const { outdir, violations } = synthWithReport(app);
  const primaryTemplate = Template.fromStack(primary);
  const secondaryTemplate = Template.fromStack(secondary);

  test('synthesizes with no cdk-nag or rule-pack finding and no cfn-lint error', () => {
    expect(violations).toEqual([]);
    for (const name of ['EctkGlobalPrimary', 'EctkGlobalSecondary']) expect(cfnLintErrors(path.join(outdir, `${name}.template.json`))).toEqual([]);
  });

  test('the global replication group holds its primary alone, by reference, in the primary\'s Region', () => {
    primaryTemplate.hasResourceProperties('AWS::ElastiCache::GlobalReplicationGroup', {
      GlobalReplicationGroupIdSuffix: 'ectk-sessions',
      Members: [{ ReplicationGroupId: { Ref: Match.stringLikeRegexp('^Sessions') }, ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }],
    });
  });

  test('the secondary joins with the global id read across Regions and sends none of what it inherits', () => {
    const [group] = Object.values(secondaryTemplate.findResources('AWS::ElastiCache::ReplicationGroup')) as Array<{ Properties: Record<string, unknown> }>;
    expect(JSON.stringify(group.Properties.GlobalReplicationGroupId)).toMatch(/ExportsReader.*GlobalReplicationGroupId/);
    expect(INHERITED_BY_SECONDARY.filter((name) => group.Properties[name] !== undefined)).toEqual([]);
    expect(group.Properties).toMatchObject({ ReplicationGroupId: 'ectk-sessions-eu', ReplicasPerNodeGroup: 1, UserGroupIds: [{ Ref: expect.any(String) }] });
    secondaryTemplate.resourceCountIs('Custom::CrossRegionExportReader', 1);
    primaryTemplate.resourceCountIs('Custom::CrossRegionExportWriter', 1);
  });

  test('the secondary\'s connection contract says it is read-only and where writes go (the primary\'s endpoint, across Regions)', () => {
    const [parameter] = Object.values(secondaryTemplate.findResources('AWS::SSM::Parameter', { Properties: { Name: '/ectk/ectk-sessions-eu/connection' } })) as Array<{ Properties: { Value: unknown } }>;
    const rendered = JSON.stringify(parameter.Properties.Value);
    expect(rendered).toMatch(/globalSecondary/);
    expect(rendered).toMatch(/primaryReplicationGroupId\\":\\"ectk-sessions\\"/);
    expect(rendered).toMatch(/primaryRegion\\":\\"us-east-1\\"/);
    // The primary's endpoint and the global id reach the secondary's Region through the cross-Region reader.
    expect(rendered).toMatch(/ExportsReader.*ConfigurationEndPoint/);
    expect(rendered).toMatch(/ExportsReader.*GlobalReplicationGroupId/);
  });

  test('one dashboard in the primary\'s stack shows the members side by side, each read in its own Region', () => {
    const [dashboard] = Object.values(primaryTemplate.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: 'ElastiCache-global-ectk-sessions' } })) as Array<{ Properties: { DashboardBody: unknown } }>;
    const body = JSON.parse(primary.resolve(flattenJoin(dashboard.Properties.DashboardBody))) as { widgets: Array<{ type: string; properties: { title?: string; markdown?: string; metrics?: unknown[][]; region?: string } }> };
    expect(body.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown)).toEqual([
      '### ectk-sessions: primary, us-east-1', '### ectk-sessions-eu: secondary, eu-west-1',
    ]);
    const graph = (title: string) => body.widgets.find((w) => w.properties.title === title)!;
    // Every metric line carries its member's Region; the secondary's lag is the dimension-less metric of its Region.
    const regionsOf = (title: string) => [...new Set(graph(title).properties.metrics!.map((m) => (m[m.length - 1] as { region?: string }).region))];
    expect(regionsOf('ectk-sessions engine CPU (%)')).toEqual(['us-east-1']);
    expect(regionsOf('ectk-sessions-eu engine CPU (%)')).toEqual(['eu-west-1']);
    expect(graph('ectk-sessions-eu Global Datastore lag (s)').properties.metrics).toEqual([
      ['AWS/ElastiCache', 'GlobalDatastoreReplicationLag', expect.objectContaining({ region: 'eu-west-1', stat: 'Maximum' })],
    ]);
    expect(graph('ectk-sessions engine CPU (%)').properties.metrics).toHaveLength(4);
  });

  test('the lag alarm watches the secondary\'s Region without dimensions (the AWS metric specification\'s reading); the primary has none', () => {
    // docs/aws-facts.md, "Global Datastore": GlobalDatastoreReplicationLag is listed with the dimension-less Account set.
    secondaryTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ectk-sessions-eu-global-datastore-lag', Namespace: 'AWS/ElastiCache', MetricName: 'GlobalDatastoreReplicationLag',
      Dimensions: Match.absent(), Statistic: 'Maximum', Period: 60, Threshold: 10, EvaluationPeriods: 5, DatapointsToAlarm: 5,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'missing',
    });
    expect(Object.values(primaryTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => (a as { Properties: { MetricName?: string } }).Properties.MetricName))
      .not.toContain('GlobalDatastoreReplicationLag');
  });

});

test('the primary warns that its members refuse direct changes once joined', () => {
  const { stack, primary } = primaryIn('us-east-1');
  new GlobalDatastore(stack, 'Global', { primary });
  expect(Annotations.fromStack(stack).findWarning('/Primary/Sessions', Match.stringLikeRegexp('global-datastore:member-changes')).map((w) => String(w.entry.data)))
    .toEqual([expect.stringMatching(/^sessions leads the global datastore sessions: ElastiCache refuses changes made to a member directly .*modify-global-replication-group/)]);
});

describe('what ElastiCache refuses, refused at construction', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['a primary in a stack without a Region', () => {
      const { stack, primary } = primaryIn(undefined);
      new GlobalDatastore(stack, 'Global', { primary });
    }, /^Primary\/Global: invalid primary "Primary\/Sessions": a cache in a stack with an explicit Region/],
    ['a primary in a Region without Global Datastore', () => {
      const { stack, primary } = primaryIn('ap-east-2');
      new GlobalDatastore(stack, 'Global', { primary });
    }, /invalid primary "Primary\/Sessions in ap-east-2": Global Datastore is not offered there; it is in af-south-1, /],
    ['a primary on medium nodes', () => {
      const { stack, primary } = primaryIn('us-east-1', { nodeType: 'cache.m7g.medium', multiAz: true });
      new GlobalDatastore(stack, 'Global', { primary });
    }, /invalid primary\.nodeType "cache\.m7g\.medium": a global datastore needs nodes of size large or above/],
    ['a primary with durability', () => {
      const { stack, primary } = primaryIn('us-east-1', { engine: CacheEngine.valkey('9.0'), durability: Durability.ASYNC });
      new GlobalDatastore(stack, 'Global', { primary });
    }, /invalid primary\.durability "async": durability is not supported in a global datastore/],
    ['a primary with auto scaling', () => {
      const { stack, primary } = primaryIn('us-east-1', { shardAutoScaling: { maxShards: 4, targetValue: 60 } });
      new GlobalDatastore(stack, 'Global', { primary });
    }, /invalid primary "Primary\/Sessions": auto scaling is not available with Global Datastore/],
    ['a secondary in the primary\'s Region', () => {
      const { app, stack, primary } = primaryIn('us-east-1');
      const global = new GlobalDatastore(stack, 'Global', { primary });
      const s = secondaryStack(app, 'Secondary', 'us-east-1');
      global.addSecondary(s.stack, 'Copy', { vpc: s.vpc });
    }, /invalid region "us-east-1": a secondary must be in another Region than the primary/],
    ['a third secondary', () => {
      const { app, stack, primary } = primaryIn('us-east-1');
      const global = new GlobalDatastore(stack, 'Global', { primary });
      for (const region of ['eu-west-1', 'ap-northeast-1', 'us-west-2']) {
        const s = secondaryStack(app, `In-${region}`, region);
        global.addSecondary(s.stack, 'Copy', { vpc: s.vpc, replicationGroupId: `copy-${region}` });
      }
    }, /invalid region "us-west-2": at most 2 secondary Regions/],
    ['a secondary outside China for a primary in China', () => {
      const { app, stack, primary } = primaryIn('cn-north-1');
      const global = new GlobalDatastore(stack, 'Global', { primary });
      const s = secondaryStack(app, 'Secondary', 'eu-west-1');
      global.addSecondary(s.stack, 'Copy', { vpc: s.vpc });
    }, /invalid region "eu-west-1": China \(Beijing\) and China \(Ningxia\) replicate only between each other/],
    ['a secondary without replicas', () => {
      const { app, stack, primary } = primaryIn('us-east-1');
      const global = new GlobalDatastore(stack, 'Global', { primary });
      const s = secondaryStack(app, 'Secondary', 'eu-west-1');
      global.addSecondary(s.stack, 'Copy', { vpc: s.vpc, replicasPerShard: 0 });
    }, /^Secondary\/Copy: invalid replicasPerShard 0: allowed is an integer from 1 to 5$/],
    ['a secondary in a stack without a Region', () => {
      const { app, stack, primary } = primaryIn('us-east-1');
      const global = new GlobalDatastore(stack, 'Global', { primary });
      const s = secondaryStack(app, 'Secondary', undefined);
      global.addSecondary(s.stack, 'Copy', { vpc: s.vpc });
    }, /invalid scope "Secondary": a construct in a stack with an explicit Region \(env: \{ region \}\) and crossRegionReferences: true/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('the secondary as a cache', () => {
  const { app, stack, primary } = primaryIn('us-east-1', { shards: 3 });
  const global = new GlobalDatastore(stack, 'Global', { primary });
  const s = secondaryStack(app, 'Secondary', 'eu-west-1');
  const secondary = global.addSecondary(s.stack, 'Copy', { vpc: s.vpc, replicationGroupId: 'copy', replicasPerShard: 2 });

  test('has the primary\'s shards, node type and engine, and its own replicas and member ids', () => {
    expect(secondary.shards.map((sh) => sh.memberClusterIds)).toEqual([1, 2, 3].map((sh) => [1, 2, 3].map((n) => `copy-000${sh}-00${n}`)));
    expect(secondary.nodeType).toBe('cache.r7g.large');
    expect(secondary.engine?.displayName).toBe(primary.engine?.displayName);
    expect(secondary.region).toBe('eu-west-1');
    expect(global.secondaries).toEqual([secondary]);
  });

  test('metric() reads the lag without dimensions; a per-node read of it is refused', () => {
    const lag = s.stack.resolve((secondary.metric('GlobalDatastoreReplicationLag') as unknown as { dimensions?: object }).dimensions);
    expect(lag).toBeUndefined();
    expect(() => secondary.metricForNode('GlobalDatastoreReplicationLag', 'copy-0001-001'))
      .toThrow(/^Secondary\/Copy: invalid metricName "GlobalDatastoreReplicationLag": it is published per account and Region, without node dimensions: read it with metric\(\)$/);
  });
});
