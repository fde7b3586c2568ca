import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import { Template } from 'aws-cdk-lib/assertions';
import { CacheEngine, ClusterCache, LatencySlo, LatencySloProps, LoadProfile, ServerlessCache } from '../../lib';
import { LOADGEN_ACCESS } from '../../lib/catalog/connection';
import { SLO_ALARMS } from '../../lib/catalog/alarms';
import { SloCheckSpec } from '../../lib/catalog/slo-check';
import { flattenJoin, resourcesOf, testStack } from '../support/cdk';

type Props = Record<string, unknown>;

function serverless(overrides: Partial<LatencySloProps> = {}) {
  const { stack, vpc } = testStack();
  const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, monitoring: { enabled: false } });
  const slo = new LatencySlo(stack, 'Slo', { cache, vpc, ...overrides });
  return { stack, vpc, cache, slo, template: Template.fromStack(stack) };
}

function functionByHandler(template: Template, handler: string): [string, Props] {
  const found = resourcesOf(template, 'AWS::Lambda::Function').filter(([, p]) => p.Handler === handler);
  expect(found).toHaveLength(1);
  return found[0];
}

function policyStatements(template: Template, roleLogicalIdPrefix: string): Array<Record<string, unknown>> {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Roles as Array<{ Ref: string }>).some((r) => r.Ref.startsWith(roleLogicalIdPrefix)))
    .flatMap(([, p]) => (p.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement);
}

describe('LatencySlo with one worker (defaults)', () => {
  const { template } = serverless();
  const [workerId, worker] = functionByHandler(template, 'index.handler');
  const env = (worker.Environment as { Variables: Record<string, unknown> }).Variables;

  test('the worker Lambda runs in the cache VPC with the environment bind() sets and the check as JSON', () => {
    expect((worker.VpcConfig as { SubnetIds: unknown[] }).SubnetIds).toHaveLength(2);
    expect(env).toMatchObject({
      ECTK_CACHE_NAME: 'infer', ECTK_CACHE_FLAVOUR: 'serverless', ECTK_CACHE_TLS: 'true', ECTK_CACHE_CLUSTER_MODE: 'true',
      ECTK_CACHE_AUTH_MODE: 'iam', ECTK_CACHE_USER: 'infer-sloloadgenerator',
    });
    const check = JSON.parse(String(env.ECTK_SLO_CHECK)) as SloCheckSpec;
    // The cache the figures are published for travels in the check: the aggregator is not bound to the cache.
    expect(check).toEqual({
      cacheName: 'infer', profile: LoadProfile.GET_SET, rate: 1000, durationSeconds: 60, warmupSeconds: 5, slo: 'p99<5ms,p99.9<20ms,errors<0.1%', keyspace: 10000,
      valueSize: [100, 100], keyPrefix: 'ectk:slo:', connections: 4, threads: 1, workers: 1,
    });
    expect(worker).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 1024, Timeout: 125 });
  });

  test('its RBAC user authenticates with IAM and is confined to the load-generator prefix and categories', () => {
    const users = resourcesOf(template, 'AWS::ElastiCache::User').filter(([, p]) => p.UserName === 'infer-sloloadgenerator');
    expect(users).toHaveLength(1);
    const [, user] = users[0];
    expect(user).toMatchObject({ UserId: 'infer-sloloadgenerator', AuthenticationMode: { Type: 'iam' }, Engine: 'valkey' });
    expect(user.AccessString).toBe([
      'on', '~ectk:slo:*', ...LOADGEN_ACCESS.allowCategories.map((c) => `+@${c}`), '-@dangerous', ...LOADGEN_ACCESS.allowCommands.map((c) => `+${c}`),
    ].join(' '));
    const [, group] = resourcesOf(template, 'AWS::ElastiCache::UserGroup')[0];
    expect(group.UserIds).toEqual(['infer-default', 'infer-sloloadgenerator']);
  });

  test('least privilege: elasticache:Connect on the cache and that user only; PutMetricData only into the SLO namespace', () => {
    const statements = policyStatements(template, workerId.replace(/[0-9A-F]{8}$/, ''));
    const connect = statements.filter((s) => s.Action === 'elasticache:Connect');
    expect(connect).toHaveLength(1);
    const resources = (connect[0].Resource as unknown[]).map(flattenJoin);
    expect(resources).toEqual([
      'arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:serverlesscache:infer',
      'arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:user:infer-sloloadgenerator',
    ]);
    const put = statements.filter((s) => s.Action === 'cloudwatch:PutMetricData');
    // PutMetricData has no resource-level permissions; the cloudwatch:namespace condition key confines it
    // (Service Authorization Reference, Amazon CloudWatch: condition key cloudwatch:namespace).
    expect(put).toEqual([{ Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'ElastiCacheToolkit/SLO' } } }]);
    expect(statements.map((s) => s.Action).flat().sort()).toEqual(['cloudwatch:PutMetricData', 'elasticache:Connect']);
  });

  test('network: its security group reaches the cache port and HTTPS only; the cache admits it', () => {
    const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup').filter(([, p]) => String(p.GroupDescription).startsWith('Load generator of infer'));
    expect(groups).toHaveLength(1);
    const egress = groups[0][1].SecurityGroupEgress as Array<Record<string, unknown>>;
    expect(egress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' })]);
    const toCache = resourcesOf(template, 'AWS::EC2::SecurityGroupEgress').filter(([, p]) => p.FromPort === 6379);
    expect(toCache).toHaveLength(1);
    const intoCache = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => p.FromPort === 6379);
    expect(intoCache).toHaveLength(1);
  });

  test('canary: every 15 minutes, the Lambda invoked without retries and told not to fail on a breach', () => {
    const [[, rule]] = resourcesOf(template, 'AWS::Events::Rule');
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    const [target] = rule.Targets as Array<Record<string, unknown>>;
    expect(JSON.parse(String(target.Input))).toEqual({ fail_on_breach: false, publish: true });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
    const [[, invokeConfig]] = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig');
    expect(invokeConfig.MaximumRetryAttempts).toBe(0);
  });

  test('alarms: slo-breach and slo-check-failing on SloMet with the catalog settings, runbook links and SNS actions', () => {
    const alarms = Object.fromEntries(resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, p]) => [String(p.AlarmName), p]));
    expect(Object.keys(alarms).sort()).toEqual(['infer-slo-breach-get-set', 'infer-slo-check-failing-get-set']);
    for (const def of SLO_ALARMS) {
      const a = alarms[`infer-${def.id}-get-set`];
      expect(a).toMatchObject({
        Namespace: 'ElastiCacheToolkit/SLO', MetricName: 'SloMet', Statistic: def.statistic, Period: 900, Threshold: def.threshold,
        ComparisonOperator: def.comparison, EvaluationPeriods: def.evaluationPeriods, DatapointsToAlarm: def.datapointsToAlarm,
        TreatMissingData: def.treatMissingData,
        Dimensions: [{ Name: 'Cache', Value: 'infer' }, { Name: 'Profile', Value: 'get-set' }],
      });
      expect(String(a.AlarmDescription)).toMatch(new RegExp(`SLO: p99<5ms,p99\\.9<20ms,errors<0\\.1%\\. Runbook: runbooks/${def.id}\\.md$`));
      expect(a.AlarmActions).toHaveLength(1);
      expect(a.OKActions).toHaveLength(1);
    }
    // Silence is the symptom for the check alarm, not for the breach alarm.
    expect(alarms['infer-slo-check-failing-get-set'].TreatMissingData).toBe('breaching');
    expect(alarms['infer-slo-breach-get-set'].TreatMissingData).toBe('notBreaching');
  });

  test('no state machine, no deploy gate and no capacity search unless asked for', () => {
    expect(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).toHaveLength(0);
    expect(resourcesOf(template, 'Custom::Trigger')).toHaveLength(0);
    expect(resourcesOf(template, 'AWS::Lambda::Function').filter(([, p]) => p.Handler === 'index.capacity')).toHaveLength(0);
  });
});

describe('LatencySlo capacity search', () => {
  test('on demand: a second function of the bundle, 900 s, in the worker\'s network as the same user, with the check and its search settings', () => {
    const { template, slo } = serverless({ rate: 2000, capacitySearch: {} });
    const [, worker] = functionByHandler(template, 'index.handler');
    const [searchId, search] = functionByHandler(template, 'index.capacity');
    // Lambda's longest timeout is 900 seconds (docs/aws-facts.md, "Lambda").
    expect(search).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 1024, Timeout: 900 });
    expect(search.VpcConfig).toEqual(worker.VpcConfig);
    const env = (search.Environment as { Variables: Record<string, unknown> }).Variables;
    const workerEnv = (worker.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.ECTK_SLO_CHECK).toEqual(workerEnv.ECTK_SLO_CHECK);
    expect(env.ECTK_CACHE_USER).toBe('infer-sloloadgenerator');
    expect(JSON.parse(String(env.ECTK_CAPACITY_SEARCH))).toEqual({ maxRate: 32000, stepSeconds: 20, maxSteps: 12 });
    const statements = policyStatements(template, searchId.replace(/[0-9A-F]{8}$/, ''));
    expect(statements.map((st) => st.Action).flat().sort()).toEqual(['cloudwatch:PutMetricData', 'elasticache:Connect']);
    expect(slo.capacitySearch).toBeDefined();
    expect(slo.capacitySearchRule).toBeUndefined();
    // On demand only: the one rule is the canary's.
    expect(resourcesOf(template, 'AWS::Events::Rule')).toHaveLength(1);
  });

  test('on a schedule: a rule invokes it with {} and no retries; settings given are kept', () => {
    const { template } = serverless({ canary: false, capacitySearch: { maxRate: 50_000, stepDuration: Duration.seconds(30), maxSteps: 8, schedule: events.Schedule.cron({ minute: '0', hour: '3' }) } });
    const [, search] = functionByHandler(template, 'index.capacity');
    const env = (search.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.parse(String(env.ECTK_CAPACITY_SEARCH))).toEqual({ maxRate: 50000, stepSeconds: 30, maxSteps: 8 });
    const [[, rule]] = resourcesOf(template, 'AWS::Events::Rule');
    expect(rule.ScheduleExpression).toBe('cron(0 3 * * ? *)');
    const [target] = rule.Targets as Array<Record<string, unknown>>;
    expect(JSON.parse(String(target.Input))).toEqual({});
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
  });
});

describe('LatencySlo deploy gate with one worker', () => {
  const { stack, vpc } = testStack();
  const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, engine: CacheEngine.VALKEY_8, nodeType: 'cache.r7g.large', shards: 2, replicasPerShard: 1, monitoring: { enabled: false } });
  new LatencySlo(stack, 'Slo', { cache, vpc, deployGate: true, deploymentId: 'commit-abc', profile: LoadProfile.FEATURE_STORE, canary: false });
  const template = Template.fromStack(stack);

  test('a Trigger invokes the worker synchronously after the replication group and the load-generator user exist', () => {
    const triggers = template.findResources('Custom::Trigger');
    const [[, trigger]] = Object.entries(triggers) as Array<[string, { Properties: Props; DependsOn: string[] }]>;
    expect(trigger.Properties.InvocationType).toBe('RequestResponse');
    const [workerId, worker] = functionByHandler(template, 'index.handler');
    expect(flattenJoin(trigger.Properties.HandlerArn)).toContain(workerId.replace(/[0-9A-F]{8}$/, 'CurrentVersion'));
    const [[rgId]] = resourcesOf(template, 'AWS::ElastiCache::ReplicationGroup');
    const [[userId]] = resourcesOf(template, 'AWS::ElastiCache::User').filter(([, p]) => p.UserName === 'feat-sloloadgenerator');
    expect(trigger.DependsOn).toEqual(expect.arrayContaining([rgId, userId]));
    expect((worker.Environment as { Variables: Props }).Variables.ECTK_DEPLOYMENT_ID).toBe('commit-abc');
  });

  test('without the canary there is no schedule and no slo-check-failing alarm (silence would always page)', () => {
    expect(resourcesOf(template, 'AWS::Events::Rule')).toHaveLength(0);
    expect(resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, p]) => p.AlarmName)).toEqual(['feat-slo-breach-feature-store']);
  });

  test('Connect is granted on the replication group ARN', () => {
    const connect = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, p]) => (p.PolicyDocument as { Statement: Props[] }).Statement).find((s) => s.Action === 'elasticache:Connect')!;
    expect((connect.Resource as unknown[]).map(flattenJoin)[0]).toBe('arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:replicationgroup:feat');
  });
});

describe('LatencySlo fan-out', () => {
  const { template } = serverless({ workers: 4, rate: 2000, deployGate: true, profile: LoadProfile.INFERENCE_CACHE, slo: 'p99<5ms,hit_ratio>50%' });
  const [, machine] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0];
  const definition = JSON.parse(flattenJoin(machine.DefinitionString)) as { StartAt: string; States: Record<string, Props> };

  test('a Map state invokes the worker 4 times in parallel with distinct run ids, then the aggregator, then a verdict', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan.Result).toEqual([{ worker_index: 0 }, { worker_index: 1 }, { worker_index: 2 }, { worker_index: 3 }]);
    const map = definition.States.Workers;
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.workers', MaxConcurrency: 4, ResultPath: '$.results', Next: 'Aggregate' });
    expect(map.ItemSelector).toEqual({
      'worker_index.$': '$$.Map.Item.Value.worker_index', worker_count: 4, 'run_id.$': '$$.Execution.Name',
      publish: false, compact: true, fail_on_breach: false,
    });
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, Props> };
    const [workerId] = functionByHandler(template, 'index.handler');
    expect(processor.States[processor.StartAt]).toMatchObject({ Type: 'Task', Resource: `<${workerId}.Arn>` });
    expect(definition.States.Aggregate).toMatchObject({ Type: 'Task', Next: 'SloMet' });
    expect(definition.States.Aggregate.Parameters).toEqual({ 'results.$': '$.results', publish: true, fail_on_breach: false });
    expect(definition.States.SloMet).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.slo.passed', BooleanEquals: true, Next: 'Met' },
        // A breach that the workers' own lateness explains is no verdict: the execution fails as GeneratorLimited.
        { Variable: '$.generator.spoils_slo', BooleanEquals: true, Next: 'NotTrustworthy' },
      ],
      Default: 'Breached',
    });
    expect(definition.States.Breached).toMatchObject({ Type: 'Fail', Error: 'SloBreached' });
    expect(definition.States.NotTrustworthy).toMatchObject({ Type: 'Fail', Error: 'GeneratorLimited' });
  });

  test('the aggregator runs outside the VPC and may only publish; the gate starts and reads the state machine', () => {
    const [aggId, aggregator] = functionByHandler(template, 'index.aggregate');
    expect(aggregator.VpcConfig).toBeUndefined();
    expect(policyStatements(template, aggId.replace(/[0-9A-F]{8}$/, '')).map((s) => s.Action)).toEqual(['cloudwatch:PutMetricData']);
    const [gateId, gate] = functionByHandler(template, 'index.gate');
    expect(Object.keys((gate.Environment as { Variables: Props }).Variables)).toContain('ECTK_SLO_STATE_MACHINE_ARN');
    const actions = policyStatements(template, gateId.replace(/[0-9A-F]{8}$/, '')).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution']));
    const [[, trigger]] = resourcesOf(template, 'Custom::Trigger');
    expect(flattenJoin(trigger.HandlerArn)).toContain(gateId.replace(/[0-9A-F]{8}$/, 'CurrentVersion'));
  });

  test('the canary starts the state machine; each worker runs rate / workers', () => {
    const [[, rule]] = resourcesOf(template, 'AWS::Events::Rule');
    const [target] = rule.Targets as Props[];
    expect(JSON.stringify(target.Arn)).toContain('FanOut');
    const [, worker] = functionByHandler(template, 'index.handler');
    const check = JSON.parse(String((worker.Environment as { Variables: Props }).Variables.ECTK_SLO_CHECK)) as SloCheckSpec;
    expect(check).toMatchObject({ workers: 4, rate: 2000, valueSize: [1024, 16384] });
    expect(definition.States.Plan.Comment).toBe('4 workers at 500 requests/s each');
  });

  test('above 30 workers the fan-out is a Distributed Map whose results go to an encrypted, expiring bucket the aggregator reads', () => {
    const { template: big, slo } = serverless({ workers: 50, rate: 50_000 });
    const [, m] = resourcesOf(big, 'AWS::StepFunctions::StateMachine')[0];
    const states = (JSON.parse(flattenJoin(m.DefinitionString)) as { States: Record<string, Props> }).States;
    expect(states.Workers).toMatchObject({ Type: 'Map', MaxConcurrency: 50, ResultWriter: { Resource: 'arn:<AWS::Partition>:states:::s3:putObject', Parameters: { Prefix: 'results' } } });
    expect((states.Workers.ItemProcessor as { ProcessorConfig: Props }).ProcessorConfig).toMatchObject({ Mode: 'DISTRIBUTED' });
    expect(states.Aggregate.Parameters).toEqual({ 'result_writer.$': '$.results.ResultWriterDetails', publish: true, fail_on_breach: false });
    const [[bucketId, bucket]] = resourcesOf(big, 'AWS::S3::Bucket');
    expect(bucket).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, Status: 'Enabled' }] },
    });
    expect(slo.resultsBucket).toBeDefined();
    const [aggId] = functionByHandler(big, 'index.aggregate');
    const aggActions = policyStatements(big, aggId.replace(/[0-9A-F]{8}$/, '')).filter((s) => JSON.stringify(s.Resource).includes(bucketId)).flatMap((s) => [s.Action].flat());
    // The aggregator reads the manifest and the files it lists (GetObject) under results/, nothing else.
    expect(aggActions).toEqual(['s3:GetObject']);
    const resources = policyStatements(big, aggId.replace(/[0-9A-F]{8}$/, '')).filter((s) => JSON.stringify(s.Resource).includes(bucketId)).map((s) => flattenJoin(s.Resource));
    expect(resources).toEqual([`<${bucketId}.Arn>/results/*`]);
  });

  test.each([true, false])('the result writer renders whatever the app sets the ResultWriterV2 feature flag to (%s)', (flag) => {
    const app = new App({ context: { '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': flag } });
    const stack = new Stack(app, 'Flagged');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc });
    new LatencySlo(stack, 'Slo', { cache, vpc, workers: 50, rate: 50_000 });
    const [, m] = resourcesOf(Template.fromStack(stack), 'AWS::StepFunctions::StateMachine')[0];
    const workers = (JSON.parse(flattenJoin(m.DefinitionString)) as { States: Record<string, Props> }).States.Workers;
    expect(JSON.stringify(workers.ResultWriter)).toMatch(/"Prefix":"results"/);
  });

  test('up to 30 workers the inline Map keeps results in the state', () => {
    const { template: t30 } = serverless({ workers: 30, rate: 3000 });
    expect(resourcesOf(t30, 'AWS::S3::Bucket')).toHaveLength(0);
  });

  test('more memory gives more worker threads (one per 1,769 MB)', () => {
    const { template: big } = serverless({ memorySize: 3538 });
    const [, bigWorker] = functionByHandler(big, 'index.handler');
    const bigEnv = (bigWorker.Environment as { Variables: Record<string, unknown> }).Variables;
    expect((JSON.parse(String(bigEnv.ECTK_SLO_CHECK)) as SloCheckSpec).threads).toBe(2);
  });
});

describe('LatencySlo validation names the prop, the value and what is allowed', () => {
  test.each<[Partial<LatencySloProps>, string]>([
    [{ profile: 'chat' as LoadProfile }, 'Test/Slo: invalid profile "chat": allowed are get-set, inference-cache, session-store, feature-store, rate-limiter, leaderboard'],
    [{ slo: 'p99<5parsecs' }, 'Test/Slo: invalid slo "p99<5parsecs": --slo term: invalid value "p99<5parsecs": unknown unit "parsecs"; latency units are us, ms and s'],
    [{ slo: 'allow_ratio>80%' }, 'Test/Slo: invalid slo "allow_ratio>80%": the get-set profile does not measure allow_ratio (term allow_ratio>80%)'],
    [{ rate: 0 }, 'Test/Slo: invalid rate 0: allowed is an integer from 1 to 10000000'],
    [{ workers: 4, rate: 3 }, 'Test/Slo: invalid rate 3: allowed is an integer from 4 to 10000000'],
    [{ duration: Duration.minutes(14) }, 'Test/Slo: invalid duration (seconds) 840: allowed is an integer from 5 to 780'],
    [{ canaryInterval: Duration.minutes(2) }, 'Test/Slo: invalid canaryInterval "2 minutes": longer than one check takes (2 minutes 5 seconds with warm-up and setup), so checks never overlap'],
    [{ canaryInterval: Duration.seconds(390) }, 'Test/Slo: invalid canaryInterval "6 minutes 30 seconds": whole minutes (it is also the alarm period)'],
    [{ rate: 1000, slo: 'p99<5ms,rate>=2000' }, 'Test/Slo: invalid slo "p99<5ms,rate>=2000": the term rate>=2000 can never be met: the check offers 1000 requests/s, so it can never achieve at least 2000'],
    [{ slo: 'p99<0ms' }, 'Test/Slo: invalid slo "p99<0ms": the term p99<0ms can never be met: a latency below 0 can never be measured'],
    [{ profile: LoadProfile.INFERENCE_CACHE, slo: 'hit_ratio>100%' }, 'Test/Slo: invalid slo "hit_ratio>100%": the term hit_ratio>100% can never be met: a ratio never exceeds 100%'],
    [{ duration: Duration.millis(30_500) }, 'Test/Slo: invalid duration "30 seconds 500 millis": allowed is a whole number of seconds'],
    [{ keyPrefix: 'ectk:*' }, 'Test/Slo: invalid keyPrefix "ectk:*": a non-empty prefix without glob characters (* ? [ ] \\), hash-tag braces or spaces'],
    [{ memorySize: 512 }, 'Test/Slo: invalid memorySize 512: allowed is an integer from 1024 to 10240'],
    [{ valueSizeMin: 2000, valueSizeMax: 1000 }, 'Test/Slo: invalid valueSizeMax 1000: allowed is an integer from 2000 to 536870912'],
    [{ capacitySearch: { maxRate: 500 } }, 'Test/Slo: invalid capacitySearch.maxRate 500: allowed is an integer from 1000 to 10000000'],
    // One step with the warm-up and the reserve must fit in Lambda's 900 s (docs/aws-facts.md, "Lambda").
    [{ capacitySearch: { stepDuration: Duration.minutes(14) } }, 'Test/Slo: invalid capacitySearch.stepDuration (seconds) 840: allowed is an integer from 1 to 835'],
    [{ capacitySearch: { maxSteps: 0 } }, 'Test/Slo: invalid capacitySearch.maxSteps 0: allowed is an integer from 1 to 100'],
  ])('%j', (props, message) => {
    expect(() => serverless(props)).toThrow(message);
  });

  // An imported VPC with isolated subnets and no CIDR: the worker can reach its own monitoring endpoint through that
  // endpoint's security group; anything else needs the CIDR, and the error says so and what to pass.
  test('an imported VPC with isolated subnets and no CIDR: works with the monitoring endpoint and an IAM user, else says what to pass', () => {
    const imported = (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Theirs', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a', 'eu-west-1b'], isolatedSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const ok = new Stack(new App(), 'Ok');
    const vpc = imported(ok);
    const cache = new ServerlessCache(ok, 'Cache', { serverlessCacheName: 'iso', vpc });
    const slo = new LatencySlo(ok, 'Slo', { cache, vpc, createMonitoringEndpoint: true });
    const sgs = resourcesOf(Template.fromStack(ok), 'AWS::EC2::SecurityGroup');
    const workerSg = sgs.find(([id]) => id.startsWith('SloSecurityGroup'))![1];
    expect(JSON.stringify(workerSg.SecurityGroupEgress ?? [])).not.toContain('CidrIp');
    const egress = resourcesOf(Template.fromStack(ok), 'AWS::EC2::SecurityGroupEgress').map(([, p]) => p);
    expect(egress.some((e) => e.FromPort === 443 && JSON.stringify(e.DestinationSecurityGroupId).includes('MonitoringEndpointSecurityGroup'))).toBe(true);
    expect(slo.worker).toBeDefined();

    const bad = new Stack(new App(), 'Bad');
    const vpc2 = imported(bad);
    const cache2 = new ServerlessCache(bad, 'Cache', { serverlessCacheName: 'iso', vpc: vpc2 });
    expect(() => new LatencySlo(bad, 'Slo', { cache: cache2, vpc: vpc2 })).toThrow(
      /^Bad\/Slo: invalid vpc "vpc-0123456789abcdef0": the load generator runs in isolated subnets and needs HTTPS to CloudWatch \(a lone worker publishes its result\) through interface endpoints in the VPC, but the imported VPC has no vpcCidrBlock to allow it to; pass vpcCidrBlock to Vpc.fromVpcAttributes, or use an IAM-authenticated user with createMonitoringEndpoint: true/);
  });

  test('an imported cache needs a user given, since its user group cannot be changed here', () => {
    const { stack, vpc } = testStack();
    const cache = ServerlessCache.fromServerlessCacheAttributes(stack, 'Imported', { serverlessCacheName: 'theirs', endpointAddress: 'theirs.example', engine: CacheEngine.VALKEY_8, securityGroups: [] });
    expect(() => new LatencySlo(stack, 'Slo', { cache, vpc })).toThrow(/^Test\/Slo: invalid user \(not set\): the cache theirs is imported, so its user group cannot be changed here; create an IAM user with AccessString.forLoadGenerator\("ectk:slo:"\) and pass it/);
  });
});
