import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct, IConstruct } from 'constructs';
import { SLO_STATE_MACHINE_ENV } from '../../catalog/slo-check';
import { executionArnPattern, executionArnPrefix } from './execution-arns';
import { bundleFunction } from '../bundle-function';

/** What the deploy gate runs and waits for. */
export interface DeployGateOptions {
  readonly cacheName: string;
  /** The worker: the gate itself when there is no fan-out. */
  readonly worker: lambda.Function;
  readonly workerTimeout: Duration;
  /** The fan-out, which a small gate function starts and follows. */
  readonly stateMachine?: sfn.StateMachine;
  /** Runs the gate whenever it changes (a commit id, a build number). */
  readonly deploymentId?: string;
  /** Created before the gate runs: the cache and the load generator's user. */
  readonly executeAfter: IConstruct[];
}

/**
 * A Trigger (aws-cdk-lib/triggers) that runs the check once the cache is deployed and fails the deployment on a
 * breach: the worker itself, or with a fan-out a gate function that starts the state machine and waits for its verdict.
 */
export function deployGate(scope: Construct, options: DeployGateOptions): triggers.Trigger {
  let handler = options.worker;
  let timeout = options.workerTimeout;
  if (options.stateMachine) {
    handler = bundleFunction(scope, 'Gate', {
      handler: 'gate',
      memorySize: 256,
      timeout: Duration.minutes(15),
      description: `Deploy gate: runs the SLO check of ${options.cacheName} and fails on a breach`,
      environment: { [SLO_STATE_MACHINE_ENV]: options.stateMachine.stateMachineArn },
      publishes: false,
    });
    options.stateMachine.grantStartExecution(handler);
    // The gate polls the execution it started: DescribeExecution on this state machine's executions only.
    handler.addToRolePolicy(new iam.PolicyStatement({
      actions: ['states:DescribeExecution'],
      resources: [`${executionArnPrefix(options.stateMachine)}*`],
    }));
    Validations.of(handler).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executionArnPattern(options.stateMachine)}:*]`,
      reason: 'The gate reads the one execution it starts, whose name exists only at run time; the grant covers this state machine\'s executions only.',
    });
    timeout = Duration.minutes(15);
  }
  // Read by nothing: a new value changes the function's configuration, hence its version, so the trigger runs again.
  if (options.deploymentId !== undefined) handler.addEnvironment('ECTK_DEPLOYMENT_ID', options.deploymentId);
  Validations.of(handler).acknowledge({
    id: 'Annotation::@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
    reason: 'The Trigger invokes the function\'s current version and grants that invocation itself.',
  });
  return new triggers.Trigger(scope, 'DeployGate', {
    handler,
    invocationType: triggers.InvocationType.REQUEST_RESPONSE,
    timeout,
    executeAfter: options.executeAfter,
    executeOnHandlerChange: true,
  });
}
