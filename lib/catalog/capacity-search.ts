import { integerIn, UsageError } from './errors';
import { SloCheckSpec } from './slo-check';

/** Environment variable of LatencySlo's capacity-search function: its defaults (JSON `CapacitySearchSpec`). */
export const CAPACITY_SEARCH_ENV = 'ECTK_CAPACITY_SEARCH';

/** Lambda's longest invocation, 900 seconds (docs/aws-facts.md, "Lambda"). */
export const LAMBDA_MAX_SECONDS = 900;
/** Time a capacity search keeps back from its 15 minutes: connect, load data and clean up per step, publish at the end. */
export const CAPACITY_RESERVE_SECONDS = 60;

/**
 * The on-demand capacity search of a LatencySlo: the check's profile and SLO at rising open-loop rates, from the
 * check's rate up to `maxRate`, each step warmed up like the check and measured for `stepSeconds`.
 */
export interface CapacitySearchSpec {
  readonly maxRate: number;
  readonly stepSeconds: number;
  readonly maxSteps: number;
}

export interface CapacitySearchInput {
  readonly maxRate?: number;
  readonly stepSeconds?: number;
  readonly maxSteps?: number;
}

/**
 * The one validation of a capacity search, with its defaults (16 × the check's rate, 20-second steps, 12 steps): the
 * construct runs it at synth, the handler on its environment and again on each event. One step with the check's
 * warm-up must fit in a Lambda invocation with the reserve.
 */
export function validateCapacitySearch(check: SloCheckSpec, input: CapacitySearchInput, fields: { readonly [K in keyof CapacitySearchInput]?: string } = {}): CapacitySearchSpec {
  const name = (k: keyof CapacitySearchInput) => fields[k] ?? k;
  const maxRate = integerIn(name('maxRate'), input.maxRate ?? Math.min(10_000_000, check.rate * 16), check.rate, 10_000_000);
  const longest = Math.floor(LAMBDA_MAX_SECONDS - CAPACITY_RESERVE_SECONDS - check.warmupSeconds);
  const stepSeconds = integerIn(name('stepSeconds'), input.stepSeconds ?? Math.min(20, longest), 1, longest);
  const maxSteps = integerIn(name('maxSteps'), input.maxSteps ?? 12, 1, 100);
  return { maxRate, stepSeconds, maxSteps };
}

/** The search defaults read back from their JSON document (ECTK_CAPACITY_SEARCH) and validated again. */
export function parseCapacitySearch(text: string, field: string, check: SloCheckSpec): CapacitySearchSpec {
  let doc: CapacitySearchInput;
  try {
    doc = JSON.parse(text) as CapacitySearchInput;
  } catch {
    throw new UsageError(field, text, 'a JSON capacity search specification written by LatencySlo');
  }
  if (doc === null || typeof doc !== 'object') throw new UsageError(field, text, 'a JSON capacity search specification written by LatencySlo');
  return validateCapacitySearch(check, doc, { maxRate: `${field}.maxRate`, stepSeconds: `${field}.stepSeconds`, maxSteps: `${field}.maxSteps` });
}
