import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { SLO_CHECK_ENV, SLO_DIMENSIONS, SLO_METRICS, SLO_NAMESPACE, SloCheckSpec } from '../catalog/slo-check';
import { AccessString } from './access-string';
import { CatalogAlarm } from './cache-alarms';
import { ICache } from './cache-base';
import { CacheUser, CacheUserOptions, ICacheUser, UserAuthentication } from './cache-user';
import { LoadProfile } from './load-profile';
import { CapacitySearchOptions, capacitySearchFunction } from './slo/capacity-search';
import { deployGate } from './slo/deploy-gate';
import { fanOut } from './slo/fan-out';
import { sloAlarms } from './slo/slo-alarms';
import { bundleFunction } from './bundle-function';
import { validateLatencySloProps } from './slo/validate-latency-slo-props';
import { monitoringEndpoint, workerNetwork } from './slo/worker-network';
import { invalid } from './validation';

/** Properties of `LatencySlo`. */
export interface LatencySloProps {
  /**
   * The cache to check, new or imported.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
   */
  readonly cache: ICache;
  /**
   * VPC of the cache: the load-generator Lambda runs in it.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
   */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the load-generator Lambda.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The RBAC user the load generator connects as.
   * @default - a new IAM-authenticated user on the cache, confined to `keyPrefix` (`AccessString.forLoadGenerator`); an imported cache needs one given here
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  readonly user?: ICacheUser;
  /**
   * Workload profile: what the load generator sends, modelled on a cache use.
   * @default 'get-set'
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly profile?: LoadProfile;
  /**
   * Requests per second over all workers.
   * @default 1000
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html
   */
  readonly rate?: number;
  /**
   * Measured duration of a check.
   * @default Duration.seconds(60)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly duration?: Duration;
  /**
   * Warm-up before the measurement (connections, caches, JIT); not counted.
   * @default Duration.seconds(5)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly warmup?: Duration;
  /**
   * The SLO, k6-style: `p50<1ms,p99<5ms,p99.9<20ms,errors<0.1%,hit_ratio>80%`. Validated at synth.
   * @default 'p99<5ms,p99.9<20ms,errors<0.1%'
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
   */
  readonly slo?: string;
  /**
   * Distinct keys the profile works on.
   * @default 10000
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly keyspace?: number;
  /**
   * Smallest value size in bytes.
   * @default - the profile's default (1 KB for inference-cache, 200 B for session-store, 100 B otherwise)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly valueSizeMin?: number;
  /**
   * Largest value size in bytes.
   * @default - valueSizeMin, or the profile's default (16 KB for inference-cache, 2 KB for session-store)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly valueSizeMax?: number;
  /**
   * Key prefix of the load generator; its RBAC user may touch nothing else. Each run adds its run id.
   * @default 'ectk:slo:'
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly keyPrefix?: string;
  /**
   * Connections per worker thread.
   * @default 4
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly connectionsPerThread?: number;
  /**
   * Run the check on a schedule (the canary).
   * @default true
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
   */
  readonly canary?: boolean;
  /**
   * Interval of the canary; also the period of the SLO alarms. Whole minutes, longer than one check takes.
   * @default Duration.minutes(15)
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
   */
  readonly canaryInterval?: Duration;
  /**
   * Run the check once after the cache is deployed (aws-cdk-lib/triggers) and fail the deployment when the SLO is breached.
   * It runs when the stack is created and whenever the check or its function changes; set `deploymentId` to run it on every deployment.
   * @default false
   * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.triggers-readme.html
   */
  readonly deployGate?: boolean;
  /**
   * A value that changes with every deployment (a commit id, a build number): the deploy gate runs whenever it changes.
   * @default - the gate runs only when the check or its function changes
   * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.triggers-readme.html
   */
  readonly deploymentId?: string;
  /**
   * Lambda workers the load fans out to, each at rate / workers, through a Step Functions Map state whose results an
   * aggregator merges exactly (above 30 workers a Distributed Map that writes the results to an S3 bucket).
   * @default 1 - one Lambda runs the check and publishes its result itself
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
   */
  readonly workers?: number;
  /**
   * Memory of each worker Lambda, in MB. More memory gives more vCPUs: one worker thread per 1,769 MB.
   * @default 1024
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   */
  readonly memorySize?: number;
  /**
   * Create an interface VPC endpoint for CloudWatch (`monitoring`) in the Lambda's subnets, so that a worker without a NAT
   * route can publish. A VPC has one such endpoint at most: leave it off when the VPC has one, or has a NAT gateway.
   * Only a lone worker (workers = 1) publishes from inside the VPC; fan-out results are published by the aggregator outside it.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-interface-VPC.html
   */
  readonly createMonitoringEndpoint?: boolean;
  /**
   * Create the `slo-breach` and `slo-check-failing` alarms (the latter only with the canary on).
   * @default true
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly createAlarms?: boolean;
  /**
   * Topic for ALARM and OK notifications.
   * @default - a new topic, encrypted with a new KMS key that CloudWatch may use, SSL-only
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Base URL of the runbooks; each alarm links `<runbookBaseUrl><id>.md`.
   * @default 'runbooks/' - the runbooks folder of cdk-elasticache-toolkit
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly runbookBaseUrl?: string;
  /**
   * A capacity-search function beside the check: on demand (or on a schedule) it runs the check's profile and SLO at
   * rising open-loop rates and answers with the highest that met the SLO, published as `MaxRateMeetingSlo`.
   * @default - no capacity search
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/PerformanceEfficiencyPillar.html
   */
  readonly capacitySearch?: CapacitySearchOptions;
}

/**
 * Proves a cache's latency SLO in AWS: the load generator as a Lambda in the cache's VPC with its own RBAC user, run as
 * a deploy gate and on a schedule, fanned out through Step Functions when one Lambda is not enough. Results land in
 * CloudWatch (namespace ElastiCacheToolkit/SLO) and page through the `slo-breach` and `slo-check-failing` alarms.
 *
 * Composed of parts in `lib/constructs/slo/`, one job each: props validation (the check document is validated by the
 * same function the Lambda runs), the worker's network, the function factory, the fan-out, the deploy gate, the alarms.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
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
  /** The capacity-search function, when `capacitySearch` is set: invoke it with `{}` (or `max_rate`, `step_seconds`, `max_steps`). */
  public readonly capacitySearch?: lambda.Function;
  /** The capacity search's schedule, when one is set. */
  public readonly capacitySearchRule?: events.Rule;
  /** The SLO alarms created: `slo-breach`, and `slo-check-failing` with the canary on. */
  public readonly alarms: CatalogAlarm[] = [];
  /** The cache under check. */
  public readonly cache: ICache;
  /** The check every run performs (also the Lambdas' `ECTK_SLO_CHECK`). */
  private readonly check: SloCheckSpec;

  constructor(scope: Construct, id: string, props: LatencySloProps) {
    super(scope, id);
    const cache = props.cache;
    this.cache = cache;
    const { check, workers, memorySize, workerTimeout, interval, capacity } = validateLatencySloProps(this, props);
    this.check = check;
    this.user = props.user ?? this.createUser(cache, check.keyPrefix);

    const network = workerNetwork(this, {
      vpc: props.vpc, vpcSubnets: props.vpcSubnets, cacheName: cache.cacheName, user: this.user, workers,
      createMonitoringEndpoint: props.createMonitoringEndpoint,
    });
    this.worker = bundleFunction(this, 'Worker', {
      handler: 'handler', memorySize, timeout: workerTimeout, network, publishes: true,
      description: `SLO check of ${cache.cacheName} (${check.profile}, ${check.slo})`,
      environment: { [SLO_CHECK_ENV]: Stack.of(this).toJsonString(check) },
    });
    cache.bind(this.worker, { user: this.user });
    if (props.createMonitoringEndpoint) monitoringEndpoint(this, network, this.worker);

    if (capacity) {
      const search = capacitySearchFunction(this, { cacheName: cache.cacheName, check, search: capacity, memorySize, network, schedule: props.capacitySearch?.schedule });
      cache.bind(search.fn, { user: this.user });
      this.capacitySearch = search.fn;
      this.capacitySearchRule = search.rule;
    }

    if (workers > 1) {
      this.aggregator = bundleFunction(this, 'Aggregator', {
        handler: 'aggregate', memorySize: 512, timeout: Duration.minutes(1), publishes: true,
        description: `Merges the SLO check workers of ${cache.cacheName}`,
        environment: { [SLO_CHECK_ENV]: Stack.of(this).toJsonString(check) },
      });
      const fan = fanOut(this, check, this.worker, this.aggregator, workerTimeout);
      this.stateMachine = fan.machine;
      this.resultsBucket = fan.resultsBucket;
    }

    if (props.canary ?? true) this.canaryRule = this.schedule(interval);
    if (props.deployGate) {
      this.deployGate = deployGate(this, {
        cacheName: cache.cacheName, worker: this.worker, workerTimeout, stateMachine: this.stateMachine, deploymentId: props.deploymentId,
        executeAfter: [cache, ...(this.user instanceof Construct ? [this.user] : [])],
      });
    }
    if (props.createAlarms ?? true) {
      this.alarms.push(...sloAlarms(this, {
        cacheName: cache.cacheName, check, interval, canary: props.canary ?? true,
        alarmTopic: props.alarmTopic, runbookBaseUrl: props.runbookBaseUrl,
      }));
    }
  }

  /**
   * The SLO metric of this check (namespace ElastiCacheToolkit/SLO, dimensions Cache and Profile).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: SLO_NAMESPACE,
      metricName,
      dimensionsMap: { [SLO_DIMENSIONS.cache]: this.cache.cacheName, [SLO_DIMENSIONS.profile]: this.check.profile },
      ...props,
    });
  }

  /**
   * Latency from the intended send time at a percentile over the checks in each period, e.g. `metricLatency('p99')`.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
   */
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

  /** The canary: the fan-out, or the lone worker asked to publish; a breach is a result, so no retries re-run the load. */
  private schedule(interval: Duration): events.Rule {
    const rule = new events.Rule(this, 'Canary', {
      description: `SLO canary of ${this.cache.cacheName} every ${interval.toHumanString()}`,
      schedule: events.Schedule.rate(interval),
    });
    if (this.stateMachine) {
      rule.addTarget(new targets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject({ trigger: 'canary' }),
        retryAttempts: 0,
      }));
    } else {
      rule.addTarget(new targets.LambdaFunction(this.worker, {
        event: events.RuleTargetInput.fromObject({ fail_on_breach: false, publish: true }),
        retryAttempts: 0,
      }));
      this.worker.configureAsyncInvoke({ retryAttempts: 0 });
    }
    return rule;
  }
}
