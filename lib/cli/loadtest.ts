import * as fs from 'fs';
import { Command, Option } from 'commander';
import { CapacityResult, findMaxRate, stepOf } from '../loadgen/capacity';
import { describeEndpoint, parseEndpoint } from '../client/endpoint';
import { EXIT, UsageError } from '../catalog/errors';
import { decode, toHgrm } from '../loadgen/histogram';
import { DEFAULT_KEY_PREFIX, newRunId, runKeyPrefix } from '../loadgen/keys';
import { parseKeyPattern } from '../loadgen/random';
import { renderHtml, formatSummary } from '../loadgen/report';
import { resolveTarget } from './contract-target';
import { LoadTestConfig, LoadTestResult, runKeysExpireWithinS, runLoadTest, sloVerdict } from '../loadgen/run';
import { parseSlo } from '../catalog/slo';
import { workloadNames, workloadSpec } from '../catalog/workloads';
import { parseDuration, parsePositiveDuration, parsePositiveInt, parseSizeRange } from '../util/units';
import { withExamples } from './examples';
import { awsOptions, withAws } from './io';

interface LoadtestFlags {
  endpoint: string; contract?: string; cache?: string; user?: string; cluster?: boolean; workload: string; rate?: string; closedLoop?: boolean; poisson?: boolean;
  connections: string; pipeline: string; threads: string; duration: string; warmup: string; keyspace: string;
  keyPattern: string; valueSize?: string; ratio: string; ttl: string; ttlJitter: string; keyPrefix: string; slo?: string;
  region?: string; profile?: string; endpointUrl?: string;
  json?: string; hgrm?: string; report?: string; tlsCa?: string; tlsInsecure?: boolean; readFromReplicas?: boolean;
  timeout: string; keepData?: boolean; seed?: string; findMaxRate?: boolean; maxRate: string; steps: string; semanticIndex?: string;
  timeBudget?: string;
  /** Whether --warmup was given (a search's steps warm up for 1 s unless it was). */
  warmupGiven?: boolean;
}

export function toConfig(flags: LoadtestFlags): LoadTestConfig {
  refuseWorkloadAsProfile(flags.profile);
  workloadSpec(flags.workload, '--workload');
  const ratio = /^(\d+):(\d+)$/.exec(flags.ratio);
  if (!ratio || Number(ratio[1]) + Number(ratio[2]) === 0) throw new UsageError('--ratio', flags.ratio, 'allowed is SETS:GETS, for example 1:10');
  const jitter = Number(flags.ttlJitter);
  if (!(jitter >= 0 && jitter <= 0.5)) throw new UsageError('--ttl-jitter', flags.ttlJitter, 'allowed is a fraction from 0 to 0.5');
  if (flags.rate !== undefined && flags.closedLoop) throw new UsageError('--rate', flags.rate, 'a closed-loop run has no target rate; use one of --rate and --closed-loop');
  if (flags.tlsCa && !fs.existsSync(flags.tlsCa)) throw new UsageError('--tls-ca', flags.tlsCa, 'the file does not exist');
  const slo = flags.slo !== undefined ? parseSlo(flags.slo) : undefined;
  const endpoint = parseEndpoint(flags.endpoint);
  if ((flags.tlsCa || flags.tlsInsecure) && !endpoint.tls) {
    throw new UsageError('--endpoint', flags.endpoint, 'TLS options need a rediss:// endpoint');
  }
  if (flags.semanticIndex !== undefined && !['bucketed', 'vector-search'].includes(flags.semanticIndex)) {
    throw new UsageError('--semantic-index', flags.semanticIndex, 'allowed are bucketed, vector-search');
  }
  if (flags.semanticIndex !== undefined && flags.workload !== 'semantic-cache') {
    throw new UsageError('--semantic-index', flags.semanticIndex, `applies to --workload semantic-cache only (the workload is ${flags.workload})`);
  }
  const ttlMs = parseDuration('--ttl', flags.ttl);
  if (ttlMs < 1000) throw new UsageError('--ttl', flags.ttl, 'every key the load generator writes lives at least 1 s');
  return {
    target: {
      endpoint, cluster: flags.cluster ?? false, tlsCaFile: flags.tlsCa, tlsInsecure: flags.tlsInsecure,
      readFromReplicas: flags.readFromReplicas, timeoutMs: parsePositiveDuration('--timeout', flags.timeout, 3_600_000),
    },
    profile: flags.workload,
    rate: flags.closedLoop ? undefined : parsePositiveInt('--rate', flags.rate ?? '1000', 10_000_000),
    closedLoop: flags.closedLoop ?? false,
    poisson: flags.poisson ?? false,
    connections: parsePositiveInt('--connections', flags.connections, 10_000),
    pipeline: parsePositiveInt('--pipeline', flags.pipeline, 10_000),
    threads: parsePositiveInt('--threads', flags.threads, 256),
    warmupMs: flags.warmup === '0' ? 0 : parseDuration('--warmup', flags.warmup),
    durationMs: parsePositiveDuration('--duration', flags.duration),
    keyPrefix: flags.keyPrefix,
    keyspace: parsePositiveInt('--keyspace', flags.keyspace, 100_000_000),
    keyPattern: parseKeyPattern(flags.keyPattern),
    valueSize: flags.valueSize ? parseSizeRange('--value-size', flags.valueSize) : workloadSpec(flags.workload).valueSize,
    ttlSeconds: ttlMs / 1000,
    ttlJitter: jitter,
    ratio: [Number(ratio[1]), Number(ratio[2])],
    slo,
    keepData: flags.keepData ?? false,
    seed: flags.seed === undefined ? undefined : parsePositiveInt('--seed', flags.seed),
    ...(flags.semanticIndex ? { semanticIndex: flags.semanticIndex as 'bucketed' | 'vector-search' } : {}),
  };
}

/**
 * `--profile` is the AWS profile, as in every command that reads AWS and in the AWS CLI; the workload is `--workload`.
 * A workload's name given to `--profile` is what the flag meant before: refused with the flag to use.
 */
function refuseWorkloadAsProfile(profile: string | undefined): void {
  if (profile !== undefined && workloadNames().includes(profile)) {
    throw new UsageError('--profile', profile, `names the AWS profile (as in the AWS CLI); the workload is --workload ${profile}`);
  }
}

/** The run's configuration, with the target from --endpoint or from a contract (--contract, --cache). */
async function resolvedConfig(flags: LoadtestFlags): Promise<LoadTestConfig> {
  refuseWorkloadAsProfile(flags.profile);
  const target = await resolveTarget(flags, { aws: awsOptions(flags) });
  const config = toConfig({ ...flags, endpoint: target.endpoint, cluster: target.cluster });
  return target.passwordSource ? { ...config, target: { ...config.target, passwordSource: target.passwordSource } } : config;
}

export function loadtestCommand(): Command {
  return withExamples(withAws(new Command('loadtest')), [
    ["ectk loadtest --endpoint redis://127.0.0.1:6379 --rate 5000 --duration 30s --slo 'p99<1ms,errors<0.1%'", 'hold a local server to an SLO at 5,000 requests per second'],
    ['ectk loadtest --cache ectk-inference --region eu-west-1 --workload inference-cache --rate 2000 --report run.html', 'an inference-cache load on a deployed cache, through its contract, with an HTML report'],
    ["ectk loadtest --endpoint redis://127.0.0.1:6379 --find-max-rate --slo 'p99<2ms'", 'the highest rate that meets the SLO'],
  ])
    .description('Validate a latency SLO: open-loop load with an AI-workload profile, HDR histograms, pass/fail verdict.\n' +
      'Exit codes: 0 SLO met (or no SLO), 1 SLO breached, 2 bad usage or config, 3 target unreachable or every operation failed.')
    .option('--endpoint <url>', 'redis[s]://[user:pass@]host:port')
    .option('--contract <file-or-parameter>', 'instead of --endpoint: connect as the connection contract says (a JSON file, or an SSM parameter name); IAM tokens are signed through the standard credential chain')
    .option('--cache <name>', 'instead of --endpoint: the contract of this cache, from its SSM parameter /ectk/<name>/connection')
    .option('--user <name>', 'with --contract or --cache: which of the contract\'s users (default: its only one)')
    .option('--cluster', 'cluster mode: route by slot, follow MOVED/ASK')
    .addOption(new Option('--workload <name>', 'workload profile').choices(workloadNames()).default('get-set'))
    .option('--rate <ops>', 'requests per second, open loop (default 1000)')
    .option('--closed-loop', 'closed loop: connections x pipeline requests in flight, for maximum throughput')
    .option('--poisson', 'Poisson arrivals instead of a constant interval')
    .option('--connections <n>', 'connections per thread', '4')
    .option('--pipeline <n>', 'requests in flight per connection (closed loop; get-set on a standalone endpoint sends them as one batch per round trip)', '16')
    .option('--threads <n>', 'worker threads, each with its own connections and histograms', '1')
    .option('--duration <time>', 'measured time', '30s')
    .option('--warmup <time>', 'time before measuring (excluded from results; 1s for each step of --find-max-rate)', '5s')
    .option('--keyspace <n>', 'distinct keys (prompts, sessions, entities, callers)', '10000')
    .option('--key-pattern <pattern>', 'uniform, zipf, gaussian or sequential (get-set, session-store, feature-store, leaderboard)', 'uniform')
    .option('--value-size <size>', 'value size or range, e.g. 100 or 1KB-16KB (default per workload)')
    .option('--ratio <sets:gets>', 'get-set: SETs to GETs', '1:10')
    .option('--semantic-index <kind>', 'semantic-cache: bucketed (every engine, the default) or vector-search (FT.SEARCH on node-based Valkey 8.2+; the run creates its own index and drops it)')
    .option('--ttl <time>', 'TTL of every key written, before jitter', '10m')
    .option('--ttl-jitter <fraction>', 'TTL spread, 0 to 0.5', '0.1')
    .option('--key-prefix <prefix>', 'every key goes under <prefix><run id>:', DEFAULT_KEY_PREFIX)
    .option('--slo <spec>', "e.g. 'p50<1ms,p99<5ms,p99.9<20ms,errors<0.1%,hit_ratio>80%'")
    .option('--json <file>', 'write the result as JSON')
    .option('--hgrm <file>', 'write the latency percentile distribution (HdrHistogram .hgrm)')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--tls-ca <file>', 'CA bundle for rediss:// endpoints')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option('--read-from-replicas', 'cluster mode: send reads to replicas')
    .option('--timeout <time>', 'a request slower than this fails as a timeout', '1s')
    .option('--keep-data', 'do not delete the run keys at the end (they still expire)')
    .option('--seed <n>', 'random seed, for a repeatable request sequence')
    .option('--find-max-rate', 'find the highest open-loop rate that meets --slo: --rate is the first step, each step runs --warmup + --duration')
    .option('--max-rate <ops>', 'with --find-max-rate: the highest rate to offer', '1000000')
    .option('--steps <n>', 'with --find-max-rate: at most this many steps', '12')
    .option('--time-budget <time>', 'with --find-max-rate: start no step that would not end within this time from the start (e.g. 10m)')
    .action(async (flags: LoadtestFlags, command: Command) => {
      if (flags.findMaxRate) return findMaxRateCommand({ ...flags, warmupGiven: command.getOptionValueSource('warmup') !== 'default' });
      const config = { ...await resolvedConfig(flags), runId: newRunId() };
      const tty = process.stderr.isTTY === true;
      let second = 0;
      const interrupt = onInterrupt(runKeyPrefix(config.keyPrefix, config.runId), runKeysExpireWithinS(config));
      try {
        const result = await runLoadTest(config, tty ? (p) => {
          second++;
          process.stderr.write(`\r  ${String(second).padStart(4)} s  ${String(p.ops).padStart(8)} ops/s  p99 ${p.p99.toFixed(3)} ms  errors ${p.errors}   `);
        } : undefined, interrupt.signal);
        if (tty) process.stderr.write('\n');
        process.stdout.write(`${formatSummary(result)}\n`);
        if (result.cleanup_warning) process.stderr.write(`ectk: warning: ${result.cleanup_warning}\n`);
        if (flags.json) fs.writeFileSync(flags.json, `${JSON.stringify(result, null, 2)}\n`);
        if (flags.hgrm) fs.writeFileSync(flags.hgrm, toHgrm(decode(result.histogram)));
        if (flags.report) fs.writeFileSync(flags.report, renderHtml(result));
        const verdict = sloVerdict(result);
        // A breach measured by a generator that could not keep up is a problem of the run's configuration, not a verdict.
        if (verdict === 'untrustworthy') process.stderr.write(`ectk: ${result.generator.reason}\n`);
        // The cache served nothing: whatever the SLO (or none), the run reached no target that works.
        const nothingServed = result.ops > 0 && result.errors === result.ops;
        if (nothingServed) process.stderr.write(`ectk: ${nothingServedMessage(result)}\n`);
        process.exitCode = interrupt.exitCode() ?? (nothingServed ? EXIT.unreachable
          : verdict === 'breached' ? EXIT.breached : verdict === 'untrustworthy' ? EXIT.usage : EXIT.met);
      } finally {
        interrupt.dispose();
      }
    });
}

/** Every operation of a run failed: how many, of which kinds, and the first message of each kind. */
function nothingServedMessage(result: LoadTestResult): string {
  const kinds = Object.entries(result.errors_by_kind).map(([kind, n]) => `${n} ${kind}: ${result.error_examples[kind] ?? ''}`);
  return `every one of the ${result.ops} operations failed (exit ${EXIT.unreachable}): ${kinds.join('; ')}`;
}

/** What the answer means, by what ended the search. */
const STOPPED_BY_NOTE: Record<CapacityResult['stopped_by'], string> = {
  'slo': '',
  'max-rate': ' (the search stopped at --max-rate: the capacity is at least that)',
  'generator': ' (the next rate was one the generator could not drive: a lower bound of the capacity; add --threads)',
  'steps': ' (the --steps budget ran out before the 10 % precision)',
  'budget': ' (the --time-budget ran out before the 10 % precision)',
  'stopped': ' (interrupted: the steps measured so far)',
  'error': ' (a later step could not run: the steps measured so far)',
};

/** Warm-up of each step of a search unless --warmup is given: steps are many, and each is a run of its own. */
const SEARCH_STEP_WARMUP = '1s';

/** `--find-max-rate`: steps of the ordinary run at rising rates, each with its own run id, keys and cleanup. */
async function findMaxRateCommand(flags: LoadtestFlags): Promise<void> {
  if (!flags.slo) throw new UsageError('--slo', null, '--find-max-rate looks for the highest rate that meets an SLO: give one, e.g. --slo \'p99<5ms\'');
  if (flags.closedLoop) throw new UsageError('--closed-loop', true, '--find-max-rate steps the open-loop rate; leave --closed-loop out');
  for (const [flag, value] of [['--hgrm', flags.hgrm], ['--report', flags.report]] as const) {
    if (value) throw new UsageError(flag, value, 'is written for a single run; with --find-max-rate use --json, which holds every step');
  }
  const base = await resolvedConfig({ ...flags, warmup: flags.warmupGiven ? flags.warmup : SEARCH_STEP_WARMUP });
  const maxRate = parsePositiveInt('--max-rate', flags.maxRate, 10_000_000);
  const startRate = base.rate!;
  if (startRate > maxRate) throw new UsageError('--rate', startRate, `the first step must not exceed --max-rate (${maxRate})`);
  // Each step has its own run id under the key prefix; a second Ctrl-C names the prefix they share.
  const interrupt = onInterrupt(base.keyPrefix, runKeysExpireWithinS(base));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`ectk loadtest --find-max-rate: ${base.profile} against ${describeEndpoint(base.target.endpoint)}, SLO ${flags.slo}`);
  const columns = ['rate ops/s', 'achieved', 'p50 ms', 'p99 ms', 'p99.9 ms', 'service p99', 'sent late p99', 'errors'];
  const widths = [11, 11, 10, 10, 10, 13, 15, 10];
  const row = (cells: string[]) => `  ${cells.map((c, i) => c.padStart(widths[i])).join('')}`;
  out(`${row(columns)}   verdict`);
  try {
    const budgetMs = flags.timeBudget === undefined ? undefined : parsePositiveDuration('--time-budget', flags.timeBudget, 7 * 24 * 3_600_000);
    const result = await findMaxRate({
      slo: flags.slo, startRate, maxRate, precision: 0.1, maxSteps: parsePositiveInt('--steps', flags.steps, 100), signal: interrupt.signal, budgetMs,
    }, async (rate) => {
      const run = await runLoadTest({ ...base, rate, runId: newRunId() }, undefined, interrupt.signal);
      const step = stepOf(rate, run);
      const l = step.latency_ms;
      out(`${row([String(rate), step.achieved_rate.toFixed(1), l.p50.toFixed(3), l.p99.toFixed(3), l.p99_9.toFixed(3), step.service_p99_ms.toFixed(3),
        step.lag_p99_ms.toFixed(3), `${(step.error_rate * 100).toFixed(2)} %`])}   ${step.verdict}`);
      if (run.cleanup_warning) process.stderr.write(`ectk: warning: ${run.cleanup_warning}\n`);
      return step;
    });
    if (result.error !== undefined) process.stderr.write(`ectk: the search stopped: ${result.error}\n`);
    if (result.generator_limited_at !== undefined) {
      process.stderr.write(`ectk: the generator, not the cache, limits at ${result.generator_limited_at} ops/s: add --threads or run it in AWS (LatencySlo capacitySearch)\n`);
    }
    const measured = result.steps.filter((st) => st.verdict !== 'interrupted');
    out(result.max_rate !== null ? `  highest rate that met the SLO: ${result.max_rate} ops/s${STOPPED_BY_NOTE[result.stopped_by]}`
      : measured.length === 0 ? `  no step ran its full window${STOPPED_BY_NOTE[result.stopped_by]}`
        : `  no rate met the SLO (the lowest tried: ${Math.min(...measured.map((st) => st.rate))} ops/s)${STOPPED_BY_NOTE[result.stopped_by]}`);
    // Whatever ended the search, the steps measured so far are written.
    if (flags.json) fs.writeFileSync(flags.json, `${JSON.stringify(result, null, 2)}\n`);
    process.exitCode = interrupt.exitCode() ?? (result.stopped_by === 'error' ? EXIT.unreachable : result.max_rate === null ? EXIT.breached : EXIT.met);
  } finally {
    interrupt.dispose();
  }
}

/** Exit codes after a signal, by the shell's convention: 128 + the signal number. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Ctrl-C or SIGTERM during a run: the first one stops sending and lets the run drain, clean up and report what it
 * measured (then exits 130 or 143); a second one exits at once and says which keys remain and when they expire.
 */
function onInterrupt(runPrefix: string, expireWithinS: number): { signal: AbortSignal; exitCode(): number | undefined; dispose(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (name: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`\nectk: ${name} again: exiting now without cleaning up; keys of this run may remain under ${runPrefix} ` +
        `and expire within ${expireWithinS} s (every one carries a TTL)\n`);
      process.exit(SIGNAL_EXIT[name]);
    }
    received = name;
    process.stderr.write(`\nectk: ${name}: stopping the run, draining requests in flight and deleting its keys ` +
      `(${name === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to exit at once)\n`);
    controller.abort();
  };
  for (const name of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(name, handler);
  return {
    signal: controller.signal,
    exitCode: () => (received ? SIGNAL_EXIT[received] : undefined),
    dispose: () => { for (const name of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.off(name, handler); },
  };
}
