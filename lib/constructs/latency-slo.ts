import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { CONNECTION_ENV } from '../catalog/connection';
import { parseSlo, unattainable } from '../catalog/slo';
import {
  KEY_PREFIX_FORBIDDEN, PROFILES, SLO_ALARMS, SLO_CHECK_ENV, SLO_DIMENSIONS, SLO_METRICS, SLO_NAMESPACE, SLO_STATE_MACHINE_ENV, SloCheckSpec,
} from '../catalog/slo-check';
import { AccessString } from './access-string';
import { CatalogAlarm, createAlarmTopic, DEFAULT_RUNBOOK_BASE_URL, withRunbook } from './cache-alarms';
import { ICache } from './cache-base';
import { CacheUser, CacheUserOptions, ICacheUser, UserAuthentication } from './cache-user';
import { loadgenBundle } from './loadgen-bundle';
import { LoadProfile } from './load-profile';
import { checkInteger, invalid, wholeSeconds } from './validation';

/**
 * Largest fan-out through an inline Map state. Inline Maps run at most 40 iterations at once, and their results travel in
 * the state payload (256 KB at most), where each worker result takes up to ~7 KB (two compressed histograms); above
 * this the fan-out is a Distributed Map whose ResultWriter puts the results in S3 for the aggregator.
 */
export const INLINE_MAP_MAX_WORKERS = 30;
/** Lambda's memory per vCPU: a function gets one full vCPU at 1,769 MB (AWS Lambda developer guide, "Memory and computing power"). */
const MB_PER_VCPU = 1769;
/** Time a worker needs besides warm-up and measurement: connect, load data, clean up, publish. */
const OVERHEAD = Duration.seconds(60);

/** Properties of `LatencySlo`. */
export interface LatencySloProps {
  /** The cache to check, new or imported. */
  readonly cache: ICache;
  /** VPC of the cache: the load-generator Lambda runs in it. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the load-generator Lambda.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The RBAC user the load generator connects as.
   * @default - a new IAM-authenticated user on the cache, confined to `keyPrefix` (`AccessString.forLoadGenerator`); an imported cache needs one given here
   */
  readonly user?: ICacheUser;
  /**
   * Workload profile: what the load generator sends, modelled on a cache use.
   * @default 'get-set'
   */
  readonly profile?: LoadProfile;
  /**
   * Requests per second over all workers.
   * @default 1000
   */
  readonly rate?: number;
  /**
   * Measured duration of a check.
   * @default Duration.seconds(60)
   */
  readonly duration?: Duration;
  /**
   * Warm-up before the measurement (connections, caches, JIT); not counted.
   * @default Duration.seconds(5)
   */
  readonly warmup?: Duration;
  /**
   * The SLO, k6-style: `p50<1ms,p99<5ms,p99.9<20ms,errors<0.1%,hit_ratio>80%`. Validated at synth.
   * @default 'p99<5ms,p99.9<20ms,errors<0.1%'
   */
  readonly slo?: string;
  /**
   * Distinct keys the profile works on.
   * @default 10000
   */
  readonly keyspace?: number;
  /**
   * Smallest value size in bytes.
   * @default - the profile's default (1 KB for inference-cache, 200 B for session-store, 100 B otherwise)
   */
  readonly valueSizeMin?: number;
  /**
   * Largest value size in bytes.
   * @default - valueSizeMin, or the profile's default (16 KB for inference-cache, 2 KB for session-store)
   */
  readonly valueSizeMax?: number;
  /**
   * Key prefix of the load generator; its RBAC user may touch nothing else. Each run adds its run id.
   * @default 'ectk:slo:'
   */
  readonly keyPrefix?: string;
  /**
   * Connections per worker thread.
   * @default 4
   */
  readonly connectionsPerThread?: number;
  /**
   * Run the check on a schedule (the canary).
   * @default true
   */
  readonly canary?: boolean;
  /**
   * Interval of the canary; also the period of the SLO alarms. Whole minutes, longer than one check takes.
   * @default Duration.minutes(15)
   */
  readonly canaryInterval?: Duration;
  /**
   * Run the check once after the cache is deployed (aws-cdk-lib/triggers) and fail the deployment when the SLO is breached.
   * It runs when the stack is created and whenever the check or its function changes; set `deploymentId` to run it on every deployment.
   * @default false
   */
  readonly deployGate?: boolean;
  /**
   * A value that changes with every deployment (a commit id, a build number): the deploy gate runs whenever it changes.
   * @default - the gate runs only when the check or its function changes
   */
  readonly deploymentId?: string;
  /**
   * Lambda workers the load fans out to, each at rate / workers, through a Step Functions Map state whose results an
   * aggregator merges exactly (above 30 workers a Distributed Map that writes the results to an S3 bucket).
   * @default 1 - one Lambda runs the check and publishes its result itself
   */
  readonly workers?: number;
  /**
   * Memory of each worker Lambda, in MB. More memory gives more vCPUs: one worker thread per 1,769 MB.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Create an interface VPC endpoint for CloudWatch (`monitoring`) in the Lambda's subnets, so that a worker without a NAT
   * route can publish. A VPC has one such endpoint at most: leave it off when the VPC has one, or has a NAT gateway.
   * Only a lone worker (workers = 1) publishes from inside the VPC; fan-out results are published by the aggregator outside it.
   * @default false
   */
  readonly createMonitoringEndpoint?: boolean;
  /**
   * Create the `slo-breach` and `slo-check-failing` alarms (the latter only with the canary on).
   * @default true
   */
  readonly createAlarms?: boolean;
  /**
   * Topic for ALARM and OK notifications.
   * @default - a new topic, encrypted with a new KMS key that CloudWatch may use, SSL-only
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Base URL of the runbooks; each alarm links `<runbookBaseUrl><id>.md`.
   * @default 'runbooks/' - the runbooks folder of cdk-elasticache-toolkit
   */
  readonly runbookBaseUrl?: string;
}

/**
 * Proves a cache's latency SLO in AWS: the load generator as a Lambda in the cache's VPC with its own RBAC user, run as
 * a deploy gate and on a schedule, fanned out through Step Functions when one Lambda is not enough. Results land in
 * CloudWatch (namespace ElastiCacheToolkit/SLO) and page through the `slo-breach` and `slo-check-failing` alarms.
 */
export class LatencySlo extends Construct {
  /** The load-generator Lambda (one worker). */
  public readonly worker: lambda.Function;
  /** The RBAC user the load generator connects as. */
  public readonly user: ICacheUser;
  /** The fan-out state machine, when workers > 1. */
  public readonly stateMachine?: sfn.StateMachine;
  /** The aggregator Lambda, when workers > 1. */
  public readonly aggregator?: lambda.Function;
  /** Bucket the Distributed Map writes worker results to (above 30 workers); objects expire after 7 days. */
  public readonly resultsBucket?: s3.Bucket;
  /** The deploy gate, when asked for. */
  public readonly deployGate?: triggers.Trigger;
  /** The canary schedule, when on. */
  public readonly canaryRule?: events.Rule;
  /** The SLO alarms created: `slo-breach`, and `slo-check-failing` with the canary on. */
  public readonly alarms: CatalogAlarm[] = [];
  /** The check every run performs (also the Lambdas' `ECTK_SLO_CHECK`). */
  private readonly check: SloCheckSpec;
  /** The cache under check. */
  public readonly cache: ICache;

  constructor(scope: Construct, id: string, props: LatencySloProps) {
    super(scope, id);
    const cache = props.cache;
    this.cache = cache;
    const workers = props.workers ?? 1;
    checkInteger(this, 'workers', workers, 1, 1000);
    const memorySize = props.memorySize ?? 1024;
    checkInteger(this, 'memorySize', memorySize, 1024, 10240);
    this.check = checkSpec(this, props, workers, memorySize);

    const workerTimeout = Duration.seconds(this.check.warmupSeconds + this.check.durationSeconds + OVERHEAD.toSeconds());
    const interval = props.canaryInterval ?? Duration.minutes(15);
    validateInterval(this, interval, workerTimeout);

    this.user = props.user ?? this.createUser(cache, this.check.keyPrefix);
    const bundle = loadgenBundle();
    const code = lambda.Code.fromAsset(bundle.directory);

    const subnets = props.vpcSubnets ?? (props.vpc.privateSubnets.length > 0
      ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
      : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Load generator of ${cache.cacheName}: out to the cache port and HTTPS only`,
      allowAllOutbound: false,
    });
    this.allowHttps(securityGroup, props, subnets, workers);

    this.worker = new lambda.Function(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code,
      memorySize,
      timeout: workerTimeout,
      vpc: props.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      description: `SLO check of ${cache.cacheName} (${this.check.profile}, ${this.check.slo})`,
      environment: { [SLO_CHECK_ENV]: JSON.stringify(this.check), NODE_OPTIONS: '--enable-source-maps' },
      logGroup: this.logGroup('WorkerLogs'),
    });
    cache.bind(this.worker, { user: this.user });
    this.worker.addToRolePolicy(putMetricDataStatement());
    acknowledgeManagedPolicies(this.worker, true);

    if (props.createMonitoringEndpoint) {
      const endpoint = new ec2.InterfaceVpcEndpoint(this, 'MonitoringEndpoint', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
        subnets,
        privateDnsEnabled: true,
        open: false,
        // An endpoint answers; it never opens connections, so its group needs no egress.
        securityGroups: [new ec2.SecurityGroup(this, 'MonitoringEndpointSecurityGroup', {
          vpc: props.vpc, description: 'CloudWatch monitoring endpoint: HTTPS in from the load generator', allowAllOutbound: false,
        })],
      });
      endpoint.connections.allowDefaultPortFrom(this.worker, 'load generator publishes SLO metrics');
    }

    if (workers > 1) {
      this.aggregator = new lambda.Function(this, 'Aggregator', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.aggregate',
        code,
        memorySize: 512,
        timeout: Duration.minutes(1),
        description: `Merges the SLO check workers of ${cache.cacheName}`,
        environment: { [SLO_CHECK_ENV]: JSON.stringify(this.check), [CONNECTION_ENV.cacheName]: cache.cacheName, NODE_OPTIONS: '--enable-source-maps' },
        logGroup: this.logGroup('AggregatorLogs'),
      });
      this.aggregator.addToRolePolicy(putMetricDataStatement());
      acknowledgeManagedPolicies(this.aggregator, false);
      const fanOut = this.createStateMachine(workers, workerTimeout);
      this.stateMachine = fanOut.machine;
      this.resultsBucket = fanOut.resultsBucket;
    }

    if (props.canary ?? true) {
      this.canaryRule = new events.Rule(this, 'Canary', {
        description: `SLO canary of ${cache.cacheName} every ${interval.toHumanString()}`,
        schedule: events.Schedule.rate(interval),
      });
      if (this.stateMachine) {
        this.canaryRule.addTarget(new targets.SfnStateMachine(this.stateMachine, {
          input: events.RuleTargetInput.fromObject({ trigger: 'canary' }),
          retryAttempts: 0,
        }));
      } else {
        // A breach is a result, not a failure: the canary publishes it and returns; no retries re-run the load.
        this.canaryRule.addTarget(new targets.LambdaFunction(this.worker, {
          event: events.RuleTargetInput.fromObject({ fail_on_breach: false, publish: true }),
          retryAttempts: 0,
        }));
        this.worker.configureAsyncInvoke({ retryAttempts: 0 });
      }
    }

    if (props.deployGate) this.deployGate = this.createDeployGate(cache, props.deploymentId, workerTimeout);

    if (props.createAlarms ?? true) this.addSloAlarms(cache, props, interval);
  }

  /**
   * HTTPS out of the worker, where it needs it: to CloudWatch when a lone worker publishes, to Secrets Manager for a
   * password user. Through a NAT (so to any address) from private subnets; from isolated subnets to interface endpoints:
   * the monitoring endpoint this construct creates opens its own security group to the worker, and other endpoints are
   * reached through the VPC's CIDR, which an imported VPC must then declare.
   */
  private allowHttps(securityGroup: ec2.SecurityGroup, props: LatencySloProps, subnets: ec2.SubnetSelection, workers: number): void {
    const needs = [
      ...(workers === 1 ? ['CloudWatch (a lone worker publishes its result)'] : []),
      ...(this.user.authentication === UserAuthentication.PASSWORD ? ['Secrets Manager (the password of the cache user)'] : []),
    ];
    if (needs.length === 0) return;
    if (subnets.subnetType !== ec2.SubnetType.PRIVATE_ISOLATED) {
      securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs through the NAT');
      return;
    }
    const beyondOwnEndpoint = props.createMonitoringEndpoint ? needs.filter((n) => !n.startsWith('CloudWatch')) : needs;
    if (beyondOwnEndpoint.length === 0) return;
    let cidr: string;
    try {
      cidr = props.vpc.vpcCidrBlock;
    } catch {
      invalid(this, 'vpc', props.vpc.vpcId, `the load generator runs in isolated subnets and needs HTTPS to ${beyondOwnEndpoint.join(' and ')} ` +
        'through interface endpoints in the VPC, but the imported VPC has no vpcCidrBlock to allow it to; pass vpcCidrBlock to ' +
        'Vpc.fromVpcAttributes, or use an IAM-authenticated user with createMonitoringEndpoint: true (egress then goes to that ' +
        'endpoint\'s security group only), or subnets with a NAT (vpcSubnets)');
    }
    securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS to interface endpoints in the VPC');
  }

  /** The SLO metric of this check (namespace ElastiCacheToolkit/SLO, dimensions Cache and Profile). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: SLO_NAMESPACE,
      metricName,
      dimensionsMap: { [SLO_DIMENSIONS.cache]: this.cache.cacheName, [SLO_DIMENSIONS.profile]: this.check.profile },
      ...props,
    });
  }

  /** Latency from the intended send time at a percentile over the checks in each period, e.g. `metricLatency('p99')`. */
  public metricLatency(percentile = 'p99', props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SLO_METRICS.latency.name, { statistic: percentile, ...props });
  }

  private createUser(cache: ICache, keyPrefix: string): CacheUser {
    const addUser = (cache as unknown as { addUser?: (id: string, options: CacheUserOptions) => CacheUser }).addUser;
    if (typeof addUser !== 'function') {
      invalid(this, 'user', undefined, `the cache ${cache.cacheName} is imported, so its user group cannot be changed here; create an IAM user with AccessString.forLoadGenerator(${JSON.stringify(keyPrefix)}) and pass it`);
    }
    return addUser.call(cache, `${this.node.id}LoadGenerator`, {
      authentication: UserAuthentication.IAM,
      accessString: AccessString.forLoadGenerator(keyPrefix),
    });
  }

  private logGroup(id: string): logs.LogGroup {
    return new logs.LogGroup(this, id, { retention: logs.RetentionDays.ONE_MONTH });
  }

  private createStateMachine(workers: number, workerTimeout: Duration): { machine: sfn.StateMachine; resultsBucket?: s3.Bucket } {
    const plan = new sfn.Pass(this, 'Plan', {
      comment: `${workers} workers at ${this.check.rate / workers} requests/s each`,
      result: sfn.Result.fromArray(Array.from({ length: workers }, (_, i) => ({ worker_index: i }))),
      resultPath: '$.workers',
    });
    const itemSelector = {
      'worker_index.$': '$$.Map.Item.Value.worker_index',
      worker_count: workers,
      'run_id.$': '$$.Execution.Name',
      publish: false,
      compact: true,
      fail_on_breach: false,
    };
    const invoke = new tasks.LambdaInvoke(this, 'RunWorker', {
      lambdaFunction: this.worker,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      taskTimeout: sfn.Timeout.duration(workerTimeout.plus(Duration.seconds(30))),
    });
    let map: sfn.Map | sfn.DistributedMap;
    let results: Record<string, string>;
    let resultsBucket: s3.Bucket | undefined;
    if (workers > INLINE_MAP_MAX_WORKERS) {
      const bucket = new s3.Bucket(this, 'Results', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        lifecycleRules: [{ expiration: Duration.days(7) }],
      });
      Validations.of(bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'The bucket holds load-test results written by Step Functions and read by the aggregator, nothing of record; they expire after 7 days.',
      });
      resultsBucket = bucket;
      // The aggregator reads the manifest and the result files that Step Functions wrote under results/, nothing else.
      const resultObjects = bucket.arnForObjects('results/*');
      this.aggregator!.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resultObjects] }));
      Validations.of(this.aggregator!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/results/*]`,
        reason: 'The result files are named by Step Functions at run time; the aggregator may only read objects under results/ of this construct\'s own bucket.',
      });
      // ResultWriterV2 renders only under the @aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2 feature flag
      // (the deprecated ResultWriter only without it). The flag is set on a scope that holds just the map, so the writer
      // renders whatever flags the app this construct lands in has. A Map state has no resource of its own: the scope
      // changes no logical id, and the state keeps its name.
      const mapScope = new Construct(this, 'DistributedMapScope');
      mapScope.node.setContext(cxapi.STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
      map = new sfn.DistributedMap(mapScope, 'Workers', {
        itemsPath: '$.workers', itemSelector, maxConcurrency: workers, resultPath: '$.results',
        resultWriterV2: new sfn.ResultWriterV2({ bucket, prefix: 'results' }),
      });
      results = { 'result_writer.$': '$.results.ResultWriterDetails' };
    } else {
      map = new sfn.Map(this, 'Workers', { itemsPath: '$.workers', itemSelector, maxConcurrency: workers, resultPath: '$.results' });
      results = { 'results.$': '$.results' };
    }
    map.itemProcessor(invoke);
    const aggregate = new tasks.LambdaInvoke(this, 'Aggregate', {
      lambdaFunction: this.aggregator!,
      payload: sfn.TaskInput.fromObject({ ...results, publish: true, fail_on_breach: false }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    const verdict = new sfn.Choice(this, 'SloMet')
      .when(sfn.Condition.booleanEquals('$.slo.passed', true), new sfn.Succeed(this, 'Met'))
      .otherwise(new sfn.Fail(this, 'Breached', { error: 'SloBreached', cause: 'The merged result breaches the SLO; see the Aggregate step output.' }));
    const machine = new sfn.StateMachine(this, 'FanOut', {
      comment: `SLO check of ${this.check.profile} at ${this.check.rate} requests/s over ${workers} Lambda workers`,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(map).next(aggregate).next(verdict)),
      timeout: workerTimeout.plus(Duration.minutes(5)),
      tracingEnabled: true,
      logs: { destination: this.logGroup('FanOutLogs'), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    const logicalId = (fn: lambda.Function) => Stack.of(this).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    for (const fn of [this.worker, this.aggregator!]) {
      Validations.of(machine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
        reason: 'Step Functions may invoke this construct\'s own function by any of its versions (the :* that LambdaInvoke grants).',
      });
    }
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery actions of a state machine support no resource ARNs (the statements CDK adds for tracing and logs).',
    });
    if (resultsBucket) {
      const stack = Stack.of(this);
      Validations.of(machine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${stack.getLogicalId(resultsBucket.node.defaultChild as s3.CfnBucket)}>/*]`,
        reason: 'The Distributed Map\'s ResultWriter names its result files at run time; the grant is confined to this construct\'s own results bucket.',
      });
      for (const suffix of [':*', '/*:*']) {
        Validations.of(machine).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${executionArnPattern(machine)}${suffix}]`,
          reason: 'A Distributed Map starts and watches child executions of this state machine, whose names exist only at run time.',
        });
      }
    }
    return { machine, resultsBucket };
  }

  private createDeployGate(cache: ICache, deploymentId: string | undefined, workerTimeout: Duration): triggers.Trigger {
    let handler = this.worker;
    let timeout = workerTimeout;
    if (this.stateMachine) {
      handler = new lambda.Function(this, 'Gate', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.gate',
        code: lambda.Code.fromAsset(loadgenBundle().directory),
        memorySize: 256,
        timeout: Duration.minutes(15),
        description: `Deploy gate: runs the SLO check of ${cache.cacheName} and fails on a breach`,
        environment: { [SLO_STATE_MACHINE_ENV]: this.stateMachine.stateMachineArn, NODE_OPTIONS: '--enable-source-maps' },
        logGroup: this.logGroup('GateLogs'),
      });
      this.stateMachine.grantStartExecution(handler);
      // The gate polls the execution it started: DescribeExecution on this state machine's executions only.
      handler.addToRolePolicy(new iam.PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [`${executionArnPrefix(this.stateMachine)}*`],
      }));
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${executionArnPattern(this.stateMachine)}:*]`,
        reason: 'The gate reads the one execution it starts, whose name exists only at run time; the grant covers this state machine\'s executions only.',
      });
      acknowledgeManagedPolicies(handler, false);
      timeout = Duration.minutes(15);
    }
    if (deploymentId !== undefined) handler.addEnvironment('ECTK_DEPLOYMENT_ID', deploymentId);
    Validations.of(handler).acknowledge({
      id: 'Annotation::@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
      reason: 'The Trigger invokes the function\'s current version and grants that invocation itself.',
    });
    return new triggers.Trigger(this, 'DeployGate', {
      handler,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout,
      executeAfter: [cache, ...(this.user instanceof Construct ? [this.user] : [])],
      executeOnHandlerChange: true,
    });
  }

  private addSloAlarms(cache: ICache, props: LatencySloProps, interval: Duration): void {
    const topic = props.alarmTopic ?? createAlarmTopic(this, cache.cacheName);
    const action = new cloudwatchActions.SnsAction(topic);
    const baseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
    for (const def of SLO_ALARMS) {
      if (def.id === 'slo-check-failing' && !(props.canary ?? true)) continue;
      const alarm = new cloudwatch.Alarm(this, `Alarm-${def.id}`, {
        alarmName: `${cache.cacheName}-${def.id}-${this.check.profile}`,
        alarmDescription: withRunbook(`${def.summary} SLO: ${this.check.slo}.`, baseUrl, def.runbook),
        metric: this.metric(def.metric, { statistic: def.statistic, period: interval }),
        threshold: def.threshold,
        comparisonOperator: def.comparison as cloudwatch.ComparisonOperator,
        evaluationPeriods: def.evaluationPeriods,
        datapointsToAlarm: def.datapointsToAlarm,
        treatMissingData: def.treatMissingData as cloudwatch.TreatMissingData,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push({ id: def.id, alarm, threshold: def.threshold });
    }
  }
}

function checkSpec(scope: Construct, props: LatencySloProps, workers: number, memorySize: number): SloCheckSpec {
  const profile: string = props.profile ?? LoadProfile.GET_SET;
  const facts = PROFILES[profile];
  if (!facts) invalid(scope, 'profile', profile, `allowed are ${Object.keys(PROFILES).join(', ')}`);
  const slo = props.slo ?? 'p99<5ms,p99.9<20ms,errors<0.1%';
  let terms;
  try {
    terms = parseSlo(slo);
  } catch (e) {
    invalid(scope, 'slo', slo, (e as Error).message);
  }
  for (const term of terms) {
    if ((term.metric === 'hit_ratio' || term.metric === 'allow_ratio') && !facts.figures.includes(term.metric)) {
      invalid(scope, 'slo', slo, `the ${profile} profile does not measure ${term.metric} (term ${term.text})`);
    }
  }
  const rate = props.rate ?? 1000;
  checkInteger(scope, 'rate', rate, workers, 10_000_000);
  for (const term of terms) {
    const reason = unattainable(term, rate);
    if (reason) invalid(scope, 'slo', slo, `the term ${term.text} can never be met: ${reason}`);
  }
  const durationSeconds = wholeSeconds(scope, 'duration', props.duration ?? Duration.seconds(60));
  const warmupSeconds = wholeSeconds(scope, 'warmup', props.warmup ?? Duration.seconds(5));
  checkInteger(scope, 'duration (seconds)', durationSeconds, 5, 780);
  checkInteger(scope, 'warmup (seconds)', warmupSeconds, 0, 120);
  if (durationSeconds + warmupSeconds > 780) {
    invalid(scope, 'duration', `${durationSeconds + warmupSeconds}s with warm-up`, 'at most 780 s with warm-up, so that a check fits in a 15-minute Lambda with time to clean up');
  }
  const keyspace = props.keyspace ?? 10_000;
  checkInteger(scope, 'keyspace', keyspace, 1, 100_000_000);
  const min = props.valueSizeMin ?? facts.valueSize[0];
  const max = props.valueSizeMax ?? (props.valueSizeMin !== undefined ? props.valueSizeMin : facts.valueSize[1]);
  checkInteger(scope, 'valueSizeMin', min, 1, 512 * 1024 * 1024);
  checkInteger(scope, 'valueSizeMax', max, min, 512 * 1024 * 1024);
  const keyPrefix = props.keyPrefix ?? 'ectk:slo:';
  if (keyPrefix.length === 0 || KEY_PREFIX_FORBIDDEN.test(keyPrefix)) {
    invalid(scope, 'keyPrefix', keyPrefix, 'a non-empty prefix without glob characters (* ? [ ] \\), hash-tag braces or spaces');
  }
  const connections = props.connectionsPerThread ?? 4;
  checkInteger(scope, 'connectionsPerThread', connections, 1, 1000);
  return {
    profile, rate, durationSeconds, warmupSeconds, slo, keyspace, valueSize: [min, max], keyPrefix, connections,
    threads: Math.max(1, Math.floor(memorySize / MB_PER_VCPU)), workers,
  };
}

function validateInterval(scope: Construct, interval: Duration, workerTimeout: Duration): void {
  const seconds = interval.toSeconds({ integral: false });
  if (seconds % 60 !== 0 || seconds < 60) invalid(scope, 'canaryInterval', interval.toHumanString(), 'whole minutes (it is also the alarm period)');
  if (seconds <= workerTimeout.toSeconds()) {
    invalid(scope, 'canaryInterval', interval.toHumanString(), `longer than one check takes (${workerTimeout.toHumanString()} with warm-up and setup), so checks never overlap`);
  }
  if (seconds > 6 * 3600) invalid(scope, 'canaryInterval', interval.toHumanString(), 'at most 6 hours (alarm period × evaluation periods stays within a day)');
}

/** `cloudwatch:PutMetricData` only into the SLO namespace (the action supports no resource, only this condition key). */
function putMetricDataStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': SLO_NAMESPACE } },
  });
}

/** `arn:<partition>:states:<region>:<account>:execution:<state machine name>:` of a state machine's executions. */
function executionArnPrefix(machine: sfn.StateMachine): string {
  const stack = Stack.of(machine);
  return `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${Fn.select(6, Fn.split(':', machine.stateMachineArn))}:`;
}

/**
 * The execution ARN of a state machine as cdk-nag prints it in AwsSolutions-IAM5 finding ids (how aws-cdk-lib renders
 * an execution ARN: the name is the seventh field of the state machine's ARN).
 */
function executionArnPattern(machine: sfn.StateMachine): string {
  const logicalId = Stack.of(machine).getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine);
  return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}`;
}

function acknowledgeManagedPolicies(fn: lambda.Function, inVpc: boolean): void {
  const policies = inVpc ? ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole'] : ['AWSLambdaBasicExecutionRole'];
  for (const policy of policies) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
      reason: `${policy} is the AWS managed minimum for a Lambda function (logs${inVpc ? ' and VPC network interfaces' : ''}); it grants nothing on the cache.`,
    });
  }
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'cloudwatch:PutMetricData supports no resource ARN; the statement is confined by the cloudwatch:namespace condition to ElastiCacheToolkit/SLO.',
  });
}
