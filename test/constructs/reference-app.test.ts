import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReferenceStack } from '../../bin/reference-stack';
import { SEMANTIC_APP, SemanticReferenceStack } from '../../bin/semantic-reference-stack';
import { ElastiCacheChecks } from '../../lib';
import { VectorSearchIndex } from '../../lib/client';
import { CONTRACT_ENV, parseContract } from '../../lib/catalog/connection';
import { createIndexArguments, parseVectorIndexDocument } from '../../lib/catalog/vector-index';
import { cfnLintErrors, flattenJoin, resourcesOf, synthWithReport, tempDir, Violation } from '../support/cdk';

/** The reference app exactly as bin/app.ts builds it, synthesized once for every test below. */
function synthReference(): { stack: ReferenceStack; template: Template; outdir: string; violations: Violation[] } {
  const app = new App({ outdir: tempDir('ectk-ref-') });
  const stack = new ReferenceStack(app, 'EctkReference');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
  const { outdir, violations } = synthWithReport(app);
  return { stack, template: Template.fromStack(stack), outdir, violations };
}

describe('reference app', () => {
  const ref = synthReference();

  test('has a serverless cache and a cluster-mode replication group with the secure defaults', () => {
    expect(resourcesOf(ref.template, 'AWS::ElastiCache::ServerlessCache')).toHaveLength(1);
    const [[, rg]] = resourcesOf(ref.template, 'AWS::ElastiCache::ReplicationGroup');
    expect(rg).toMatchObject({
      TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, MultiAZEnabled: true, AutomaticFailoverEnabled: true,
      NumNodeGroups: 3, ReplicasPerNodeGroup: 1, Engine: 'valkey', ClusterMode: 'enabled',
    });
    expect(rg.SnapshotRetentionLimit).toBeGreaterThanOrEqual(1);
    expect(rg.UserGroupIds).toHaveLength(1);
    const [[, pg]] = resourcesOf(ref.template, 'AWS::ElastiCache::ParameterGroup');
    expect(pg).toMatchObject({ CacheParameterGroupFamily: 'valkey8', Properties: { 'cluster-enabled': 'yes', 'maxmemory-policy': 'allkeys-lfu' } });
  });

  test('binds an example Lambda and an SLO check to each cache', () => {
    const envs = resourcesOf(ref.template, 'AWS::Lambda::Function')
      .map(([, p]) => ({ description: String(p.Description), cache: (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.ECTK_CACHE_NAME }))
      .filter((f) => f.cache);
    expect(envs.filter((f) => f.description.startsWith('Connectivity probe')).map((f) => f.cache).sort()).toEqual(['ectk-features', 'ectk-inference']);
    expect(envs.filter((f) => f.description.startsWith('SLO check of')).map((f) => f.cache).sort()).toEqual(['ectk-features', 'ectk-inference']);
  });

  test('binds the inference-cache example to the serverless cache as its app user, and its bundle loads and checks its input', async () => {
    const [, fn] = resourcesOf(ref.template, 'AWS::Lambda::Function').find(([, p]) => String(p.Description).startsWith('Read-through inference cache'))!;
    const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    const contract = parseContract(flattenJoin(env[CONTRACT_ENV]), CONTRACT_ENV);
    expect(contract).toMatchObject({ cacheName: 'ectk-inference', flavour: 'serverless', readerPort: 6380, users: [{ userName: 'ectk-inference-inferenceapp', authentication: 'iam' }] });
    expect(contract.ttlPolicy).toEqual({ defaultTtlSeconds: 3600, jitter: 0.1, maxTtlSeconds: 86400, requireTtl: false });
    // The bundle the asset holds is the one the function runs: it loads on its own and refuses an event without a prompt.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(ref.stack.inferenceFunctionAssetDirectory, 'index.js')) as { handler(e: unknown): Promise<unknown> };
    await expect(bundle.handler({})).rejects.toThrow('event.prompt: invalid value: a non-empty string');
  });

  test('SLO checks: a deploy gate on the cluster cache, canaries on both, a 4-worker fan-out on the serverless cache, SLO alarms', () => {
    expect(resourcesOf(ref.template, 'Custom::Trigger')).toHaveLength(1);
    const rules = resourcesOf(ref.template, 'AWS::Events::Rule');
    expect(rules.map(([, p]) => p.ScheduleExpression)).toEqual(['rate(15 minutes)', 'rate(15 minutes)']);
    const [[, machine]] = resourcesOf(ref.template, 'AWS::StepFunctions::StateMachine');
    expect(flattenJoin(machine.DefinitionString)).toContain('"MaxConcurrency":4');
    const sloAlarms = resourcesOf(ref.template, 'AWS::CloudWatch::Alarm').map(([, p]) => String(p.AlarmName)).filter((n) => /-slo-/.test(n)).sort();
    expect(sloAlarms).toEqual([
      'ectk-features-slo-breach-feature-store', 'ectk-features-slo-check-failing-feature-store',
      'ectk-inference-slo-breach-inference-cache', 'ectk-inference-slo-check-failing-inference-cache',
    ]);
    expect(resourcesOf(ref.template, 'AWS::EC2::VPCEndpoint').map(([, p]) => flattenJoin(p.ServiceName))).toEqual([expect.stringMatching(/\.monitoring$/)]);
  });

  test('both caches have alarms whose descriptions link existing runbooks, and a dashboard each', () => {
    const alarms = [...resourcesOf(ref.template, 'AWS::CloudWatch::Alarm'), ...resourcesOf(ref.template, 'AWS::CloudWatch::CompositeAlarm')];
    const names = alarms.map(([, p]) => String(p.AlarmName));
    expect(names.filter((n) => n.startsWith('ectk-inference-')).length).toBeGreaterThanOrEqual(7);
    expect(names.filter((n) => n.startsWith('ectk-features-')).length).toBeGreaterThanOrEqual(12);
    for (const [, p] of alarms) {
      const link = /Runbook: runbooks\/([a-z-]+\.md)$/.exec(String(p.AlarmDescription));
      expect(link).not.toBeNull();
      expect(fs.existsSync(path.join(__dirname, '..', '..', 'runbooks', link![1]))).toBe(true);
    }
    // docs/aws-facts.md, "Deploy-time limits and traps": dashboards are global per account, so names carry the region.
    expect(resourcesOf(ref.template, 'AWS::CloudWatch::Dashboard').map(([, p]) => flattenJoin(p.DashboardName)).sort())
      .toEqual(['ElastiCache-ectk-features-<AWS::Region>', 'ElastiCache-ectk-inference-<AWS::Region>']);
  });

  test('no security group rule is open to the internet', () => {
    const text = JSON.stringify(ref.template.toJSON());
    expect(text).not.toMatch(/"CidrIp":"0\.0\.0\.0\/0"/);
    expect(text).not.toMatch(/"CidrIpv6":"::\/0"/);
    for (const [, ingress] of resourcesOf(ref.template, 'AWS::EC2::SecurityGroupIngress')) {
      expect(ingress.SourceSecurityGroupId).toBeDefined();
    }
  });

  test('cdk-nag AwsSolutions and the ElastiCache rule pack report no unacknowledged finding, of any severity', () => {
    expect(ref.violations).toEqual([]);
  });

  test('every cdk-nag acknowledgement carries a reason', () => {
    // Acknowledgements are stored on each construct as metadata: { ruleId: reason }.
    const acks = ref.stack.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason }))));
    expect(acks.map((a) => a.id)).toEqual(expect.arrayContaining(['Annotation::AwsSolutions-AEC6']));
    // The toolkit acknowledges no finding of its own rule pack: everything it would report is fixed instead.
    expect(acks.filter((a) => a.id.includes('ElastiCache-'))).toEqual([]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(20);
  });

  test('cfn-lint finds no errors in the synthesized template', () => {
    const file = path.join(ref.outdir, 'EctkReference.template.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(cfnLintErrors(file)).toEqual([]);
  });
});

describe('reference app, semantic-caching variant', () => {
  const app = new App({ outdir: tempDir('ectk-sem-') });
  const stack = new SemanticReferenceStack(app, 'EctkSemanticReference');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
  const { outdir, violations } = synthWithReport(app);
  const template = Template.fromStack(stack);

  test('synthesizes clean: no cdk-nag or rule pack finding, no cfn-lint error', () => {
    expect(violations).toEqual([]);
    expect(cfnLintErrors(path.join(outdir, 'EctkSemanticReference.template.json'))).toEqual([]);
  });

  test('a Valkey 8.2 cluster that declares exactly the index the application\'s VectorSearchIndex queries', () => {
    const [[, rg]] = resourcesOf(template, 'AWS::ElastiCache::ReplicationGroup');
    expect(rg).toMatchObject({ Engine: 'valkey', EngineVersion: '8.2', CacheNodeType: 'cache.r7g.large', NumNodeGroups: 2, ClusterMode: 'enabled' });
    const [[, resource]] = resourcesOf(template, 'Custom::EctkVectorIndexes');
    const declared = parseVectorIndexDocument(flattenJoin(resource.Document)).indexes;
    const client = new VectorSearchIndex(SEMANTIC_APP.keyPrefix, SEMANTIC_APP.dimensions, { tagFields: [...SEMANTIC_APP.tagFields] });
    expect(declared).toEqual([client.spec(1_000_000, 1024)]);
    expect(createIndexArguments(declared[0])).toEqual(client.createCommand());
  });

  test('the application user may search and reach only sem: keys; the semantic hit-ratio alarm and the index alarms share the cache\'s topic', () => {
    const [[, user]] = resourcesOf(template, 'AWS::ElastiCache::User').filter(([, p]) => p.UserName === 'ectk-semantic-semanticapp');
    expect(user.AccessString).toBe('on ~sem:* +@read +@write +@connection -@dangerous +ft.search +cluster|slots +cluster|shards +cluster|info');
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, p]) => /^ectk-semantic-(semantic-hit-ratio-low|vector-index-)/.test(String(p.AlarmName)));
    expect(alarms.map(([, p]) => p.AlarmName).sort()).toEqual([
      'ectk-semantic-semantic-hit-ratio-low', 'ectk-semantic-vector-index-backfill-stalled', 'ectk-semantic-vector-index-health-missing',
      'ectk-semantic-vector-index-memory-high', 'ectk-semantic-vector-index-out-of-memory',
    ]);
    expect(new Set(alarms.map(([, p]) => JSON.stringify(p.AlarmActions))).size).toBe(1);
  });
});
