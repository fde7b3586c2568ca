import { UsageError } from './errors';
import { FIGURE_NAME } from './workloads';

/**
 * What an SLO term is about: `latency`, `errors`, `rate`, or the name of a figure a workload declares (`hit_ratio`,
 * any `<name>_ratio`; see lib/catalog/workloads.ts).
 */
export type SloMetric = string;

/** Whether a term is about a workload's figure (a ratio of its counters) rather than latency, errors or rate. */
export const isFigureTerm = (metric: string): boolean => FIGURE_NAME.test(metric);

export interface SloTerm {
  /** The term as written, for example `p99<5ms`. */
  readonly text: string;
  readonly metric: SloMetric;
  /** Percentile for latency terms (`max` is 100). */
  readonly percentile?: number;
  readonly op: '<' | '<=' | '>' | '>=';
  /** Threshold in the metric's base unit: milliseconds for latency, a fraction for ratios, ops/s for rate. */
  readonly threshold: number;
}

/** A parsed SLO: the spec as written and its terms. Parsed once, with `parseSlo`, where the spec enters. */
export interface Slo {
  readonly spec: string;
  readonly terms: readonly SloTerm[];
}

export interface SloCheck {
  readonly term: string;
  /** The percentile of a latency term (`max` is 100); absent for other terms. */
  readonly percentile?: number;
  readonly actual: number | null;
  readonly threshold: number;
  readonly passed: boolean;
  /** Unit of `actual` and `threshold`: `ms`, `ratio` or `ops/s`. */
  readonly unit: string;
}

export interface SloResult {
  readonly spec: string;
  readonly passed: boolean;
  readonly checks: SloCheck[];
}

/** What the SLO is evaluated against. */
export interface SloInputs {
  /** Latency at a percentile, in milliseconds (from the merged histogram). */
  latencyAt(percentile: number): number;
  /**
   * Whether any operation succeeded. When none did, no latency was measured of the cache serving anything (failed
   * operations can fail fast), so every latency term fails with no value.
   */
  readonly anyServed: boolean;
  readonly errorRate: number;
  /** The figures the workload declares, by name; undefined where not measured. */
  readonly figures: Readonly<Record<string, number | undefined>>;
  readonly achievedRate: number;
}

const LATENCY_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const TERM_HELP = 'terms look like p50<1ms, p99.9<=20ms, max<100ms, errors<0.1%, hit_ratio>80%, allow_ratio>0.5, false_hit_ratio<1%, rate>=1000';

/**
 * Parses a k6-style SLO spec: comma-separated terms `<metric><op><value>`. Latency values need a unit, us, ms or s;
 * ratios take % or a plain fraction (`errors<0.1` is 10 %, and the verdict prints it so); rate is ops/s. Errors name the
 * offending term.
 */
export function parseSlo(spec: string): Slo {
  const terms = spec.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (terms.length === 0) throw new UsageError('--slo', spec, `the spec has no terms; ${TERM_HELP}`);
  return { spec, terms: terms.map(parseTerm) };
}

function parseTerm(text: string): SloTerm {
  const m = /^([a-z_]+|p\d+(?:\.\d+)?)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([a-z%]*)$/i.exec(text);
  if (!m) throw new UsageError('--slo term', text, TERM_HELP);
  const [, name, op, number, unitRaw] = m;
  const value = Number(number);
  const unit = unitRaw.toLowerCase();
  const o = op as SloTerm['op'];
  const pm = /^p(\d+(?:\.\d+)?)$/.exec(name);
  if (pm || name === 'max') {
    const percentile = pm ? Number(pm[1]) : 100;
    if (!(percentile > 0 && percentile <= 100)) throw new UsageError('--slo term', text, 'a percentile is above 0 and at most 100');
    // A bare number is refused rather than read as ms: `p99<5` is as likely meant as 5 s, or 5 µs.
    if (unit === '') throw new UsageError('--slo term', text, `add a unit: ${number}ms (latency takes us, ms or s)`);
    if (!(unit in LATENCY_UNITS)) throw new UsageError('--slo term', text, `unknown unit "${unitRaw}"; latency units are us, ms and s`);
    return { text, metric: 'latency', percentile, op: o, threshold: value * LATENCY_UNITS[unit] };
  }
  if (name === 'errors' || isFigureTerm(name)) {
    if (unit !== '%' && unit !== '') throw new UsageError('--slo term', text, `unknown unit "${unitRaw}"; ratios take % or a plain fraction`);
    const threshold = unit === '%' ? value / 100 : value;
    if (threshold > 1) throw new UsageError('--slo term', text, 'a ratio is at most 100% (or 1)');
    return { text, metric: name, op: o, threshold };
  }
  if (name === 'rate') {
    if (unit !== '' && unit !== 'ops') throw new UsageError('--slo term', text, `unknown unit "${unitRaw}"; rate is in operations per second`);
    return { text, metric: 'rate', op: o, threshold: value };
  }
  throw new UsageError('--slo term', text, `unknown metric "${name}"; ${TERM_HELP}`);
}

function compare(actual: number, op: SloTerm['op'], threshold: number): boolean {
  switch (op) {
    case '<': return actual < threshold;
    case '<=': return actual <= threshold;
    case '>': return actual > threshold;
    default: return actual >= threshold;
  }
}

/** Evaluates every term; a term whose figure was not measured (hit ratio of a profile without one) fails. */
export function evaluateSlo(slo: Slo, inputs: SloInputs): SloResult {
  const checks = slo.terms.map((term): SloCheck => {
    let actual: number | undefined;
    let unit = 'ratio';
    switch (term.metric) {
      case 'latency': actual = inputs.anyServed ? inputs.latencyAt(term.percentile!) : undefined; unit = 'ms'; break;
      case 'errors': actual = inputs.errorRate; break;
      case 'rate': actual = inputs.achievedRate; unit = 'ops/s'; break;
      default: actual = inputs.figures[term.metric];
    }
    const passed = actual !== undefined && Number.isFinite(actual) && compare(actual, term.op, term.threshold);
    const percentile = term.percentile === undefined ? {} : { percentile: term.percentile };
    return { term: term.text, ...percentile, actual: actual ?? null, threshold: term.threshold, passed, unit };
  });
  return { spec: slo.spec, passed: checks.every((c) => c.passed), checks };
}

/**
 * Why a term can never be met, or undefined: a latency or error rate below 0 (or at most 0), a ratio above 100 %, a
 * rate above (or at least, for `>`) what the check offers.
 */
export function unattainable(term: SloTerm, offeredRate?: number): string | undefined {
  const { metric, op, threshold } = term;
  const below = op === '<' || op === '<=';
  const figure = isFigureTerm(metric);
  if ((metric === 'latency' || metric === 'errors' || figure) && below && (threshold < 0 || (threshold === 0 && op === '<'))) {
    return `${metric === 'latency' ? 'a latency' : metric === 'errors' ? 'an error rate' : `a ${figureWords(metric)}`} below 0 can never be measured`;
  }
  if (figure && ((op === '>' && threshold >= 1) || threshold > 1)) {
    return 'a ratio never exceeds 100%';
  }
  if (metric === 'rate' && offeredRate !== undefined && !below && (threshold > offeredRate || (op === '>' && threshold >= offeredRate))) {
    return `the check offers ${offeredRate} requests/s, so it can never achieve ${op === '>' ? 'more than' : 'at least'} ${threshold}`;
  }
  return undefined;
}

/** A figure's name in words: `false_hit_ratio` is "false-hit ratio". */
function figureWords(name: string): string {
  return `${name.replace(/_ratio$/, '').replace(/_/g, '-')} ratio`;
}
