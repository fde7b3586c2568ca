import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CAPACITY_SEARCH_ENV, CapacitySearchSpec, LAMBDA_MAX_SECONDS } from '../../catalog/capacity-search';
import { SLO_CHECK_ENV, SloCheckSpec } from '../../catalog/slo-check';
import { bundleFunction } from '../bundle-function';
import { WorkerNetwork } from './worker-network';

/**
 * The on-demand capacity search of a `LatencySlo`: the check's profile and SLO at rising open-loop rates in one Lambda,
 * answering with the highest rate that met the SLO (published as `MaxRateMeetingSlo`).
 */
export interface CapacitySearchOptions {
  /**
   * The search never offers more than this many requests per second.
   * @default - 16 × the check's rate
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/PerformanceEfficiencyPillar.html
   */
  readonly maxRate?: number;
  /**
   * Measured time of each step (each is warmed up like the check). The whole search stays within Lambda's 15 minutes:
   * it stops before a step that would not end a minute before the deadline.
   * @default Duration.seconds(20)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly stepDuration?: Duration;
  /**
   * At most this many steps.
   * @default 12
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
   */
  readonly maxSteps?: number;
  /**
   * Also run the search on this schedule; a search loads the cache up to its limit, so keep it to quiet hours.
   * @default - on demand only: `aws lambda invoke --function-name <capacitySearch> --payload '{}' out.json`
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
   */
  readonly schedule?: events.Schedule;
}

export interface CapacitySearchFunctionOptions {
  readonly cacheName: string;
  readonly check: SloCheckSpec;
  readonly search: CapacitySearchSpec;
  readonly memorySize: number;
  readonly network: WorkerNetwork;
  readonly schedule?: events.Schedule;
}

/** The capacity-search function (Lambda's longest timeout) and, when asked for, its schedule. */
export function capacitySearchFunction(scope: Construct, options: CapacitySearchFunctionOptions): { fn: lambda.Function; rule?: events.Rule } {
  const fn = bundleFunction(scope, 'CapacitySearch', {
    handler: 'capacity', memorySize: options.memorySize, timeout: Duration.seconds(LAMBDA_MAX_SECONDS), network: options.network, publishes: true,
    description: `Capacity search of ${options.cacheName}: the highest rate that meets ${options.check.slo}`,
    environment: { [SLO_CHECK_ENV]: Stack.of(scope).toJsonString(options.check), [CAPACITY_SEARCH_ENV]: JSON.stringify(options.search) },
  });
  if (!options.schedule) return { fn };
  const rule = new events.Rule(scope, 'CapacitySchedule', {
    description: `Capacity search of ${options.cacheName}`,
    schedule: options.schedule,
  });
  rule.addTarget(new targets.LambdaFunction(fn, { event: events.RuleTargetInput.fromObject({}), retryAttempts: 0 }));
  fn.configureAsyncInvoke({ retryAttempts: 0 });
  return { fn, rule };
}
