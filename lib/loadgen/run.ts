import * as net from 'net';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Cluster, Redis } from 'ioredis';
import { describeEndpoint } from '../client/endpoint';
import { EventLoopDelay, runWorker, WorkerPlan, WorkerResult } from './engine';
import { UsageError } from '../catalog/errors';
import { decode, encode, Histogram, LatencySummary, merge, summarize } from './histogram';
import { newRunId, runKeyPrefix } from './keys';
import { Rng } from './random';
import { evaluateSlo, isFigureTerm, Slo, SloResult, unattainable } from '../catalog/slo';
import { figureValues, workloadSpec } from '../catalog/workloads';
import { Client, connectOrFail, createClient, primaries, TargetOptions } from '../client/target';
import { checkPermissions } from './permissions';
import { PasswordReply, ThreadPlan } from './thread-messages';
import { workloadFactory, workloadParams } from './workloads';
import { WorkloadParams } from './workloads/types';

export interface LoadTestConfig extends WorkloadParams {
  readonly target: TargetOptions;
  readonly profile: string;
  /** Total requests per second over all threads (open loop); undefined in closed loop. */
  readonly rate?: number;
  readonly closedLoop: boolean;
  readonly poisson: boolean;
  /** Connections per thread. */
  readonly connections: number;
  readonly pipeline: number;
  readonly threads: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly deadline?: number;
  readonly keyPrefix: string;
  readonly runId?: string;
  /** The SLO the run is judged by, parsed where it entered (the CLI's --slo, the Lambda's check). */
  readonly slo?: Slo;
  readonly keepData: boolean;
  readonly seed?: number;
}

/**
 * Second-by-second figures for the report. `span_s` is how much of the second was measured: 1, except for the last
 * second of a run, so that ops / span_s is the rate over the whole run.
 */
export interface SecondFigures {
  readonly second: number;
  readonly span_s: number;
  readonly ops: number;
  readonly errors: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

/** A run's figures by their declared names (`hit_ratio`, any `<name>_ratio`): fractions, absent where not measured. */
export type FigureFields = { readonly [figure: `${string}_ratio`]: number | undefined };

/**
 * The result of a run; `--json` writes it as is (field names are the stable CLI contract). Each figure the profile
 * declares (lib/catalog/workloads.ts) is a field of its own name: `hit_ratio`, `allow_ratio`, `false_hit_ratio`, ...
 */
export interface LoadTestResult extends FigureFields {
  readonly profile: string;
  readonly endpoint: string;
  readonly run_id: string;
  readonly mode: 'open-loop' | 'closed-loop';
  readonly threads: number;
  readonly connections: number;
  readonly target_rate: number | null;
  readonly achieved_rate: number;
  readonly ops: number;
  readonly errors: number;
  readonly error_rate: number;
  readonly errors_by_kind: Record<string, number>;
  /** The first message of each error kind (the first worker's, in a merged result). */
  readonly error_examples: Record<string, string>;
  readonly duration_s: number;
  readonly latency_ms: LatencySummary;
  readonly service_time_ms: LatencySummary;
  readonly cut_short: boolean;
  /** True when an interrupt (Ctrl-C, SIGTERM) stopped the run early: the figures cover the time until then. */
  readonly interrupted: boolean;
  readonly keys_deleted: number | null;
  /** Set when the cleanup could not finish: how many keys may remain, under which prefix, and when they expire. */
  readonly cleanup_warning?: string;
  readonly slo?: SloResult;
  /** The profile's counters (behind its figures), so that results of several workers combine exactly. */
  readonly counts: Readonly<Record<string, number>>;
  /** Per-second figures of one run; empty in a result merged from several workers (their seconds do not line up). */
  readonly series: SecondFigures[];
  /** Merged latency histogram (µs from intended send time), HdrHistogram compressed base64. */
  readonly histogram: string;
  /** Merged service-time histogram (µs from actual send), HdrHistogram compressed base64. */
  readonly service_histogram: string;
  /** The generator watching itself: how late it sent, how busy its event loops were, and whether that spoils the run. */
  readonly generator: GeneratorHealth;
  /** Merged scheduling-lag histogram (µs after the intended send time), HdrHistogram compressed base64. */
  readonly lag_histogram: string;
}

/**
 * Latency the generator adds to what it measures. Open-loop latency runs from each request's intended send time, so a
 * scheduler that sends late adds its lateness to every figure; when that lateness is a noticeable share of the p99
 * (`GENERATOR_LIMITED`), the run measured the generator, and an SLO breach says nothing about the cache.
 */
export interface GeneratorHealth {
  /** How late requests left after their intended time; null in closed loop (a request leaves when it is sent). */
  readonly scheduling_lag_ms: LatencySummary | null;
  /** The worst worker thread's event-loop delay over the measured window. */
  readonly event_loop_delay_ms: EventLoopDelay;
  readonly limited: boolean;
  /**
   * The SLO failed from the intended send time but is met on the service time (from the actual send, without the
   * generator's lag), and the generator was limited: the breach is the generator's, so the run is no verdict.
   */
  readonly spoils_slo: boolean;
  /** Why the run counts as generator-limited, and what to do. */
  readonly reason?: string;
}

/** A run is generator-limited when its scheduling lag at p99 reaches this share of the latency p99 ... */
export const GENERATOR_LIMITED = { shareOfP99: 0.2, minimumMs: 1 } as const;

/** What a result says about the run besides its measurements. */
export interface ResultMeta {
  readonly profile: string;
  /** Endpoint with the password masked. */
  readonly endpoint: string;
  readonly runId: string;
  readonly closedLoop: boolean;
  readonly threads: number;
  /** Connections over all threads. */
  readonly connections: number;
  readonly targetRate: number | null;
  readonly slo?: Slo;
}

export type ProgressListener = (p: { ops: number; errors: number; p99: number }) => void;

/** Checks the configuration before anything connects; every problem names the flag. */
export function validateConfig(config: LoadTestConfig): void {
  workloadFactory(config.profile); // refuses an unknown profile, naming the ones there are
  runKeyPrefix(config.keyPrefix, 'check');
  if (!config.closedLoop && !(config.rate !== undefined && config.rate > 0)) {
    throw new UsageError('--rate', config.rate, 'an open-loop run needs a rate above 0 requests per second (or --closed-loop)');
  }
  if (config.slo) {
    const figures = workloadSpec(config.profile).figures.map((f) => f.name);
    for (const term of config.slo.terms) {
      const reason = unattainable(term, config.closedLoop ? undefined : config.rate);
      if (reason) throw new UsageError('--slo term', term.text, `can never be met: ${reason}`);
      if (isFigureTerm(term.metric) && !figures.includes(term.metric)) {
        throw new UsageError('--slo term', term.text, `the ${config.profile} profile does not measure ${term.metric}${figures.length ? ` (it measures ${figures.join(', ')})` : ''}`);
      }
    }
  }
}

/** The longest a key of the run lives: its TTL with the jitter at its top. */
export function runKeysExpireWithinS(config: Pick<LoadTestConfig, 'ttlSeconds' | 'ttlJitter'>): number {
  return Math.ceil(config.ttlSeconds * (1 + config.ttlJitter));
}

/**
 * Runs a load test end to end: connect, load data, run the workers, clean up, merge, evaluate the SLO. An aborted
 * `signal` stops sending; what was measured is still drained, cleaned up and returned (marked `interrupted`). Once the
 * measurement exists, nothing costs it: a failed cleanup becomes `cleanup_warning`.
 */
export async function runLoadTest(config: LoadTestConfig, onProgress?: ProgressListener, signal?: AbortSignal): Promise<LoadTestResult> {
  validateConfig(config);
  const runId = config.runId ?? newRunId();
  const keyPrefix = runKeyPrefix(config.keyPrefix, runId);
  const admin = createClient(config.target);
  await connectOrFail(admin, config.target);
  let results: WorkerResult[] = [];
  let failure: unknown;
  try {
    const seed = config.seed ?? Date.now() & 0xffffffff;
    const workload = workloadFactory(config.profile)({ ...workloadParams(config), keyPrefix, rng: new Rng(seed) });
    let setUp = false;
    try {
      await checkPermissions(admin, config.profile, keyPrefix, config.target.endpoint.username);
      if (!signal?.aborted) {
        await workload.setup(admin);
        setUp = true;
      }
      const plans: WorkerPlan[] = Array.from({ length: config.threads }, (_, i) => ({
        ...workloadParams(config), target: config.target, profile: config.profile, rate: (config.rate ?? 0) / config.threads,
        closedLoop: config.closedLoop, poisson: config.poisson, connections: config.connections, pipeline: config.pipeline,
        warmupMs: config.warmupMs, durationMs: config.durationMs, deadline: config.deadline, keyPrefix, seed: seed + i * 7919, signal,
      }));
      results = config.threads === 1
        ? [await runWorker(plans[0], onProgress && ((p) => onProgress({ ops: p.ops, errors: p.errors, p99: summarize(p.histogram).p99 })))]
        : await Promise.all(plans.map((plan) => runInThread(plan, onProgress)));
    } catch (e) {
      failure = e;
    }
    // The keys go on every path: after a measurement, after an interrupt, and after a setup or worker that failed.
    // Under a deadline (Lambda) the retries may use part of the time kept back after it, never all of it.
    const retryUntil = config.deadline === undefined ? undefined : config.deadline + CLEANUP_GRACE_AFTER_DEADLINE_MS;
    let cleanup: CleanupOutcome = config.keepData ? { deleted: null } : await cleanUpRunKeys(admin, keyPrefix, runKeysExpireWithinS(config), retryUntil, config.target.endpoint);
    if (config.keepData && setUp && workload.keptState) {
      cleanup = { ...cleanup, warning: `--keep-data: ${workload.keptState}; its keys expire by their TTL` };
    }
    if (!config.keepData && setUp && workload.teardown) {
      try {
        await workload.teardown(admin);
      } catch (e) {
        const warning = `the run's server-side state under ${keyPrefix} (an index) could not be removed: ${(e as Error).message}`;
        cleanup = { ...cleanup, warning: cleanup.warning ? `${cleanup.warning}; ${warning}` : warning };
      }
    }
    if (failure !== undefined) throw failure;
    return buildResult({
      profile: config.profile, endpoint: describeEndpoint(config.target.endpoint), runId, closedLoop: config.closedLoop,
      threads: config.threads, connections: config.connections * config.threads,
      targetRate: config.closedLoop ? null : config.rate ?? null, slo: config.slo,
    }, results, cleanup);
  } finally {
    await admin.quit().catch(() => admin.disconnect());
  }
}

/** What the cleanup achieved: keys deleted (null when the run kept its data), and a warning when it could not finish. */
export interface CleanupOutcome {
  readonly deleted: number | null;
  readonly warning?: string;
}

/** Attempts and pauses of the cleanup: long enough for a cluster to finish a failover (a few seconds). */
const CLEANUP_RETRY_MS = [500, 1000, 2000, 4000];
/** How far past a deadline the cleanup may retry: half of the least time the Lambda handler keeps back (5 s). */
const CLEANUP_GRACE_AFTER_DEADLINE_MS = 2500;

/**
 * Deletes every key of the run on the cluster as it is now: the slot map is refreshed first, so a replica promoted
 * during the run is cleaned as the primary it has become, and a failed attempt is retried briefly. Never throws: what
 * could not be deleted is described (how many keys, their prefix, when their TTL expires them).
 */
export async function cleanUpRunKeys(
  client: Client, keyPrefix: string, expireWithinS: number, retryUntil = Infinity, seed?: NodeAddress,
): Promise<CleanupOutcome> {
  const tally = { deleted: 0 };
  let lastError: unknown;
  let gone: string | undefined;
  for (let attempt = 0; attempt <= CLEANUP_RETRY_MS.length; attempt++) {
    try {
      if (client instanceof Cluster) await refreshTopology(client);
      await deleteRunKeys(client, keyPrefix, tally);
      return { deleted: tally.deleted };
    } catch (e) {
      lastError = e;
      // A failover leaves a node that answers (or a promoted replica); a server that is gone refuses every connection.
      // Retrying is for the first, not the second.
      gone = await refusedEverywhere(knownNodes(client, seed));
      if (gone !== undefined) break;
      const pause = CLEANUP_RETRY_MS[attempt];
      if (pause === undefined || Date.now() + pause > retryUntil) break;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
  const left = gone === undefined ? await countRunKeys(client, keyPrefix).catch(() => undefined) : undefined;
  const reason = gone !== undefined ? `the server is gone: connection refused on every node (${gone})`
    : lastError instanceof Error ? lastError.message : String(lastError);
  return {
    deleted: tally.deleted,
    warning: `cleanup could not finish (${reason}): ${left === undefined ? 'an unknown number of' : left} keys of the run may remain ` +
      `under ${keyPrefix}; every one carries a TTL and expires within ${expireWithinS} s`,
  };
}

/** A node's address. */
export interface NodeAddress { readonly host: string; readonly port: number }

/** The addresses of every node the client knows, and the endpoint it was given. */
function knownNodes(client: Client, seed: NodeAddress | undefined): NodeAddress[] {
  const nodes = client instanceof Cluster ? client.nodes('all') : [client];
  const all = [...(seed ? [seed] : []), ...nodes.map((n) => ({ host: String(n.options.host), port: Number(n.options.port) }))];
  return [...new Map(all.map((a) => [`${a.host}:${a.port}`, a])).values()];
}

/**
 * The addresses, joined, when a TCP connect to every one of them is refused (ECONNREFUSED): nothing listens there any
 * more. Undefined when any answers, times out or fails otherwise (a failover or a slow network: worth retrying).
 */
async function refusedEverywhere(addresses: readonly NodeAddress[]): Promise<string | undefined> {
  if (addresses.length === 0) return undefined;
  const refused = await Promise.all(addresses.map((a) => new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: a.host, port: a.port, timeout: 1000 });
    const done = (result: boolean) => { socket.destroy(); resolve(result); };
    socket.once('connect', () => done(false));
    socket.once('timeout', () => done(false));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED'));
  })));
  return refused.every(Boolean) ? addresses.map((a) => `${a.host}:${a.port}`).join(', ') : undefined;
}

function refreshTopology(cluster: Cluster): Promise<void> {
  return new Promise((resolve, reject) => cluster.refreshSlotsCache((e) => (e ? reject(e) : resolve())));
}

/** Counts the keys of the run left on every primary. */
async function countRunKeys(client: Client, keyPrefix: string): Promise<number> {
  let count = 0;
  for await (const { keys } of runKeyBatches(client, keyPrefix)) count += keys.length;
  return count;
}

/** The run's keys on every primary, a SCAN batch at a time (SCAN, never KEYS). */
async function* runKeyBatches(client: Client, keyPrefix: string): AsyncGenerator<{ node: Redis; keys: string[] }> {
  for (const node of primaries(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) yield { node, keys };
    } while (cursor !== '0');
  }
}

function runInThread(plan: WorkerPlan, onProgress?: ProgressListener): Promise<WorkerResult> {
  const file = path.join(__dirname, `worker-thread${path.extname(__filename)}`);
  const { passwordSource, ...target } = plan.target;
  const { signal, ...serialisable } = plan;
  const workerData: ThreadPlan = { ...serialisable, target, passwordBridge: passwordSource !== undefined };
  // Run from TypeScript sources (tests, tsx), the thread registers tsx's require hook first; built JavaScript loads directly.
  const worker = path.extname(file) === '.ts'
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
  // The thread owns its own stop signal; an abort here reaches it as a message.
  const stop = () => worker.postMessage({ stop: true });
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  return new Promise<WorkerResult>((resolve, reject) => {
    worker.once('exit', () => signal?.removeEventListener('abort', stop));
    worker.on('message', (m: { result?: WorkerResult; error?: string; progress?: { ops: number; errors: number; p99: number }; passwordRequest?: number }) => {
      if (m.passwordRequest !== undefined && passwordSource) {
        const id = m.passwordRequest;
        passwordSource().then(
          (password) => worker.postMessage({ passwordReply: id, password } satisfies PasswordReply),
          (error: Error) => worker.postMessage({ passwordReply: id, error: error.message } satisfies PasswordReply),
        );
      }
      if (m.progress) onProgress?.(m.progress);
      if (m.result) resolve(m.result);
      if (m.error) reject(new Error(`worker thread failed: ${m.error}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => { if (code !== 0) reject(new Error(`worker thread exited with code ${code}`)); });
  });
}

/**
 * Deletes every key of the run: SCAN for `<prefix><runId>:*` on every primary, UNLINK what it finds; `tally` counts
 * the deletions as they happen, so that a cleanup cut off half way still knows what it did.
 */
export async function deleteRunKeys(client: Client, keyPrefix: string, tally = { deleted: 0 }): Promise<number> {
  const before = tally.deleted;
  for await (const { node, keys } of runKeyBatches(client, keyPrefix)) {
    // One UNLINK per key: keys on one cluster node may sit in different slots.
    const pipeline = node.pipeline();
    for (const key of keys) pipeline.unlink(key);
    const replies = await pipeline.exec();
    tally.deleted += (replies ?? []).reduce((n, [error, count]) => n + (error ? 0 : Number(count)), 0);
  }
  return tally.deleted - before;
}

/** Combines worker measurements into a result: histograms merged exactly, counts summed, the SLO evaluated on the merge. */
export function buildResult(meta: ResultMeta, results: WorkerResult[], cleanup: CleanupOutcome): LoadTestResult {
  const sum = (f: (r: WorkerResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const latency: Histogram = merge(results.map((r) => decode(r.latency)));
  const service = merge(results.map((r) => decode(r.serviceTime)));
  const ops = sum((r) => r.ops);
  const errors = sum((r) => r.errors);
  const measuredS = Math.max(0, ...results.map((r) => r.measuredMs)) / 1000;
  const errorsByKind: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errorsByKind)) errorsByKind[k] = (errorsByKind[k] ?? 0) + v;
  const errorExamples: Record<string, string> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errorExamples)) errorExamples[k] ??= v;
  const spec = workloadSpec(meta.profile);
  const counts = Object.fromEntries(spec.counters.map((c) => [c, sum((r) => r.counts[c] ?? 0)]));
  const figures = figureValues(spec, counts);
  // Open loop: the window is at least the time the scheduled requests take at the offered rate, so an interrupt a few
  // milliseconds into a run (one request over a near-zero window) cannot claim more than the offered rate.
  const scheduled = sum((r) => r.scheduled);
  const windowS = meta.targetRate ? Math.max(measuredS, scheduled / meta.targetRate) : measuredS;
  const achievedRate = windowS > 0 ? ops / windowS : 0;
  const errorRate = ops > 0 ? errors / ops : 0;

  const secondsCount = Math.max(0, ...results.map((r) => r.seconds.length));
  const series = Array.from({ length: secondsCount }, (_, i) => {
    const parts = results.map((r) => r.seconds[i]).filter((s) => s !== undefined);
    const h = merge(parts.map((s) => decode(s.latency)));
    const summary = summarize(h);
    const span = Math.round(Math.min(1, Math.max(0, measuredS - i)) * 1000) / 1000;
    return { second: i + 1, span_s: span, ops: parts.reduce((n, s) => n + s.ops, 0), errors: parts.reduce((n, s) => n + s.errors, 0), p50_ms: summary.p50, p99_ms: summary.p99 };
  });

  const sloOn = (h: Histogram) => (meta.slo ? evaluateSlo(meta.slo, {
    latencyAt: (p) => h.getValueAtPercentile(p) / 1000, anyServed: ops > errors,
    errorRate, figures, achievedRate,
  }) : undefined);
  const slo = sloOn(latency);
  const lag = merge(results.map((r) => decode(r.schedulingLag)));
  const health = generatorHealth(meta.closedLoop, summarize(latency), lag, results.map((r) => r.eventLoopDelayMs));
  const generator = { ...health, spoils_slo: health.limited && slo?.passed === false && sloOn(service)?.passed === true };

  return {
    profile: meta.profile,
    endpoint: meta.endpoint,
    run_id: meta.runId,
    mode: meta.closedLoop ? 'closed-loop' : 'open-loop',
    threads: meta.threads,
    connections: meta.connections,
    target_rate: meta.targetRate,
    achieved_rate: Math.round(achievedRate * 10) / 10,
    ops,
    errors,
    error_rate: errorRate,
    errors_by_kind: errorsByKind,
    error_examples: errorExamples,
    duration_s: Math.round(measuredS * 1000) / 1000,
    latency_ms: summarize(latency),
    service_time_ms: summarize(service),
    ...figures,
    cut_short: results.some((r) => r.cutShort),
    interrupted: results.some((r) => r.interrupted),
    keys_deleted: cleanup.deleted,
    ...(cleanup.warning ? { cleanup_warning: cleanup.warning } : {}),
    slo,
    counts,
    series,
    histogram: encode(latency),
    service_histogram: encode(service),
    generator,
    lag_histogram: encode(lag),
  };
}

/**
 * The run's verdict on its SLO: met, breached, or untrustworthy (breached, but the generator was the slow part, so the
 * breach says nothing about the cache); undefined without an SLO.
 */
export function sloVerdict(r: { readonly slo?: SloResult; readonly generator: Pick<GeneratorHealth, 'spoils_slo'> }): 'met' | 'breached' | 'untrustworthy' | undefined {
  if (!r.slo) return undefined;
  if (r.slo.passed) return 'met';
  return r.generator.spoils_slo ? 'untrustworthy' : 'breached';
}

/** Whether the generator's own lateness spoils the run (see `GeneratorHealth`). */
function generatorHealth(closedLoop: boolean, latency: LatencySummary, lag: Histogram, loops: EventLoopDelay[]): Omit<GeneratorHealth, 'spoils_slo'> {
  const event_loop_delay_ms = {
    p50: Math.max(0, ...loops.map((l) => l.p50)), p99: Math.max(0, ...loops.map((l) => l.p99)), max: Math.max(0, ...loops.map((l) => l.max)),
  };
  if (closedLoop || lag.totalCount === 0) return { scheduling_lag_ms: closedLoop ? null : summarize(lag), event_loop_delay_ms, limited: false };
  const scheduling = summarize(lag);
  const limit = Math.max(GENERATOR_LIMITED.minimumMs, GENERATOR_LIMITED.shareOfP99 * latency.p99);
  if (scheduling.p99 < limit) return { scheduling_lag_ms: scheduling, event_loop_delay_ms, limited: false };
  return {
    scheduling_lag_ms: scheduling, event_loop_delay_ms, limited: true,
    reason: `generator-limited: requests left ${scheduling.p99} ms late at p99 (event-loop delay p99 ${event_loop_delay_ms.p99} ms), ` +
      `${Math.round((100 * scheduling.p99) / Math.max(latency.p99, 0.001))} % of the latency p99 of ${latency.p99} ms; ` +
      'the tail is the generator\'s, not the cache\'s: add threads or workers, or lower the rate',
  };
}

/**
 * Merges the results of several workers of one run (Lambda fan-out): exactly the histogram of all their values, counts
 * summed, the SLO evaluated on the merge. A missing or malformed worker result fails the merge rather than being skipped.
 */
export function mergeResults(results: readonly LoadTestResult[], slo?: Slo): LoadTestResult {
  if (results.length === 0) throw new Error('no worker results to merge');
  results.forEach((r, i) => {
    if (!r || typeof r.histogram !== 'string' || typeof r.service_histogram !== 'string' || typeof r.lag_histogram !== 'string'
      || typeof r.ops !== 'number' || !r.counts || !r.generator) {
      throw new Error(`worker result ${i} is not a load-test result (it has no histogram): ${JSON.stringify(r)?.slice(0, 200)}`);
    }
  });
  const first = results[0];
  const mismatched = results.find((r) => r.profile !== first.profile || r.mode !== first.mode);
  if (mismatched) throw new Error(`worker results disagree: ${first.profile}/${first.mode} and ${mismatched.profile}/${mismatched.mode}`);
  const parts: WorkerResult[] = results.map((r) => ({
    ops: r.ops, errors: r.errors, errorsByKind: r.errors_by_kind, errorExamples: r.error_examples ?? {}, latency: r.histogram, serviceTime: r.service_histogram,
    counts: r.counts, measuredMs: r.duration_s * 1000, scheduled: r.ops, cutShort: r.cut_short, interrupted: r.interrupted === true, seconds: [],
    schedulingLag: r.lag_histogram, eventLoopDelayMs: r.generator.event_loop_delay_ms,
  }));
  const deleted = results.every((r) => r.keys_deleted === null) ? null : results.reduce((n, r) => n + (r.keys_deleted ?? 0), 0);
  const warnings = results.map((r) => r.cleanup_warning).filter((w): w is string => w !== undefined);
  return buildResult({
    profile: first.profile, endpoint: first.endpoint, runId: first.run_id.replace(/-w\d+$/, ''), closedLoop: first.mode === 'closed-loop',
    threads: results.reduce((n, r) => n + r.threads, 0), connections: results.reduce((n, r) => n + r.connections, 0),
    targetRate: first.target_rate === null ? null : results.reduce((n, r) => n + (r.target_rate ?? 0), 0), slo,
  }, parts, { deleted, ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}) });
}
