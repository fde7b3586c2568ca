import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UsageError } from '../../catalog/errors';
import { CapacitySearchSpec, validateCapacitySearch } from '../../catalog/capacity-search';
import { SloCheckSpec, validateSloCheck } from '../../catalog/slo-check';
import type { LatencySloProps } from '../latency-slo';
import { checkInteger, invalid, wholeSeconds } from '../validation';

/** Lambda's memory per vCPU: a function gets one full vCPU at 1,769 MB (AWS Lambda developer guide, "Memory and computing power"). */
const MB_PER_VCPU = 1769;
/** Time a worker needs besides warm-up and measurement: connect, load data, clean up, publish. */
const OVERHEAD_SECONDS = 60;
/** Longest check with its warm-up, so that it fits in a 15-minute Lambda with time to connect, load and clean up. */
const MAX_CHECK_SECONDS = 780;

/** LatencySlo's props, validated and settled: the check document, and what the construct derives from it. */
export interface SettledLatencySlo {
  readonly check: SloCheckSpec;
  readonly workers: number;
  readonly memorySize: number;
  readonly workerTimeout: Duration;
  readonly interval: Duration;
  /** The capacity search's settings, when `capacitySearch` is set. */
  readonly capacity?: CapacitySearchSpec;
}

/**
 * Every check of LatencySlo's props, in prop order, with the error naming the construct path, the prop, the value and
 * what is allowed. The check document is validated by the catalog's `validateSloCheck`, the same function the Lambda
 * handler runs on it; what Lambda's 15 minutes and memory impose is checked here.
 */
export function validateLatencySloProps(scope: Construct, props: LatencySloProps): SettledLatencySlo {
  const workers = props.workers ?? 1;
  checkInteger(scope, 'workers', workers, 1, 1000);
  const memorySize = props.memorySize ?? 1024;
  checkInteger(scope, 'memorySize', memorySize, 1024, 10240);
  const durationSeconds = wholeSeconds(scope, 'duration', props.duration ?? Duration.seconds(60));
  const warmupSeconds = wholeSeconds(scope, 'warmup', props.warmup ?? Duration.seconds(5));
  let check: SloCheckSpec;
  try {
    check = validateSloCheck({
      cacheName: props.cache.cacheName, profile: props.profile, rate: props.rate, durationSeconds, warmupSeconds, slo: props.slo, keyspace: props.keyspace,
      valueSizeMin: props.valueSizeMin, valueSizeMax: props.valueSizeMax, keyPrefix: props.keyPrefix, connections: props.connectionsPerThread,
      threads: Math.max(1, Math.floor(memorySize / MB_PER_VCPU)), workers,
    }, { durationSeconds: 'duration', warmupSeconds: 'warmup', connections: 'connectionsPerThread' });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    invalid(scope, e.field, e.value, e.allowed);
  }
  checkInteger(scope, 'duration (seconds)', durationSeconds, 5, MAX_CHECK_SECONDS);
  checkInteger(scope, 'warmup (seconds)', warmupSeconds, 0, 120);
  if (durationSeconds + warmupSeconds > MAX_CHECK_SECONDS) {
    invalid(scope, 'duration', `${durationSeconds + warmupSeconds}s with warm-up`,
      `at most ${MAX_CHECK_SECONDS} s with warm-up, so that a check fits in a 15-minute Lambda with time to clean up`);
  }
  const workerTimeout = Duration.seconds(warmupSeconds + durationSeconds + OVERHEAD_SECONDS);
  const interval = props.canaryInterval ?? Duration.minutes(15);
  const seconds = interval.toSeconds({ integral: false });
  if (seconds % 60 !== 0 || seconds < 60) invalid(scope, 'canaryInterval', interval.toHumanString(), 'whole minutes (it is also the alarm period)');
  if (seconds <= workerTimeout.toSeconds()) {
    invalid(scope, 'canaryInterval', interval.toHumanString(), `longer than one check takes (${workerTimeout.toHumanString()} with warm-up and setup), so checks never overlap`);
  }
  if (seconds > 6 * 3600) invalid(scope, 'canaryInterval', interval.toHumanString(), 'at most 6 hours (alarm period × evaluation periods stays within a day)');
  return { check, workers, memorySize, workerTimeout, interval, capacity: props.capacitySearch && settleCapacitySearch(scope, check, props) };
}

function settleCapacitySearch(scope: Construct, check: SloCheckSpec, props: LatencySloProps): CapacitySearchSpec {
  const options = props.capacitySearch!;
  const stepSeconds = options.stepDuration && wholeSeconds(scope, 'capacitySearch.stepDuration', options.stepDuration);
  try {
    return validateCapacitySearch(check, { maxRate: options.maxRate, stepSeconds, maxSteps: options.maxSteps },
      { maxRate: 'capacitySearch.maxRate', stepSeconds: 'capacitySearch.stepDuration (seconds)', maxSteps: 'capacitySearch.maxSteps' });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    invalid(scope, e.field, e.value, e.allowed);
  }
}
