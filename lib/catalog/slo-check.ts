/**
 * The SLO check in AWS, as data shared by the LatencySlo construct (synth time) and the load-generator Lambda (run
 * time): the check the construct configures and the CloudWatch metrics the Lambda publishes (the alarms on them are in
 * the alarm catalog, lib/catalog/alarms.ts).
 */
import { integerIn, UsageError } from './errors';
import { isFigureTerm, parseSlo, Slo, unattainable } from './slo';
import { workloadSpec } from './workloads';

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
 * compute any percentile (p99, p99.9) over any period and across invocations. Each workload figure is published as
 * its `metricName` in Percent (lib/catalog/workloads.ts).
 */
export const SLO_METRICS = {
  latency: { name: 'Latency', unit: 'Milliseconds' },
  errorRate: { name: 'ErrorRate', unit: 'Percent' },
  achievedRate: { name: 'AchievedRate', unit: 'Count/Second' },
  sloMet: { name: 'SloMet', unit: 'None' },
  /** The capacity search's answer: the highest open-loop rate that met the SLO (0 when none did). */
  maxRate: { name: 'MaxRateMeetingSlo', unit: 'Count/Second' },
} as const;

/** Environment variable holding the configured check (JSON `SloCheckSpec`) in the load-generator Lambdas. */
export const SLO_CHECK_ENV = 'ECTK_SLO_CHECK';

/** Environment variable naming the state machine that the deploy-gate Lambda starts (fan-out). */
export const SLO_STATE_MACHINE_ENV = 'ECTK_SLO_STATE_MACHINE_ARN';

/** The check a LatencySlo construct configures; an invocation's event may override single fields. */
export interface SloCheckSpec {
  /** The cache the check is about: the dimension its figures are published under (the aggregator is not bound to it). */
  readonly cacheName?: string;
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

/** What a check is configured from, before defaults: LatencySlo's props in plain numbers, or a Lambda's ECTK_SLO_CHECK. */
export interface SloCheckInput {
  readonly cacheName?: string;
  readonly profile?: string;
  readonly rate?: number;
  readonly durationSeconds?: number;
  readonly warmupSeconds?: number;
  readonly slo?: string;
  readonly keyspace?: number;
  readonly valueSizeMin?: number;
  readonly valueSizeMax?: number;
  readonly keyPrefix?: string;
  readonly connections?: number;
  readonly threads?: number;
  readonly workers?: number;
}

/** The SLO a check verifies when none is given. */
export const DEFAULT_SLO = 'p99<5ms,p99.9<20ms,errors<0.1%';
/**
 * The one validation of an SLO check, with its defaults: LatencySlo runs it at synth (field names are its props), the
 * Lambda handler runs it again on the document it receives (the boundary where the check enters the run time).
 * Throws `UsageError` naming the field, the value and what is allowed.
 */
export function validateSloCheck(input: SloCheckInput, fields: SloCheckFields = {}): SloCheckSpec {
  return checkSloCheck(input, fields).spec;
}

type SloCheckFields = { readonly [K in keyof SloCheckInput]?: string };

/** A check as the run time holds it: the document, with its SLO parsed where the document entered. */
export interface ParsedSloCheck extends SloCheckSpec {
  readonly parsedSlo: Slo;
}

function checkSloCheck(input: SloCheckInput, fields: SloCheckFields): { spec: SloCheckSpec; slo: Slo } {
  const name = (k: keyof SloCheckInput) => fields[k] ?? k;
  const workers = integerIn(name('workers'), input.workers ?? 1, 1, 1000);
  const threads = integerIn(name('threads'), input.threads ?? 1, 1, 64);
  const profile = input.profile ?? 'get-set';
  const facts = workloadSpec(profile, name('profile'));
  const figures = facts.figures.map((f) => f.name);
  const slo = input.slo ?? DEFAULT_SLO;
  let parsed: Slo;
  try {
    parsed = parseSlo(slo);
  } catch (e) {
    throw new UsageError(name('slo'), slo, (e as Error).message);
  }
  const terms = parsed.terms;
  for (const term of terms) {
    if (isFigureTerm(term.metric) && !figures.includes(term.metric)) {
      throw new UsageError(name('slo'), slo, `the ${profile} profile does not measure ${term.metric} (term ${term.text})`);
    }
  }
  const rate = integerIn(name('rate'), input.rate ?? 1000, workers, 10_000_000);
  for (const term of terms) {
    const reason = unattainable(term, rate);
    if (reason) throw new UsageError(name('slo'), slo, `the term ${term.text} can never be met: ${reason}`);
  }
  // How long a check may be in a Lambda is LatencySlo's concern (whole seconds, at most MAX_CHECK_SECONDS with the
  // warm-up); the document itself needs a measured time and a warm-up that is not negative.
  const durationSeconds = input.durationSeconds ?? 60;
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new UsageError(name('durationSeconds'), durationSeconds, 'a number of seconds above 0');
  const warmupSeconds = input.warmupSeconds ?? 5;
  if (!Number.isFinite(warmupSeconds) || warmupSeconds < 0) throw new UsageError(name('warmupSeconds'), warmupSeconds, 'a number of seconds, 0 or more');
  const keyspace = integerIn(name('keyspace'), input.keyspace ?? 10_000, 1, 100_000_000);
  const min = integerIn(name('valueSizeMin'), input.valueSizeMin ?? facts.valueSize[0], 1, 512 * 1024 * 1024);
  const max = integerIn(name('valueSizeMax'), input.valueSizeMax ?? (input.valueSizeMin !== undefined ? input.valueSizeMin : facts.valueSize[1]),
    min, 512 * 1024 * 1024);
  const keyPrefix = input.keyPrefix ?? 'ectk:slo:';
  if (keyPrefix.length === 0 || KEY_PREFIX_FORBIDDEN.test(keyPrefix)) {
    throw new UsageError(name('keyPrefix'), keyPrefix, 'a non-empty prefix without glob characters (* ? [ ] \\), hash-tag braces or spaces');
  }
  const connections = integerIn(name('connections'), input.connections ?? 4, 1, 1000);
  if (input.cacheName !== undefined && (typeof input.cacheName !== 'string' || input.cacheName.length === 0)) {
    throw new UsageError(name('cacheName'), input.cacheName, 'the name of the cache under check, a non-empty string');
  }
  const cacheName = input.cacheName === undefined ? {} : { cacheName: input.cacheName };
  return { spec: { ...cacheName, profile, rate, durationSeconds, warmupSeconds, slo, keyspace, valueSize: [min, max], keyPrefix, connections, threads, workers }, slo: parsed };
}

/** A configured check read back from its JSON document (ECTK_SLO_CHECK) and validated again. */
export function parseSloCheck(text: string, field: string): ParsedSloCheck {
  let doc: SloCheckSpec;
  try {
    doc = JSON.parse(text) as SloCheckSpec;
  } catch {
    throw new UsageError(field, text, 'a JSON SLO check specification written by LatencySlo');
  }
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.valueSize)) {
    throw new UsageError(field, text, 'a JSON SLO check specification written by LatencySlo');
  }
  const { valueSize, ...rest } = doc;
  const { spec, slo } = checkSloCheck({ ...rest, valueSizeMin: valueSize[0], valueSizeMax: valueSize[1] }, {
    cacheName: `${field}.cacheName`, profile: `${field}.profile`, rate: `${field}.rate`, durationSeconds: `${field}.durationSeconds`, warmupSeconds: `${field}.warmupSeconds`,
    slo: `${field}.slo`, keyspace: `${field}.keyspace`, valueSizeMin: `${field}.valueSize[0]`, valueSizeMax: `${field}.valueSize[1]`,
    keyPrefix: `${field}.keyPrefix`, connections: `${field}.connections`, threads: `${field}.threads`, workers: `${field}.workers`,
  });
  return { ...spec, parsedSlo: slo };
}
