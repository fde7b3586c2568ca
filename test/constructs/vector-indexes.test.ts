/**
 * ClusterCache's `vectorIndexes`: what AWS would refuse is refused at synth (docs/aws-facts.md, "Vector search"), the
 * sizing refuses a cluster too small for the declared vectors and accepts one just big enough, and a declared index
 * synthesizes the function, its confined user, the custom resource, the health schedule and the alarms, clean under
 * cdk-nag, the rule pack and cfn-lint.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CacheEngine, ClusterCache, ClusterCacheProps, Durability, ElastiCacheChecks, VectorAlgorithm, VectorDistanceMetric, VectorIndex, VectorIndexChangePolicy, VectorIndexSizing,
} from '../../lib';
import { CONTRACT_ENV, parseContract } from '../../lib/catalog/connection';
import { searchMemoryThresholdPercent } from '../../lib/catalog/search-health';
import { parseVectorIndexDocument } from '../../lib/catalog/vector-index';
import { cfnLintErrors, checkedSynth, flattenJoin, isolatedVpc, resourcesOf, synthWithReport, tempDir, testStack } from '../support/cdk';

const QA: VectorIndex = { indexName: 'qa-idx', keyPrefixes: ['sem:h:'], dimensions: 1536, expectedVectors: 100_000, tagFields: ['tenant', 'model'] };


function build(props: Partial<ClusterCacheProps>): void {
  const { stack, vpc } = testStack();
  new ClusterCache(stack, 'Sem', { vpc, replicationGroupId: 'sem', ...props });
}

describe('a cluster with a declared vector index', () => {
  const synth = checkedSynth((stack) => {
    new ClusterCache(stack, 'Sem', { vpc: isolatedVpc(stack), replicationGroupId: 'sem', shards: 2, vectorIndexes: [QA] });
  });

  test('synthesizes clean: no cdk-nag or rule pack finding, no cfn-lint error', () => {
    expect(synth.violations).toEqual([]);
    expect(cfnLintErrors(synth.templateFile)).toEqual([]);
  });

  test('the custom resource carries the declaration with its defaults, after the cache, the function\'s user and the user group it joins', () => {
    const [[id, resource]] = resourcesOf(synth.template, 'Custom::EctkVectorIndexes');
    const doc = parseVectorIndexDocument(flattenJoin(resource.Document));
    expect(doc).toEqual({
      version: 1, changePolicy: 'refuse',
      indexes: [{
        name: 'qa-idx', keyPrefixes: ['sem:h:'], vectorField: 'vec', dimensions: 1536, algorithm: 'HNSW', distanceMetric: 'COSINE',
        m: 16, efConstruction: 200, efRuntime: 100, tagFields: ['tenant', 'model'], expectedVectors: 100_000, otherFieldBytes: 1024,
      }],
    });
    const dependsOn = (synth.template.toJSON().Resources[id] as { DependsOn: string[] }).DependsOn;
    const [[group]] = resourcesOf(synth.template, 'AWS::ElastiCache::ReplicationGroup');
    const [[user]] = resourcesOf(synth.template, 'AWS::ElastiCache::User').filter(([, p]) => p.UserName === 'sem-indexmanager');
    // The user group too: adding the function's user to it is what lets the function log in.
    const [[userGroup]] = resourcesOf(synth.template, 'AWS::ElastiCache::UserGroup');
    expect(dependsOn).toEqual(expect.arrayContaining([group, user, userGroup]));
  });

  test('the function runs in the VPC, bound as an IAM user confined to the index prefixes with only the commands it runs', () => {
    const users = resourcesOf(synth.template, 'AWS::ElastiCache::User').filter(([, p]) => p.UserName === 'sem-indexmanager');
    expect(users).toHaveLength(1);
    expect(users[0][1]).toMatchObject({
      AuthenticationMode: { Type: 'iam' },
      AccessString: 'on ~sem:h:* +@connection +@read +@write -@dangerous +ft.create +ft.info +ft.dropindex +ft._list +info +cluster|slots +cluster|shards +cluster|info',
    });
    const functions = resourcesOf(synth.template, 'AWS::Lambda::Function').filter(([, p]) => /^vector-indexes\./.test(String(p.Handler)));
    expect(functions.map(([, p]) => p.Handler).sort()).toEqual(['vector-indexes.onEvent', 'vector-indexes.watch']);
    for (const [, fn] of functions) {
      expect(fn.VpcConfig).toBeDefined();
      const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      const contract = parseContract(flattenJoin(env[CONTRACT_ENV]), CONTRACT_ENV);
      expect(contract.users).toEqual([{ userName: 'sem-indexmanager', authentication: 'iam' }]);
      // The custom resource's function waits up to 90 s for a refused login (a user group change not yet applied).
      if (fn.Handler === 'vector-indexes.onEvent') expect(env.ECTK_LOGIN_WAIT_SECONDS).toBe('90');
    }
  });

  test('health every 5 minutes through the logs (no CloudWatch API call, no egress but the cache port), with four alarms linking their runbooks', () => {
    expect(resourcesOf(synth.template, 'AWS::Events::Rule').map(([, p]) => p.ScheduleExpression)).toEqual(['rate(5 minutes)']);
    const statements = resourcesOf(synth.template, 'AWS::IAM::Policy')
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: Array<{ Action: unknown }> }).Statement);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('cloudwatch:'))).toEqual([]);
    const [[, sg]] = resourcesOf(synth.template, 'AWS::EC2::SecurityGroup').filter(([, p]) => String(p.GroupDescription).startsWith('Vector index functions'));
    expect(JSON.stringify(sg.SecurityGroupEgress ?? [])).not.toContain('0.0.0.0/0');
    const egress = resourcesOf(synth.template, 'AWS::EC2::SecurityGroupEgress').filter(([id]) => id.startsWith('SemVectorIndexesSecurityGroup'));
    // Both functions share the group: one rule, to the cache's group, on the cache port.
    expect(egress.map(([, p]) => [p.FromPort, p.ToPort, p.DestinationSecurityGroupId])).toEqual([[6379, 6379, { 'Fn::GetAtt': [expect.stringMatching(/^SemSecurityGroup/), 'GroupId'] }]]);
    const alarms = resourcesOf(synth.template, 'AWS::CloudWatch::Alarm').filter(([, p]) => /vector-index/.test(String(p.AlarmName)));
    expect(alarms.map(([, p]) => [p.AlarmName, p.MetricName, p.Threshold, p.Namespace])).toEqual([
      ['sem-vector-index-out-of-memory', 'SearchBackfillPausedByOom', 1, 'ElastiCacheToolkit/Search'],
      ['sem-vector-index-backfill-stalled', 'SearchBackfillInProgress', 1, 'ElastiCacheToolkit/Search'],
      // 80 % of the data memory (75 % of maxmemory at the default 25 % reserve), half of it the index's copy: read from
      // ElastiCache's own SearchUsedMemoryBytes per node (metric math, below).
      ['sem-vector-index-memory-high', undefined, 30, undefined],
      // A health function that stops writing leaves the two function-fed alarms blind: no point for 15 minutes alarms.
      ['sem-vector-index-health-missing', 'SearchBackfillInProgress', 1, 'ElastiCacheToolkit/Search'],
    ]);
    // docs/aws-facts.md, "CloudWatch metrics": SearchUsedMemoryBytes is published per node with CacheClusterId +
    // CacheNodeId only; the alarm takes the worst node as a share of the node type's maxmemory (r7g.large: 14037181030 B,
    // "Node memory"), every node of both shards, replicas included.
    const [, memory] = alarms[2];
    const queries = memory.Metrics as Array<{ Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Stat: string } }>;
    expect(queries.find((q) => q.Expression)!.Expression).toBe('100 * MAX([n0,n1,n2,n3]) / 14037181030');
    expect(queries.filter((q) => q.MetricStat).map((q) => [q.MetricStat!.Metric.Namespace, q.MetricStat!.Metric.MetricName, q.MetricStat!.Stat,
      q.MetricStat!.Metric.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')])).toEqual(['sem-0001-001', 'sem-0001-002', 'sem-0002-001', 'sem-0002-002']
      .map((node) => ['AWS/ElastiCache', 'SearchUsedMemoryBytes', 'Maximum', `CacheClusterId=${node},CacheNodeId=0001`]));
    const [, missing] = alarms[3];
    expect(missing).toMatchObject({ Statistic: 'SampleCount', ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 3 });
    expect(searchMemoryThresholdPercent(50)).toBe(20);
    for (const [, p] of alarms) expect(String(p.AlarmDescription)).toMatch(/Runbook: runbooks\/vector-index-[a-z-]+\.md$/);
  });
});

test('an escape hatch that moves the cache below Valkey 8.2 after construction is caught by the rule pack (VectorIndexHost)', () => {
  const app = new App({ outdir: tempDir('ectk-hatch-') });
  const stack = new Stack(app, 'Checked');
  const cache = new ClusterCache(stack, 'Sem', { vpc: isolatedVpc(stack), replicationGroupId: 'sem', vectorIndexes: [QA] });
  cache.resource.engineVersion = '8.0';
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app));
  const { violations } = synthWithReport(app);
  expect(violations.map((v) => [v.rule, v.path])).toEqual([['ElastiCache-VectorIndexHost', 'Checked/Sem/VectorIndexes/Indexes/Default']]);
});

describe('what AWS would not run is refused at synth, naming the prop, the value and what is allowed', () => {
  test.each<[string, Partial<ClusterCacheProps>, RegExp]>([
    ['Valkey 8.1', { engine: CacheEngine.VALKEY_8_1, vectorIndexes: [QA] }, /^Test\/Sem: invalid engine "Valkey 8\.1": vector search needs Valkey 8\.2 or later \(vectorIndexes\)$/],
    ['Redis OSS 7.1', { engine: CacheEngine.REDIS_OSS_7, vectorIndexes: [QA] }, /invalid engine "Redis OSS 7\.1": vector search needs Valkey 8\.2/],
    ['data tiering', { nodeType: 'cache.r6gd.xlarge', vectorIndexes: [QA] }, /invalid nodeType "cache\.r6gd\.xlarge": vector search is not available on data tiering \(r6gd\) nodes/],
    ['t4g.micro at the default reserve', { nodeType: 'cache.t4g.micro', vectorIndexes: [{ ...QA, expectedVectors: 10 }] }, /invalid reservedMemoryPercent 25: search on cache\.t4g\.micro needs a memory reserve of at least 50 %/],
    ['t3.small at 29 %', { nodeType: 'cache.t3.small', reservedMemoryPercent: 29, vectorIndexes: [{ ...QA, expectedVectors: 10 }] }, /invalid reservedMemoryPercent 29: .* at least 30 %/],
    ['11 indexes on 8.2', { shards: 4, vectorIndexes: Array.from({ length: 11 }, (_, i) => ({ ...QA, indexName: `i${i}`, expectedVectors: 1000 })) }, /invalid vectorIndexes 11: at most 10 indexes on this engine version \(Valkey 8\.2\)/],
    ['EF_CONSTRUCTION above 4,096 on 8.2', { vectorIndexes: [{ ...QA, efConstruction: 4097 }] }, /invalid vectorIndexes\[0\]\.efConstruction 4097: an integer from 1 to 4096 \(Valkey 8\.2\)/],
    ['EF_RUNTIME 0', { vectorIndexes: [{ ...QA, efRuntime: 0 }] }, /invalid vectorIndexes\[0\]\.efRuntime 0: an integer from 1 to 4096/],
    ['M above the engine\'s 512', { vectorIndexes: [{ ...QA, m: 513 }] }, /invalid vectorIndexes\[0\]\.m 513: an integer from 1 to 512/],
    ['32,769 dimensions', { vectorIndexes: [{ ...QA, dimensions: 32769, expectedVectors: 10 }] }, /invalid vectorIndexes\[0\]\.dimensions 32769: an integer from 1 to 32768/],
    ['51 fields on 8.2', { vectorIndexes: [{ ...QA, tagFields: Array.from({ length: 50 }, (_, i) => `t${i}`) }] }, /invalid vectorIndexes\[0\]\.tagFields 51: at most 50 fields per index, the vector field included/],
    ['17 prefixes', { vectorIndexes: [{ ...QA, keyPrefixes: Array.from({ length: 17 }, (_, i) => `p${i}:`) }] }, /invalid vectorIndexes\[0\]\.keyPrefixes 17: 1 to 16 prefixes/],
    ['a glob in a prefix', { vectorIndexes: [{ ...QA, keyPrefixes: ['sem:*'] }] }, /invalid vectorIndexes\[0\]\.keyPrefixes "sem:\*": a non-empty prefix without spaces or glob characters/],
    ['a tag named like the vector field', { vectorIndexes: [{ ...QA, tagFields: ['vec'] }] }, /invalid vectorIndexes\[0\]\.tagFields "vec": field names are unique/],
    ['two indexes of one name', { vectorIndexes: [QA, { ...QA, keyPrefixes: ['other:'] }] }, /invalid vectorIndexes\[1\]\.name "qa-idx": index names are unique/],
    ['M on a FLAT index', { vectorIndexes: [{ ...QA, algorithm: VectorAlgorithm.FLAT, m: 8 }] }, /invalid vectorIndexes\[0\]\.m 8: only HNSW indexes take m, efConstruction and efRuntime; this index is FLAT/],
    ['a change policy from another language', { vectorIndexes: [QA], vectorIndexChangePolicy: 'drop' as VectorIndexChangePolicy }, /invalid vectorIndexChangePolicy "drop": allowed are refuse, recreate/],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('Valkey 9.0 lifts the index, field and EF limits: 11 indexes and EF_CONSTRUCTION 5,000 synthesize', () => {
    expect(() => build({
      engine: CacheEngine.valkey('9.0'), shards: 4,
      vectorIndexes: Array.from({ length: 11 }, (_, i) => ({ ...QA, indexName: `i${i}`, expectedVectors: 1000, efConstruction: 5000 })),
    })).not.toThrow();
  });

  test('t4g.micro with a 50 % reserve takes a small FLAT index', () => {
    expect(() => build({
      nodeType: 'cache.t4g.micro', reservedMemoryPercent: 50,
      vectorIndexes: [{ ...QA, algorithm: VectorAlgorithm.FLAT, distanceMetric: VectorDistanceMetric.L2, expectedVectors: 1000 }],
    })).not.toThrow();
  });
});

describe('sizing: the declared vectors against the nodes\' memory', () => {
  // Per vector for QA (1,536 dims, 1,024 other bytes, prefix "sem:h:", tags tenant and model, M 16):
  // keys ceil(1.25 × (6,144 + 1,024 + 42 + 14)) + 400 = 9,430; index 6,144 + 132 + 5 + 128 + 42 = 6,451.
  const PER_VECTOR = 9430 + 6451;
  // cache.r7g.large: maxmemory 14,037,181,030 (ElastiCache's Valkey node-type table); 75 % for data, 80 % of that for vectors.
  const BUDGET = Math.floor(Math.floor(14037181030 * 0.75) * 0.8);

  test('the estimate is the documented arithmetic', () => {
    expect(VectorIndexSizing.estimate(QA)).toEqual({ keyBytes: 9430 * 100_000, indexBytes: 6451 * 100_000, totalBytes: PER_VECTOR * 100_000 });
    const flat = VectorIndexSizing.estimate({ ...QA, algorithm: VectorAlgorithm.FLAT });
    expect(flat.indexBytes).toBe((6144 + 128 + 42) * 100_000);
  });

  test('two r7g.large shards take exactly as many vectors as their budget holds, and refuse one more with the numbers', () => {
    const most = Math.floor((2 * BUDGET) / PER_VECTOR);
    expect(VectorIndexSizing.fit([{ ...QA, expectedVectors: most }], { nodeType: 'cache.r7g.large', shards: 2 })).toMatchObject({ fits: true, budgetBytesPerShard: BUDGET, shardsNeeded: 2 });
    expect(VectorIndexSizing.fit([{ ...QA, expectedVectors: most + 1 }], { nodeType: 'cache.r7g.large', shards: 2 })).toMatchObject({ fits: false, shardsNeeded: 3 });
    expect(() => build({ shards: 2, vectorIndexes: [{ ...QA, expectedVectors: most }] })).not.toThrow();
    expect(() => build({ shards: 2, vectorIndexes: [{ ...QA, expectedVectors: most + 1 }] })).toThrow(
      /^Test\/Sem: invalid vectorIndexes "7\.84 GiB per shard": at most 7\.84 GiB per shard: 80 % of the 9\.80 GiB a cache\.r7g\.large keeps for data \(maxmemory 13\.07 GiB less 25 % reserved\) over 2 shard\(s\)\. qa-idx: [\d,]+ × 1536 dims = [\d.]+ GiB in keys \+ [\d.]+ GiB in the index\. Use 3 shards or more, a larger node type, or fewer expected vectors$/);
  });

  test('with shard auto scaling the fewest shards count; a larger reserve shrinks the budget', () => {
    const most = Math.floor((2 * BUDGET) / PER_VECTOR);
    expect(() => build({ shards: 2, shardAutoScaling: { minShards: 1, maxShards: 4, targetValue: 60 }, vectorIndexes: [{ ...QA, expectedVectors: most }] }))
      .toThrow(/over 1 shard\(s\)\. .* Use 2 shards or more/);
    expect(() => build({ shards: 2, reservedMemoryPercent: 50, vectorIndexes: [{ ...QA, expectedVectors: most }] })).toThrow(/less 50 % reserved/);
  });

  test('a node type outside the maxmemory table cannot be sized, and says so', () => {
    expect(() => build({ nodeType: 'cache.x9.large', vectorIndexes: [QA] })).toThrow(/invalid nodeType "cache\.x9\.large": a node type whose memory the toolkit knows/);
    expect(() => VectorIndexSizing.fit([QA], { nodeType: 'cache.x9.large', shards: 1 })).toThrow(/VectorIndexSizing: invalid nodeType "cache\.x9\.large"/);
  });
});

describe('what vector indexes do to operations is said at synth, as a warning', () => {
  const warnings = (props: Partial<ClusterCacheProps>) => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Sem', { vpc, replicationGroupId: 'sem', shards: 3, vectorIndexes: [QA], ...props });
    return Annotations.fromStack(stack).findWarning('/Test/Sem', Match.anyValue()).map((w) => String(w.entry.data));
  };

  // docs/aws-facts.md, "Vector search": "Scaling limits" (8.2 backfill, 9.0 write throughput) and search write throttling.
  test('shard auto scaling on Valkey 8.2: every scaling event backfills the indexes, and recall drops until it ends', () => {
    const said = warnings({ shardAutoScaling: { maxShards: 6, targetValue: 70 } });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^shardAutoScaling with vectorIndexes: on Valkey 8\.2 every shard added or removed backfills the indexes as data migrates, and queries miss entries \(lower recall\) until the backfill ends\..*"Scaling limits"/);
  });

  test('on Valkey 9.0 with durability: write throughput during scaling, and writes to indexed keys delayed, not rejected', () => {
    const said = warnings({ engine: CacheEngine.valkey('9.0'), durability: Durability.ASYNC, shardAutoScaling: { maxShards: 6, targetValue: 70 } });
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^shardAutoScaling with vectorIndexes: on Valkey 9\.0 write throughput may drop while a shard is added or removed/);
    expect(said[1]).toMatch(/^durability with vectorIndexes: writes to indexed keys .* may be throttled .* delayed, not rejected.*Durability\.SearchThrottling\.html/);
  });

  test('no auto scaling and no durability: no warning', () => {
    expect(warnings({})).toEqual([]);
  });
});
