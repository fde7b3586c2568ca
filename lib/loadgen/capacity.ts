/**
 * The highest open-loop rate that meets an SLO: double the rate until a step fails (or halve it until one passes),
 * then bisect between the last passing and the first failing rate. A step passes when its SLO is met and it kept at
 * least 99 % of its rate. A step the generator limited still passes when the SLO held: its lateness only adds to the
 * latency measured, so the cache did at least as well. It fails as `untrustworthy` when the SLO broke only because of
 * that lateness, and as `fell-behind` when the rate was not kept. A failed step the generator limited ends the search
 * (`stopped_by: generator`, `generator_limited_at`): it says nothing about the cache, and lower rates would not either.
 */
import { LatencySummary } from './histogram';
import { LoadTestResult, sloVerdict } from './run';

/** One measured step of the search. */
export interface CapacityStep {
  readonly rate: number;
  readonly achieved_rate: number;
  readonly latency_ms: LatencySummary;
  readonly error_rate: number;
  /**
   * `met`, `breached` or `untrustworthy` (the SLO verdict); `fell-behind` when the generator did not keep 99 % of the
   * rate; `interrupted` when an interrupt or the deadline cut the step's measured window short: it never counts.
   */
  readonly verdict: 'met' | 'breached' | 'untrustworthy' | 'fell-behind' | 'interrupted';
  readonly passed: boolean;
  /** Service time p99 (from the actual send): what the cache took, without the generator's lateness. */
  readonly service_p99_ms: number;
  /** How late the generator sent at p99: its own share of the latency. */
  readonly lag_p99_ms: number;
  /** The generator could not keep up with this rate (see `GeneratorHealth`): the step says nothing about the cache. */
  readonly generator_limited: boolean;
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
   * before the precision was reached), `budget` (the next step would not have ended within the time budget), `stopped`
   * (an interrupt or the invocation's deadline) or `error` (a step could not run: `error` says why; the steps before it
   * stand).
   */
  readonly stopped_by: 'slo' | 'generator' | 'max-rate' | 'steps' | 'budget' | 'stopped' | 'error';
  /** The rate at which the generator, not the cache, fell short, when that ended the search. */
  readonly generator_limited_at?: number;
  /** Why a step could not run, when `stopped_by` is `error`. */
  readonly error?: string;
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
  /** No step starts that would not end within this many ms from the start of the search (by the longest step so far). */
  readonly budgetMs?: number;
}

/** A step's verdict from its result: what counts is a met SLO at the rate asked for, over the whole measured window. */
export function stepOf(rate: number, r: LoadTestResult): CapacityStep {
  const slo = sloVerdict(r);
  const verdict = r.interrupted ? 'interrupted'
    : slo !== 'met' ? slo ?? 'breached' : r.achieved_rate < 0.99 * rate ? 'fell-behind' : 'met';
  return {
    rate, achieved_rate: r.achieved_rate, latency_ms: r.latency_ms, error_rate: r.error_rate, verdict, passed: verdict === 'met',
    service_p99_ms: r.service_time_ms.p99, lag_p99_ms: r.generator.scheduling_lag_ms?.p99 ?? 0,
    generator_limited: r.generator.limited,
  };
}

/**
 * Runs the search with `measure` running one step at a rate. An interrupted step ends the search and counts neither
 * way; a step that throws ends it with `stopped_by: error`, keeping the steps measured before it.
 */
export async function findMaxRate(search: CapacitySearch, measure: (rate: number) => Promise<CapacityStep>): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  let error: string | undefined;
  let generatorLimitedAt: number | undefined;
  const started = Date.now();
  let longestStepMs = 0;
  const overBudget = () => search.budgetMs !== undefined && steps.length > 0 && Date.now() - started + longestStepMs > search.budgetMs;
  /**
   * The step's outcome: passed, failed, or undefined when the search ends with it: interrupted, could not run, or the
   * generator could not keep up (a lower rate would only measure the generator again, not the cache).
   */
  const run = async (rate: number): Promise<boolean | undefined> => {
    let step: CapacityStep;
    const stepStart = Date.now();
    try {
      step = await measure(rate);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      return undefined;
    }
    longestStepMs = Math.max(longestStepMs, Date.now() - stepStart);
    steps.push(step);
    // Untrustworthy (the SLO broke only by the generator's lateness) or fell behind (the rate was not kept) while the
    // generator was limited: the step failed because of the generator. A breach on the service time too stays a breach.
    if (step.generator_limited && (step.verdict === 'untrustworthy' || step.verdict === 'fell-behind')) {
      generatorLimitedAt = rate;
      return undefined;
    }
    return step.verdict === 'interrupted' ? undefined : step.passed;
  };
  const done = () => error !== undefined || steps.length >= search.maxSteps || search.signal?.aborted === true || overBudget();
  let pass: number | null = null;
  let fail: number | null = null;
  let rate = Math.min(search.startRate, search.maxRate);
  // Ramp: double until a step fails or the cap is reached.
  while (!done()) {
    const ok = await run(rate);
    if (ok === undefined) break;
    if (ok) {
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
    const ok = await run(rate);
    if (ok === undefined) break;
    if (ok) pass = rate;
    else fail = rate;
  }
  // Bisect between the last pass and the first failure.
  while (pass !== null && fail !== null && (fail - pass) / pass > search.precision && !done()) {
    const mid = Math.round((pass + fail) / 2);
    if (mid === pass || mid === fail) break;
    const ok = await run(mid);
    if (ok === undefined) break;
    if (ok) pass = mid;
    else fail = mid;
  }
  const capped = pass !== null && pass >= search.maxRate;
  const converged = fail !== null && (pass === null ? fail <= 1 : (fail - pass) / pass <= search.precision || fail - pass <= 1);
  const boundary = steps.find((s) => s.rate === fail);
  const interrupted = search.signal?.aborted === true || steps.some((s) => s.verdict === 'interrupted');
  const stoppedBy = error !== undefined ? 'error'
    : capped ? 'max-rate'
      : interrupted ? 'stopped'
        : generatorLimitedAt !== undefined ? 'generator'
          : !converged ? (overBudget() ? 'budget' : 'steps')
            : boundary?.verdict === 'breached' ? 'slo' : 'generator';
  return {
    max_rate: pass, slo: search.slo, steps, capped, stopped_by: stoppedBy,
    ...(generatorLimitedAt !== undefined ? { generator_limited_at: generatorLimitedAt } : {}), ...(error !== undefined ? { error } : {}),
  };
}
