import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { SloCheckSpec } from '../../catalog/slo-check';
import { executionArnPattern } from './execution-arns';

/**
 * Largest fan-out through an inline Map state. Inline Maps run at most 40 iterations at once, and their results travel in
 * the state payload (256 KB at most), where each worker result takes up to ~7 KB (two compressed histograms); above
 * this the fan-out is a Distributed Map whose ResultWriter puts the results in S3 for the aggregator.
 */
export const INLINE_MAP_MAX_WORKERS = 30;

/** The fan-out of a check over several workers. */
export interface FanOut {
  readonly machine: sfn.StateMachine;
  /** Where a Distributed Map writes the workers' results (above INLINE_MAP_MAX_WORKERS). */
  readonly resultsBucket?: s3.Bucket;
}

/**
 * A state machine that plans `workers` invocations of the worker at rate / workers each, runs them in a Map (a
 * Distributed Map writing to an expiring bucket above 30), has the aggregator merge and publish, and fails the
 * execution on a breach.
 */
export function fanOut(scope: Construct, check: SloCheckSpec, worker: lambda.Function, aggregator: lambda.Function, workerTimeout: Duration): FanOut {
  const workers = check.workers;
  const plan = new sfn.Pass(scope, 'Plan', {
    comment: `${workers} workers at ${check.rate / workers} requests/s each`,
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
  const invoke = new tasks.LambdaInvoke(scope, 'RunWorker', {
    lambdaFunction: worker,
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    taskTimeout: sfn.Timeout.duration(workerTimeout.plus(Duration.seconds(30))),
  });
  let map: sfn.Map | sfn.DistributedMap;
  let results: Record<string, string>;
  let resultsBucket: s3.Bucket | undefined;
  if (workers > INLINE_MAP_MAX_WORKERS) {
    const bucket = new s3.Bucket(scope, 'Results', {
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
    aggregator.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resultObjects] }));
    Validations.of(aggregator).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/results/*]`,
      reason: 'The result files are named by Step Functions at run time; the aggregator may only read objects under results/ of this construct\'s own bucket.',
    });
    // ResultWriterV2 renders only under the @aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2 feature flag
    // (the deprecated ResultWriter only without it). The flag is set on a scope that holds just the map, so the writer
    // renders whatever flags the app this construct lands in has. A Map state has no resource of its own: the scope
    // changes no logical id, and the state keeps its name.
    const mapScope = new Construct(scope, 'DistributedMapScope');
    mapScope.node.setContext(cxapi.STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    map = new sfn.DistributedMap(mapScope, 'Workers', {
      itemsPath: '$.workers', itemSelector, maxConcurrency: workers, resultPath: '$.results',
      resultWriterV2: new sfn.ResultWriterV2({ bucket, prefix: 'results' }),
    });
    results = { 'result_writer.$': '$.results.ResultWriterDetails' };
  } else {
    map = new sfn.Map(scope, 'Workers', { itemsPath: '$.workers', itemSelector, maxConcurrency: workers, resultPath: '$.results' });
    results = { 'results.$': '$.results' };
  }
  map.itemProcessor(invoke);
  const aggregate = new tasks.LambdaInvoke(scope, 'Aggregate', {
    lambdaFunction: aggregator,
    payload: sfn.TaskInput.fromObject({ ...results, publish: true, fail_on_breach: false }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
  });
  const verdict = new sfn.Choice(scope, 'SloMet')
    .when(sfn.Condition.booleanEquals('$.slo.passed', true), new sfn.Succeed(scope, 'Met'))
    // A breach measured by workers that could not keep their rate is no verdict on the cache (GeneratorHealth).
    .when(sfn.Condition.booleanEquals('$.generator.spoils_slo', true), new sfn.Fail(scope, 'NotTrustworthy', {
      error: 'GeneratorLimited', cause: 'The workers sent late enough to make the tail theirs; see generator.reason in the Aggregate step output.',
    }))
    .otherwise(new sfn.Fail(scope, 'Breached', { error: 'SloBreached', cause: 'The merged result breaches the SLO; see the Aggregate step output.' }));
  const machine = new sfn.StateMachine(scope, 'FanOut', {
    comment: `SLO check of ${check.profile} at ${check.rate} requests/s over ${workers} Lambda workers`,
    definitionBody: sfn.DefinitionBody.fromChainable(plan.next(map).next(aggregate).next(verdict)),
    timeout: workerTimeout.plus(Duration.minutes(5)),
    tracingEnabled: true,
    logs: {
      destination: new logs.LogGroup(scope, 'FanOutLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      level: sfn.LogLevel.ALL,
      includeExecutionData: false,
    },
  });
  const logicalId = (fn: lambda.Function) => Stack.of(scope).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
  for (const fn of [worker, aggregator]) {
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
    const stack = Stack.of(scope);
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
