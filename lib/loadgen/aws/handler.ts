/**
 * The load generator in AWS Lambda. Four entry points share one bundle:
 * - `handler`: runs one worker's share of the SLO check against the cache the function is bound to;
 * - `capacity`: the on-demand capacity search: the check's profile and SLO at rising rates, the highest that met it;
 * - `aggregate`: merges the workers' results of a fan-out run exactly, evaluates the SLO, publishes;
 * - `gate`: the deploy gate of a fan-out check: starts the state machine and waits for its verdict.
 * The check itself (profile, rate, SLO ...) comes from `ECTK_SLO_CHECK`; the cache from the connection contract
 * `cache.bind()` sets (`ECTK_CACHE_CONTRACT`), read through the one parser that `connect()` uses.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ConnectionContract, CONTRACT_ENV, parseContract } from '../../catalog/connection';
import { ParsedSloCheck, parseSloCheck, SLO_CHECK_ENV, SLO_STATE_MACHINE_ENV } from '../../catalog/slo-check';
import { parseSlo } from '../../catalog/slo';
import { CAPACITY_RESERVE_SECONDS, CAPACITY_SEARCH_ENV, parseCapacitySearch, validateCapacitySearch } from '../../catalog/capacity-search';
import { CapacityResult, findMaxRate, stepOf } from '../capacity';
import { UsageError } from '../../catalog/errors';
import { newRunId } from '../keys';
import { LoadTestConfig, LoadTestResult, mergeResults, runLoadTest, sloVerdict } from '../run';
import { passwordSource } from '../../client/passwords';
import { publishCapacity, publishResult } from './publish';

/** What an invocation may say; every field is optional and overrides the configured check. */
export interface SloCheckEvent {
  /** The workload to run instead of the configured one. */
  readonly workload?: string;
  /** @deprecated the old name of `workload`, read when `workload` is absent; goes in the next release. */
  readonly profile?: string;
  /** Requests per second over all workers; each worker runs rate / worker_count. */
  readonly rate?: number;
  readonly duration_seconds?: number;
  readonly warmup_seconds?: number;
  readonly slo?: string;
  /** This worker's index in a fan-out run (0-based). */
  readonly worker_index?: number;
  readonly worker_count?: number;
  /** Run id shared by the workers of one run; each worker adds `-w<index>`. */
  readonly run_id?: string;
  /** Publish the result to CloudWatch (default: true when the function runs alone, false for fan-out workers). */
  readonly publish?: boolean;
  /** Fail the invocation when the SLO is breached, as the deploy gate needs (default: true). */
  readonly fail_on_breach?: boolean;
  /** Leave out the per-second series, to keep Step Functions payloads small (default: false). */
  readonly compact?: boolean;
}

/** The part of the Lambda context the handlers use. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Thrown when the SLO is breached and the caller asked for a failure (deploy gate): the Lambda reports it as its error. */
export class SloBreachedError extends Error {
  constructor(public readonly result: LoadTestResult) {
    super(`SLO breached: ${result.slo!.checks.filter((c) => !c.passed).map((c) => `${c.term} (actual ${c.actual ?? 'not measured'})`).join(', ')}`);
    this.name = 'SloBreachedError';
  }
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new UsageError(name, value ?? null, 'the function must be bound to a cache (cache.bind) and configured by LatencySlo');
  return value;
}

/** The cache this Lambda is bound to: ECTK_CACHE_CONTRACT, parsed and validated where it enters. */
export function boundContract(env: Environment): ConnectionContract {
  return parseContract(required(env, CONTRACT_ENV), CONTRACT_ENV);
}

/** The check this Lambda runs: ECTK_SLO_CHECK, parsed and validated where it enters (the same rules LatencySlo applied). */
export function checkSpec(env: Environment): ParsedSloCheck {
  return parseSloCheck(required(env, SLO_CHECK_ENV), SLO_CHECK_ENV);
}

/** The cache a check's figures are published for (LatencySlo writes it into the check). */
function checkedCacheName(check: ParsedSloCheck): string {
  if (!check.cacheName) throw new UsageError(`${SLO_CHECK_ENV}.cacheName`, null, 'the name of the cache the check is about, written by LatencySlo');
  return check.cacheName;
}

function wholeNumber(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(field, value, `a whole number from ${min} to ${max}`);
  return value;
}

/** Time kept back from the invocation's deadline for cleanup, publishing and returning. */
export function reserveMs(remainingMs: number): number {
  return Math.min(30_000, Math.max(5_000, Math.round(remainingMs * 0.1)));
}

/** Builds the run configuration of one worker from the environment, the configured check and the event. */
export function workerConfig(
  env: Environment, event: SloCheckEvent, remainingMs: number, now = Date.now(), spec: ParsedSloCheck = checkSpec(env), tlsCaFile?: string,
): LoadTestConfig {
  const workerCount = wholeNumber('worker_count', event.worker_count ?? 1, 1, 10_000);
  const workerIndex = wholeNumber('worker_index', event.worker_index ?? 0, 0, workerCount - 1);
  const rate = event.rate ?? spec.rate;
  if (!(rate > 0)) throw new UsageError('rate', rate, 'requests per second above 0');
  // The event's SLO enters here; the configured one was parsed with the check.
  const slo = event.slo !== undefined ? parseSlo(event.slo) : spec.parsedSlo;
  const runId = event.run_id ?? newRunId();
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId)) throw new UsageError('run_id', runId, 'letters, digits, - and _, at most 80 characters');
  const contract = boundContract(env);
  return {
    target: {
      endpoint: { tls: contract.tls, host: contract.endpoint, port: contract.port, username: contract.users[0].userName },
      cluster: contract.clusterMode,
      timeoutMs: 1000,
      ...(tlsCaFile ? { tlsCaFile } : {}),
    },
    profile: event.workload ?? event.profile ?? spec.profile,
    rate: rate / workerCount,
    closedLoop: false,
    poisson: false,
    connections: spec.connections,
    pipeline: 1,
    threads: spec.threads,
    warmupMs: (event.warmup_seconds ?? spec.warmupSeconds) * 1000,
    durationMs: (event.duration_seconds ?? spec.durationSeconds) * 1000,
    deadline: now + remainingMs - reserveMs(remainingMs),
    keyPrefix: spec.keyPrefix,
    runId: workerCount > 1 ? `${runId}-w${workerIndex}` : runId,
    slo,
    keepData: false,
    keyspace: spec.keyspace,
    keyPattern: 'uniform',
    valueSize: spec.valueSize,
    ttlSeconds: contract.ttlPolicy?.defaultTtlSeconds ?? 600,
    ttlJitter: contract.ttlPolicy?.jitter ?? 0.1,
    ratio: [1, 10],
  };
}

/**
 * The password for the cache user, asked for on every connect and reconnect: a newly signed IAM auth token (valid 15
 * minutes, so never reused), or the secret of a password user.
 */
export function cachePassword(env: Environment, secrets?: () => SecretsManagerClient): () => Promise<string> {
  const contract = boundContract(env);
  return passwordSource(contract, contract.users[0], {}, secrets);
}

/** Dependencies the handlers reach out to; tests pass local ones. */
export interface HandlerDeps {
  readonly env: Environment;
  /** The cache user's password, called on every connect and reconnect. */
  readonly password: () => Promise<string>;
  readonly cloudWatch: () => CloudWatchClient;
  /** Reads the results a Distributed Map wrote to S3. */
  readonly s3: () => S3Client;
  readonly log: (line: string) => void;
  /** A CA bundle to trust besides the system's (a test's own CA); ElastiCache's certificates need none. */
  readonly tlsCaFile?: string;
}

function defaultDeps(): HandlerDeps {
  // Built on first use: the aggregator and the gate never connect to the cache, and are not bound to one.
  let password: (() => Promise<string>) | undefined;
  return {
    env: process.env,
    password: () => (password ??= cachePassword(process.env))(),
    // Short timeouts: an unreachable CloudWatch (no endpoint, no NAT) must not eat the invocation.
    cloudWatch: () => new CloudWatchClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } }),
    s3: () => new S3Client({}),
    log: (line) => console.log(line),
  };
}

async function publish(deps: HandlerDeps, result: LoadTestResult): Promise<string | undefined> {
  try {
    const calls = await publishResult(deps.cloudWatch(), result, checkedCacheName(checkSpec(deps.env)));
    deps.log(`published to CloudWatch in ${calls} PutMetricData call(s)`);
    return undefined;
  } catch (e) {
    // The verdict stands without CloudWatch; the missing SloMet data point makes slo-check-failing fire.
    deps.log(`publishing to CloudWatch failed: ${(e as Error).message}`);
    return (e as Error).message;
  }
}

/** Thrown instead of a breach when the generator could not keep up: the deploy gate must not pass or fail on it. */
export class GeneratorLimitedError extends Error {
  constructor(public readonly result: LoadTestResult) {
    super(`SLO check not trustworthy: ${result.generator.reason}`);
    this.name = 'GeneratorLimitedError';
  }
}

function verdict(result: LoadTestResult, failOnBreach: boolean): LoadTestResult {
  const v = sloVerdict(result);
  if (failOnBreach && v === 'breached') throw new SloBreachedError(result);
  if (failOnBreach && v === 'untrustworthy') throw new GeneratorLimitedError(result);
  return result;
}

export type CheckOutput = LoadTestResult & { readonly publish_error?: string };

/** One worker's share of the check (or the whole check when the function runs alone). */
export async function runCheck(event: SloCheckEvent | null | undefined, context: InvocationContext, deps: HandlerDeps = defaultDeps()): Promise<CheckOutput> {
  const e = event ?? {};
  const config = workerConfig(deps.env, e, context.getRemainingTimeInMillis(), Date.now(), checkSpec(deps.env), deps.tlsCaFile);
  const result = await runLoadTest({ ...config, target: { ...config.target, passwordSource: deps.password } });
  deps.log(`run ${result.run_id}: ${result.ops} ops, ${result.achieved_rate} ops/s, p99 ${result.latency_ms.p99} ms, errors ${result.errors}, SLO ${sloVerdict(result) ?? 'none'}${result.generator.limited ? ` (${result.generator.reason})` : ''}${result.cut_short ? ', cut short by the deadline' : ''}`);
  const publishError = (e.publish ?? (e.worker_count ?? 1) === 1) ? await publish(deps, result) : undefined;
  const output: CheckOutput = { ...result, ...(e.compact ? { series: [] } : {}), ...(publishError ? { publish_error: publishError } : {}) };
  return verdict(output, e.fail_on_breach ?? true) as CheckOutput;
}

/** Where a Distributed Map's ResultWriter put the results: the manifest's bucket and key. */
export interface ResultWriterDetails {
  readonly Bucket: string;
  readonly Key: string;
}

/** Input of the aggregation step: the Map state's output, inline (one result per worker) or written to S3. */
export interface AggregateEvent {
  readonly results?: readonly LoadTestResult[];
  readonly result_writer?: ResultWriterDetails;
  readonly publish?: boolean;
  readonly fail_on_breach?: boolean;
}

async function readObject(s3: S3Client, Bucket: string, Key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return object.Body!.transformToString();
}

/**
 * Reads the worker results a Distributed Map's ResultWriter wrote: the manifest lists result files by status; every
 * file holds the child executions with their output. Failed or pending children fail the run.
 */
export async function readWrittenResults(s3: S3Client, details: ResultWriterDetails): Promise<LoadTestResult[]> {
  const manifest = JSON.parse(await readObject(s3, details.Bucket, details.Key)) as {
    ResultFiles?: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', Array<{ Key: string }> | undefined>;
  };
  const files = manifest.ResultFiles ?? { SUCCEEDED: [], FAILED: [], PENDING: [] };
  const unfinished = [...(files.FAILED ?? []), ...(files.PENDING ?? [])];
  if (unfinished.length > 0) {
    throw new Error(`workers did not all succeed: results in ${unfinished.map((f) => f.Key).join(', ')}; the run cannot pass`);
  }
  const results: LoadTestResult[] = [];
  for (const file of files.SUCCEEDED ?? []) {
    const executions = JSON.parse(await readObject(s3, details.Bucket, file.Key)) as Array<{ Status?: string; Output?: string; Name?: string }>;
    for (const e of executions) {
      if (e.Status !== 'SUCCEEDED' || !e.Output) throw new Error(`worker ${e.Name ?? '?'} ended ${e.Status ?? 'without status'}; the run cannot pass`);
      results.push(JSON.parse(e.Output) as LoadTestResult);
    }
  }
  return results;
}

/** Merges the workers' results exactly (histograms added, never percentiles averaged), evaluates the SLO, publishes. */
export async function aggregateResults(event: AggregateEvent, deps: HandlerDeps = defaultDeps()): Promise<CheckOutput> {
  const results = event?.result_writer ? await readWrittenResults(deps.s3(), event.result_writer) : event?.results;
  if (!Array.isArray(results)) {
    throw new UsageError('results', event?.results ?? null, 'an array of worker results (the Map state output), or result_writer for a Distributed Map');
  }
  const spec = checkSpec(deps.env);
  if (results.length !== spec.workers) {
    throw new Error(`expected ${spec.workers} worker results, got ${results.length}: a worker is missing, so the run cannot pass`);
  }
  const merged = mergeResults(results, spec.parsedSlo);
  deps.log(`merged ${results.length} workers: ${merged.ops} ops, p99 ${merged.latency_ms.p99} ms, SLO ${sloVerdict(merged) ?? 'none'}`);
  const publishError = (event.publish ?? true) ? await publish(deps, merged) : undefined;
  return verdict({ ...merged, ...(publishError ? { publish_error: publishError } : {}) }, event.fail_on_breach ?? false) as CheckOutput;
}

/** Deploy gate of a fan-out check: starts the state machine, waits, and fails unless the execution succeeded. */
export async function runGate(context: InvocationContext, env: Environment = process.env, sfn: SFNClient = new SFNClient({}), pollMs = 5000): Promise<unknown> {
  const stateMachineArn = required(env, SLO_STATE_MACHINE_ENV);
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ trigger: 'deploy-gate' }) }));
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status === 'SUCCEEDED') return JSON.parse(execution.output ?? 'null');
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') {
      throw new Error(`SLO check ${executionArn} ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`.trim());
    }
    if (context.getRemainingTimeInMillis() < pollMs + 2000) throw new Error(`SLO check ${executionArn} still running when the gate ran out of time`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** What a capacity-search invocation may say; each field overrides the function's configured search. */
export interface CapacitySearchEvent {
  readonly max_rate?: number;
  readonly step_seconds?: number;
  readonly max_steps?: number;
  /** Publish the answer as MaxRateMeetingSlo (default: true). */
  readonly publish?: boolean;
}

export type CapacityOutput = CapacityResult & { readonly published: boolean; readonly publish_error?: string };

/**
 * The capacity search in one Lambda: steps of the configured check (its profile, SLO, warm-up and key prefix, each step
 * with its own run id and cleanup) from the check's rate, doubling, then bisecting to 10 %. A step the generator could
 * not drive does not count (the answer is then a lower bound, `stopped_by: generator`). The search stops before a
 * step that would not end CAPACITY_RESERVE_SECONDS before the invocation's deadline.
 */
export async function runCapacitySearch(event: CapacitySearchEvent | null | undefined, context: InvocationContext, deps: HandlerDeps = defaultDeps()): Promise<CapacityOutput> {
  const e = event ?? {};
  const check = checkSpec(deps.env);
  const configured = parseCapacitySearch(required(deps.env, CAPACITY_SEARCH_ENV), CAPACITY_SEARCH_ENV, check);
  const search = validateCapacitySearch(check, {
    maxRate: e.max_rate ?? configured.maxRate, stepSeconds: e.step_seconds ?? configured.stepSeconds, maxSteps: e.max_steps ?? configured.maxSteps,
  }, { maxRate: 'max_rate', stepSeconds: 'step_seconds', maxSteps: 'max_steps' });
  const stepMs = (check.warmupSeconds + search.stepSeconds + CAPACITY_RESERVE_SECONDS) * 1000;
  const fits = () => context.getRemainingTimeInMillis() >= stepMs;
  if (!fits()) {
    throw new UsageError('step_seconds', search.stepSeconds, `a step with the ${check.warmupSeconds} s warm-up and ${CAPACITY_RESERVE_SECONDS} s reserve must fit in the ${Math.floor(context.getRemainingTimeInMillis() / 1000)} s left`);
  }
  const deadline = new AbortController();
  const result = await findMaxRate({ slo: check.slo, startRate: check.rate, maxRate: search.maxRate, precision: 0.1, maxSteps: search.maxSteps, signal: deadline.signal }, async (rate) => {
    // The check was read once above; each step only sets its rate and length.
    const config = workerConfig(deps.env, { rate, duration_seconds: search.stepSeconds }, context.getRemainingTimeInMillis(), Date.now(), check, deps.tlsCaFile);
    const run = await runLoadTest({ ...config, target: { ...config.target, passwordSource: deps.password } });
    const step = stepOf(rate, run);
    deps.log(`capacity step ${rate} ops/s: achieved ${step.achieved_rate}, p99 ${step.latency_ms.p99} ms, errors ${(step.error_rate * 100).toFixed(2)} %, ${step.verdict}`);
    if (!fits()) deadline.abort();
    return step;
  });
  deps.log(`capacity: ${result.max_rate === null ? 'no rate met the SLO' : `${result.max_rate} ops/s met the SLO`} (stopped by ${result.stopped_by})`);
  if (e.publish === false) return { ...result, published: false };
  try {
    const published = await publishCapacity(deps.cloudWatch(), result, checkedCacheName(check), check.profile);
    return { ...result, published };
  } catch (error) {
    deps.log(`publishing to CloudWatch failed: ${(error as Error).message}`);
    return { ...result, published: false, publish_error: (error as Error).message };
  }
}

export const handler = (event: SloCheckEvent, context: InvocationContext) => runCheck(event, context);
export const capacity = (event: CapacitySearchEvent, context: InvocationContext) => runCapacitySearch(event, context);
export const aggregate = (event: AggregateEvent) => aggregateResults(event);
export const gate = (_event: unknown, context: InvocationContext) => runGate(context);
