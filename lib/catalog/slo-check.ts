/**
 * The SLO check in AWS, as data shared by the LatencySlo construct (synth time) and the load-generator Lambda (run
 * time): the profiles it may run, the check the construct configures, the CloudWatch metrics the Lambda publishes and
 * the alarms on them. `id` of an alarm is also its runbook file name: runbooks/<id>.md.
 */
import { AlarmDefinition } from './alarms';

export interface ProfileFacts {
  /** Business figures the profile measures besides latency. */
  readonly figures: ReadonlyArray<'hit_ratio' | 'allow_ratio'>;
  /** Value size (bytes, `[min, max]`) when none is given: what the modelled data usually weighs. */
  readonly valueSize: readonly [number, number];
}

/** Workload profiles of the load generator: what each measures and its default value size. */
export const PROFILES: Readonly<Record<string, ProfileFacts>> = {
  'get-set': { figures: ['hit_ratio'], valueSize: [100, 100] },
  'inference-cache': { figures: ['hit_ratio'], valueSize: [1024, 16 * 1024] },
  'session-store': { figures: [], valueSize: [200, 2048] },
  'feature-store': { figures: [], valueSize: [100, 100] },
  'rate-limiter': { figures: ['allow_ratio'], valueSize: [100, 100] },
  leaderboard: { figures: [], valueSize: [100, 100] },
};

/**
 * Characters a load-generator key prefix may not hold: glob characters (a SCAN pattern built from the prefix would match
 * other keys), hash-tag braces (every key would land in one slot) and whitespace.
 */
export const KEY_PREFIX_FORBIDDEN = /[*?[\]\\{}\s]/;

/** CloudWatch namespace of the SLO check's metrics. */
export const SLO_NAMESPACE = 'ElastiCacheToolkit/SLO';

/** Dimensions of every SLO metric: the cache name and the workload profile. */
export const SLO_DIMENSIONS = { cache: 'Cache', profile: 'Profile' } as const;

/**
 * Metric names and units. `Latency` is published as Values/Counts taken from the run's histogram, so CloudWatch can
 * compute any percentile (p99, p99.9) over any period and across invocations.
 */
export const SLO_METRICS = {
  latency: { name: 'Latency', unit: 'Milliseconds' },
  errorRate: { name: 'ErrorRate', unit: 'Percent' },
  hitRatio: { name: 'HitRatio', unit: 'Percent' },
  allowRatio: { name: 'AllowRatio', unit: 'Percent' },
  achievedRate: { name: 'AchievedRate', unit: 'Count/Second' },
  sloMet: { name: 'SloMet', unit: 'None' },
} as const;

/** Environment variable holding the configured check (JSON `SloCheckSpec`) in the load-generator Lambdas. */
export const SLO_CHECK_ENV = 'ECTK_SLO_CHECK';

/** Environment variable naming the state machine that the deploy-gate Lambda starts (fan-out). */
export const SLO_STATE_MACHINE_ENV = 'ECTK_SLO_STATE_MACHINE_ARN';

/** The check a LatencySlo construct configures; an invocation's event may override single fields. */
export interface SloCheckSpec {
  readonly profile: string;
  /** Requests per second over all workers. */
  readonly rate: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** SLO spec, `p99<5ms,errors<0.1%`. */
  readonly slo: string;
  readonly keyspace: number;
  /** Value size in bytes: fixed, or a range `[min, max]`. */
  readonly valueSize: readonly [number, number];
  /** Key prefix the load generator's RBAC user is confined to; each run adds its run id. */
  readonly keyPrefix: string;
  /** Connections per worker thread. */
  readonly connections: number;
  /** Worker threads per Lambda (from its memory size: one per vCPU). */
  readonly threads: number;
  /** Number of Lambda workers the run fans out to (1: the Lambda runs the check alone). */
  readonly workers: number;
}

/** An SLO alarm: the fields of a cache alarm that apply, on one metric of the SLO namespace; its period is the canary's. */
export interface SloAlarmDefinition extends Pick<AlarmDefinition,
  'id' | 'threshold' | 'comparison' | 'datapointsToAlarm' | 'evaluationPeriods' | 'treatMissingData' | 'severity' | 'runbook' | 'summary' | 'source'> {
  readonly metric: string;
  readonly statistic: 'Minimum' | 'SampleCount';
}

/**
 * The SLO alarms. Their period is the canary's interval (one check per period). `slo-check-failing` counts silence as
 * breaching: a check that errored, timed out or could not reach the cache publishes no `SloMet` value.
 */
export const SLO_ALARMS: readonly SloAlarmDefinition[] = [
  {
    id: 'slo-breach', metric: SLO_METRICS.sloMet.name, statistic: 'Minimum', threshold: 1, comparison: 'LessThanThreshold',
    datapointsToAlarm: 2, evaluationPeriods: 3, treatMissingData: 'notBreaching', severity: 'critical', runbook: 'slo-breach',
    summary: 'The latency SLO check failed in 2 of the last 3 checks: the cache is slower, or fails more, than its SLO allows.',
    source: 'One failed check is often a noisy neighbour or a cold connection; two of three is a trend worth a page',
  },
  {
    id: 'slo-check-failing', metric: SLO_METRICS.sloMet.name, statistic: 'SampleCount', threshold: 1, comparison: 'LessThanThreshold',
    datapointsToAlarm: 2, evaluationPeriods: 2, treatMissingData: 'breaching', severity: 'warning', runbook: 'slo-check-failing',
    summary: 'The SLO check has not reported a result for 2 check intervals: it errors, times out or cannot reach the cache, so the SLO is unwatched.',
    source: 'Silence is the symptom, so missing data breaches; two intervals ride out one lost invocation',
  },
];
