/**
 * The highest open-loop rate that meets an SLO: double the rate until a step fails (or halve it until one passes),
 * then bisect between the last passing and the first failing rate. A step passes when its SLO is met and it kept at
 * least 99 % of its rate. A step the generator limited still passes when the SLO held: its lateness only adds to the
 * latency measured, so the cache did at least as well. It fails as `untrustworthy` when the SLO broke only because of
 * that lateness, and as `fell-behind` when the generator could not send the rate: neither says anything about the cache.
 */
import { LatencySummary } from './histogram';
import { LoadTestResult, sloVerdict } from './run';

/** One measured step of the search. */
export interface CapacityStep {
  readonly rate: number;
  readonly achieved_rate: number;
  readonly latency_ms: LatencySummary;
  readonly error_rate: number;
  /** `met`, `breached` or `untrustworthy` (the SLO verdict), or `fell-behind` when the generator did not keep 99 % of the rate. */
  readonly verdict: 'met' | 'breached' | 'untrustworthy' | 'fell-behind';
  readonly passed: boolean;
}

export interface CapacityResult {
  /** The highest rate that passed; null when not even the first step did. */
  readonly max_rate: number | null;
  readonly slo: string;
  readonly steps: CapacityStep[];
  /** True when the search stopped at `maxRate` with every step passing: the capacity is at least that. */
  readonly capped: boolean;
  /**
   * What ended the search: `slo` (the first failing rate breached the SLO: max_rate is the cache's capacity within the
   * precision), `generator` (the first failing rate was one the generator could not drive or keep up with: max_rate is a
   * lower bound of the cache's capacity; add threads or memory), `max-rate` (capped), `steps` (the step budget ran out
   * before the precision was reached) or `stopped` (an interrupt or the invocation's deadline).
   */
  readonly stopped_by: 'slo' | 'generator' | 'max-rate' | 'steps' | 'stopped';
}

export interface CapacitySearch {
  readonly slo: string;
  readonly startRate: number;
  /** The search never offers more than this. */
  readonly maxRate: number;
  /** Bisection stops when the first failing rate is within this fraction above the last passing one. */
  readonly precision: number;
  /** At most this many steps in all. */
  readonly maxSteps: number;
  /** Stops between steps (Ctrl-C): the result covers the steps measured. */
  readonly signal?: AbortSignal;
}

/** A step's verdict from its result: what counts is a met SLO at the rate asked for. */
export function stepOf(rate: number, r: LoadTestResult): CapacityStep {
  const slo = sloVerdict(r);
  const verdict = slo !== 'met' ? slo ?? 'breached' : r.achieved_rate < 0.99 * rate ? 'fell-behind' : 'met';
  return { rate, achieved_rate: r.achieved_rate, latency_ms: r.latency_ms, error_rate: r.error_rate, verdict, passed: verdict === 'met' };
}

/** Runs the search with `measure` running one step at a rate. */
export async function findMaxRate(search: CapacitySearch, measure: (rate: number) => Promise<CapacityStep>): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  const run = async (rate: number) => {
    const step = await measure(rate);
    steps.push(step);
    return step.passed;
  };
  const done = () => steps.length >= search.maxSteps || search.signal?.aborted === true;
  let pass: number | null = null;
  let fail: number | null = null;
  let rate = Math.min(search.startRate, search.maxRate);
  // Ramp: double until a step fails or the cap is reached.
  while (!done()) {
    if (await run(rate)) {
      pass = rate;
      if (rate >= search.maxRate) break;
      rate = Math.min(rate * 2, search.maxRate);
    } else {
      fail = rate;
      break;
    }
  }
  // Not even the first rate passed: halve until one does (or there is nothing left to halve).
  while (pass === null && fail !== null && fail > 1 && !done()) {
    rate = Math.max(1, Math.floor(fail / 2));
    if (await run(rate)) pass = rate;
    else fail = rate;
  }
  // Bisect between the last pass and the first failure.
  while (pass !== null && fail !== null && (fail - pass) / pass > search.precision && !done()) {
    const mid = Math.round((pass + fail) / 2);
    if (mid === pass || mid === fail) break;
    if (await run(mid)) pass = mid;
    else fail = mid;
  }
  const capped = pass !== null && pass >= search.maxRate;
  const converged = fail !== null && (pass === null ? fail <= 1 : (fail - pass) / pass <= search.precision || fail - pass <= 1);
  const boundary = steps.find((s) => s.rate === fail);
  const stoppedBy = capped ? 'max-rate'
    : search.signal?.aborted ? 'stopped'
      : !converged ? 'steps'
        : boundary?.verdict === 'breached' ? 'slo' : 'generator';
  return { max_rate: pass, slo: search.slo, steps, capped, stopped_by: stoppedBy };
}
