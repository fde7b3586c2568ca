/**
 * The load generator's workload profiles, one entry each: name, the commands it sends (the ACL preflight probes them),
 * the value size it models, the counters it increments and the figures (ratios of those counters) that SLO terms, the
 * JSON result, the report and the CloudWatch metrics carry. The construct (`LatencySlo`), the Lambda, the CLI and the
 * engine all read this one table; each profile's factory lives in `lib/loadgen/workloads/<name>.ts`.
 */
import { UsageError } from './errors';

/** A business figure: `numerator / sum(denominator)` over the run's counters, as a fraction. */
export interface FigureSpec {
  /** The figure's name in SLO terms and in the JSON result; always ends in `_ratio`. */
  readonly name: string;
  /** The counter counted. */
  readonly numerator: string;
  /** The counters whose sum it is a share of. */
  readonly denominator: readonly string[];
  /** The figure when the denominator is 0: undefined means "not measured" (an SLO term on it fails). */
  readonly whenEmpty?: number;
  /** How the summary names it ("hit ratio"), and what it means when the name alone does not say. */
  readonly label: string;
  readonly note?: string;
  /** CloudWatch metric (namespace ElastiCacheToolkit/SLO, unit Percent) the SLO Lambda publishes it as. */
  readonly metricName: string;
}

/** One workload profile. */
export interface WorkloadSpec {
  readonly name: string;
  /** One line: what the profile models. */
  readonly summary: string;
  /** Every command it sends, the inner calls of its scripts included (ACLs apply to the commands a script runs). */
  readonly commands: readonly string[];
  /** Value size (bytes, `[min, max]`) when none is given: what the modelled data usually weighs. */
  readonly valueSize: readonly [number, number];
  /** Counters its operations increment (reported as `counts` in the result, summed across threads and Lambdas). */
  readonly counters: readonly string[];
  readonly figures: readonly FigureSpec[];
}

const HIT_RATIO: FigureSpec = { name: 'hit_ratio', numerator: 'hits', denominator: ['hits', 'misses'], label: 'hit ratio', metricName: 'HitRatio' };

/** The profiles the toolkit ships. */
export const BUILT_IN_WORKLOADS: readonly WorkloadSpec[] = [
  {
    name: 'get-set', summary: 'memtier-style GET / SET baseline', commands: ['get', 'set'], valueSize: [100, 100],
    counters: ['hits', 'misses'], figures: [HIT_RATIO],
  },
  {
    name: 'inference-cache', summary: 'answers to repeated prompts: Zipf-popular keys, read-through GET, SET with a TTL on a miss',
    commands: ['get', 'set'], valueSize: [1024, 16 * 1024], counters: ['hits', 'misses'], figures: [HIT_RATIO],
  },
  {
    name: 'session-store', summary: 'chat session state: a list and a hash per session with a sliding expiry',
    commands: ['multi', 'exec', 'rpush', 'ltrim', 'pexpire', 'hset', 'hincrby', 'lrange', 'hgetall'], valueSize: [200, 2048], counters: [], figures: [],
  },
  {
    name: 'feature-store', summary: 'online feature serving: pipelined HMGET of feature vectors, rare bulk HSET',
    commands: ['multi', 'hset', 'pexpire', 'exec', 'hmget'], valueSize: [100, 100], counters: [], figures: [],
  },
  {
    name: 'rate-limiter', summary: 'per-caller token bucket in one Lua script',
    commands: ['evalsha', 'eval', 'time', 'hmget', 'hset', 'pexpire'], valueSize: [100, 100], counters: ['allowed', 'denied'],
    figures: [{ name: 'allow_ratio', numerator: 'allowed', denominator: ['allowed', 'denied'], label: 'allow ratio', metricName: 'AllowRatio' }],
  },
  {
    name: 'leaderboard', summary: 'real-time rankings: ZINCRBY, top-N ZREVRANGE, ZREVRANK',
    commands: ['multi', 'exec', 'zincrby', 'pexpire', 'zrevrange', 'zrevrank'], valueSize: [100, 100], counters: [], figures: [],
  },
  {
    name: 'semantic-cache', summary: 'prompts asked in other words through a semantic cache; knows which answers were wrong',
    commands: ['smembers', 'get', 'set', 'multi', 'sadd', 'pexpire', 'exec', 'srem'], valueSize: [200, 2048], counters: ['hits', 'misses', 'falseHits'],
    figures: [HIT_RATIO, {
      name: 'false_hit_ratio', numerator: 'falseHits', denominator: ['hits'], whenEmpty: 0, label: 'false hits',
      note: 'of the answers served (another intent\'s answer)', metricName: 'FalseHitRatio',
    }],
  },
];

/** What every run sends besides its profile's commands: PING to connect, SCAN and UNLINK to delete its keys. */
export const RUN_COMMANDS: readonly string[] = ['ping', 'scan', 'unlink'];

/** A figure name: lower case, ending in `_ratio` (SLO terms tell figures from latency, errors and rate by it). */
export const FIGURE_NAME = /^[a-z][a-z0-9_]*_ratio$/;

const registry = new Map<string, WorkloadSpec>();

/**
 * Adds a profile to the table (the built-ins at load; a run-time extension through the load generator's
 * `defineWorkload`). Refuses a name taken, a figure name that is not `<name>_ratio`, or a figure over an undeclared counter.
 */
export function registerWorkloadSpec(spec: WorkloadSpec): WorkloadSpec {
  const where = `workload ${JSON.stringify(spec.name)}`;
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new UsageError('workload name', spec.name, 'lower-case letters, digits and dashes, starting with a letter');
  if (registry.has(spec.name)) throw new UsageError('workload name', spec.name, `a name not already taken (${workloadNames().join(', ')})`);
  for (const f of spec.figures) {
    if (!FIGURE_NAME.test(f.name)) throw new UsageError(`${where}: figure name`, f.name, 'lower case, ending in _ratio (for example hit_ratio)');
    const unknown = [f.numerator, ...f.denominator].find((c) => !spec.counters.includes(c));
    if (unknown !== undefined) throw new UsageError(`${where}: figure ${f.name}`, unknown, `a counter the workload declares (${spec.counters.join(', ') || 'none'})`);
  }
  registry.set(spec.name, spec);
  return spec;
}

BUILT_IN_WORKLOADS.forEach(registerWorkloadSpec);

/** The names of every profile, built-ins first. */
export function workloadNames(): string[] {
  return [...registry.keys()];
}

/** The profile named `name`; `field` names the flag or prop in the error that lists the profiles there are. */
export function workloadSpec(name: string, field = '--workload'): WorkloadSpec {
  const spec = registry.get(name);
  if (!spec) throw new UsageError(field, name, `allowed are ${workloadNames().join(', ')}`);
  return spec;
}

/** The figures of a run from its counters: each declared figure, undefined where not measured. */
export function figureValues(spec: WorkloadSpec, counts: Readonly<Record<string, number>>): Record<string, number | undefined> {
  const values: Record<string, number | undefined> = {};
  for (const f of spec.figures) {
    const of = f.denominator.reduce((n, c) => n + (counts[c] ?? 0), 0);
    values[f.name] = of > 0 ? (counts[f.numerator] ?? 0) / of : f.whenEmpty;
  }
  return values;
}
