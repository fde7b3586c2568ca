import * as fs from 'fs';
import * as readline from 'readline/promises';
import { Command } from 'commander';
import { EXIT, UsageError } from '../catalog/errors';
import { CacheFlavour } from '../catalog/metrics';
import { describeEndpoint, parseEndpoint } from '../loadgen/endpoint';
import { UnreachableError } from '../catalog/errors';
import { runLoadTest } from '../loadgen/run';
import { connectOrFail, createClient, errorKind, TargetOptions } from '../loadgen/target';
import { parsePositiveInt } from '../loadgen/units';
import { analyzeKeys, KeyAnalysis } from '../ops/analyze';
import { contractFrom } from './contract-flag';
import { contractNameOf, resolveTarget } from './contract-target';
import { ttlPolicyFrom } from './ttl-policy-flags';
import { AwsClients, awsClients, AwsOptions, CheckFailed } from '../ops/aws';
import type { CacheDescription } from '../ops/describe';
import type { DrillResult, TimelineEntry } from '../ops/failover';
import { runLocalFailoverDrill } from '../ops/failover-local';
import { formatNumber, parseSince, percent, table } from '../ops/format';
import { listRunbooks, readRunbook } from '../ops/runbooks';
import type { AlarmState } from '../ops/watch';

// The AWS operations import the SDK's command classes; they are loaded when a command that calls AWS runs, so that
// `ectk --help` and the Redis-only commands start without the AWS SDK.
const describeOps = () => import('../ops/describe');
const failoverOps = () => import('../ops/failover');
const snapshotOps = () => import('../ops/snapshot');
const watchOps = () => import('../ops/watch');

/** Lets tests hand in clients pointed at an emulator or a mock; the CLI builds them from the AWS flags. */
export type ClientFactory = (o: AwsOptions) => AwsClients;

/** Where the ops commands write and how they ask; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly tty: boolean;
  readonly stdinTty: boolean;
  readonly ask: (question: string) => Promise<string>;
}

function defaultIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    tty: process.stdout.isTTY === true,
    stdinTty: process.stdin.isTTY === true,
    ask: async (q) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try { return await rl.question(q); } finally { rl.close(); }
    },
  };
}

function withAws(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: the standard chain, AWS_REGION or the profile)')
    .option('--profile <name>', 'AWS named profile')
    .option('--endpoint-url <url>', 'AWS API endpoint, for emulators');
}

function awsOptions(flags: { region?: string; profile?: string; endpointUrl?: string }): AwsOptions {
  return { region: flags.region, profile: flags.profile, endpointUrl: flags.endpointUrl };
}

function writeJson(io: Io, file: string | boolean | undefined, value: unknown): boolean {
  if (!file) return false;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (file === true || file === '-') io.out(text);
  else fs.writeFileSync(file, text);
  return file === true || file === '-';
}

function describeCache(c: CacheDescription): string {
  const lines = [
    `${c.name}  ${c.flavour}  ${c.engine} ${c.engineVersion}  status ${c.status}`,
    `  endpoint       ${c.endpoint}${c.readerEndpoint ? `  (reader ${c.readerEndpoint})` : ''}`,
    `  node type      ${c.nodeType ?? '(serverless)'}${c.usageLimits ? `  limits: ${c.usageLimits.dataStorageGb ?? '-'} GB, ${c.usageLimits.ecpuPerSecond ?? '-'} ECPU/s` : ''}`,
    `  Multi-AZ       ${c.multiAz ? 'yes' : 'NO'}   automatic failover ${c.automaticFailover ? 'yes' : 'NO'}`,
    `  encryption     in transit ${c.encryption.inTransit ? 'yes' : 'NO'}, at rest ${c.encryption.atRest ? 'yes' : 'NO'}${c.encryption.kmsKeyId ? ` (${c.encryption.kmsKeyId})` : ''}`,
    `  backups        ${c.backups.retentionDays > 0 ? `kept ${c.backups.retentionDays} days, window ${c.backups.window ?? '-'}` : 'OFF'}`,
    `  user groups    ${c.userGroups.join(', ') || 'none'}`,
    `  eviction       ${c.evictionPolicy ?? '-'}${c.parameterGroup ? `  (parameter group ${c.parameterGroup})` : ''}`,
  ];
  if (c.shards.length > 0) {
    lines.push('', table(['shard', 'node', 'role', 'AZ'], c.shards.flatMap((s) => s.nodes.map((n) => [s.id, n.id, n.role, n.availabilityZone]))));
  }
  return lines.join('\n');
}

function alarmTable(alarms: AlarmState[]): string {
  return table(['alarm', 'state', 'since', 'runbook'], alarms.map((a) => [a.name, a.state, a.since, a.state === 'OK' ? '' : a.runbook]));
}

export function opsCommands(clients: ClientFactory = awsClients, io: Io = defaultIo()): Command[] {
  const status = withAws(new Command('status'))
    .description('Configuration, the last minutes of the catalog metrics and the alarms of a cache.\n' +
      'Exit codes: 0 available and no alarm firing, 1 not available or an alarm in ALARM, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'replication group id or serverless cache name')
    .option('--since <time>', 'metrics window', '15m')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { since: string; json?: string | boolean } & AwsOptions) => {
      const sinceS = parseSince('--since', flags.since);
      const aws = clients(awsOptions(flags));
      const [{ findCache }, { cacheAlarms, cacheMetrics }] = await Promise.all([describeOps(), watchOps()]);
      const cache = await findCache(aws.elasticache, name);
      const [metrics, alarms] = await Promise.all([cacheMetrics(aws.cloudwatch, cache, sinceS), cacheAlarms(aws.cloudwatch, cache.name)]);
      const firing = alarms.filter((a) => a.state === 'ALARM');
      const healthy = cache.status === 'available' && firing.length === 0;
      const toStdout = writeJson(io, flags.json, { cache, metrics, alarms, healthy });
      if (!toStdout) {
        io.out(`${describeCache(cache)}\n\nmetrics over the last ${flags.since}\n`);
        io.out(`${table(['metric', 'node', 'statistic', 'latest', 'worst', 'points'], metrics.map((m) => [m.metric, m.dimensionValue, m.statistic, formatNumber(m.latest), formatNumber(m.worst), m.datapoints]))}\n`);
        io.out(`\nalarms (${alarms.length}, ${firing.length} in ALARM)\n${alarms.length ? alarmTable(alarms) : 'none found with the prefix ' + cache.name + '-'}\n`);
      }
      process.exitCode = healthy ? EXIT.met : EXIT.breached;
    });

  const alarms = withAws(new Command('alarms'))
    .description('The alarms of a cache: state, reason, since when, runbook; state history on request.\n' +
      'Exit codes: 0 none in ALARM, 1 at least one in ALARM, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'cache name (alarms are named <name>-<alarm id>)')
    .option('--history <time>', 'also list state changes in this window, e.g. 24h')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { history?: string; json?: string | boolean } & AwsOptions) => {
      const historyS = flags.history ? parseSince('--history', flags.history) : undefined;
      const aws = clients(awsOptions(flags));
      const { alarmHistory, cacheAlarms } = await watchOps();
      const list = await cacheAlarms(aws.cloudwatch, name);
      const history = historyS ? await alarmHistory(aws.cloudwatch, list.map((a) => a.name), historyS) : undefined;
      const toStdout = writeJson(io, flags.json, { alarms: list, history });
      if (!toStdout) {
        io.out(`${list.length ? alarmTable(list) : `no alarms named ${name}-*`}\n`);
        for (const a of list.filter((x) => x.state !== 'OK')) io.out(`\n${a.name}: ${a.reason}\n`);
        if (history) io.out(`\nstate changes in the last ${flags.history}\n${table(['at', 'alarm', 'change'], history.map((h) => [h.at, h.alarm, h.summary]))}\n`);
      }
      process.exitCode = list.some((a) => a.state === 'ALARM') ? EXIT.breached : EXIT.met;
    });

  const snapshot = withAws(new Command('snapshot'))
    .description('Take a manual backup (CreateSnapshot for a replication group, CreateServerlessCacheSnapshot for serverless).\n' +
      'Refuses when the day\'s manual-backup quota is used: 20 per node, 24 per serverless cache.\n' +
      'Exit codes: 0 started (or available with --wait), 1 refused or failed, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'replication group id or serverless cache name')
    .option('--name <snapshot>', 'snapshot name (default <cache>-manual-<UTC time>)')
    .option('--wait', 'wait until the snapshot is available, showing progress')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { name?: string; wait?: boolean; json?: string | boolean } & AwsOptions) => {
      const aws = clients(awsOptions(flags));
      const [{ findCache }, { createSnapshot, defaultSnapshotName, waitForSnapshot }] = await Promise.all([describeOps(), snapshotOps()]);
      const cache = await findCache(aws.elasticache, name);
      const snapshotName = flags.name ?? defaultSnapshotName(cache.name);
      let state = await createSnapshot(aws.elasticache, cache, snapshotName);
      if (!flags.json) io.out(`snapshot ${snapshotName} of ${cache.name}: ${state.status}\n`);
      if (flags.wait) {
        state = await waitForSnapshot(aws.elasticache, cache, snapshotName, {
          onPoll: (s, ms) => { if (io.tty && !flags.json) io.err(`\r  ${s.status} after ${Math.round(ms / 1000)} s   `); },
        });
        if (io.tty && !flags.json) io.err('\n');
        if (!flags.json) io.out(`snapshot ${snapshotName}: ${state.status}\n`);
      }
      writeJson(io, flags.json, { cache: cache.name, snapshot: state });
      process.exitCode = EXIT.met;
    });

  const drill = withAws(new Command('failover-drill'))
    .description('Fail one shard over on purpose and time it: preflight (available, Multi-AZ, a replica, TestFailover budget),\n' +
      'confirmation, TestFailover, then the timeline until the shard has a new primary and the group is available.\n' +
      'Name the replication group, or its cache with --cache / --contract (the contract also gives --loadtest its target and user).\n' +
      'With --endpoint and --cluster the same drill runs against any Redis Cluster you can reach (CLUSTER FAILOVER).\n' +
      'Exit codes: 0 completed, 1 preflight failed or the failover did not complete, 2 usage, 3 AWS or network error.')
    .argument('[group]', 'replication group id (AWS drill)')
    .requiredOption('--shard <id>', 'shard (node group) id, e.g. 0001')
    .option('--cache <name>', 'instead of the group: the cache whose contract (SSM parameter /ectk/<name>/connection) names it')
    .option('--contract <file-or-parameter>', 'instead of the group: a connection contract (JSON file or SSM parameter name)')
    .option('--user <name>', 'with --cache or --contract: the contract\'s user that --loadtest connects as (default: its only one)')
    .option('--yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--endpoint <url>', 'local drill: a cluster node, redis[s]://[user:pass@]host:port')
    .option('--cluster', 'local drill: the endpoint is a Redis Cluster (required with --endpoint)')
    .option('--loadtest [url]', 'run the load generator during the drill and report client-visible errors: against this endpoint, or without one against the contract\'s cache as its user (keys under ectk:drill:)')
    .option('--loadtest-duration <seconds>', 'length of that load', '20')
    .option('--timeout <seconds>', 'give up following the failover after this long', '1800')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (groupArg: string | undefined, flags: {
      shard: string; cache?: string; contract?: string; user?: string; yes?: boolean; endpoint?: string; cluster?: boolean;
      loadtest?: string | boolean; loadtestDuration: string; timeout: string; json?: string | boolean;
    } & AwsOptions) => {
      const named = flags.cache !== undefined || flags.contract !== undefined;
      if (groupArg && named) throw new UsageError(flags.cache !== undefined ? '--cache' : '--contract', flags.cache ?? flags.contract, 'name the replication group or its cache, not both');
      if (flags.endpoint && named) throw new UsageError('--endpoint', flags.endpoint, 'a local drill has no contract; leave out --cache and --contract');
      if (!flags.endpoint && !groupArg && !named) throw new UsageError('group', null, 'name a replication group (or its cache with --cache), or use --endpoint with --cluster for a local drill');
      if (flags.endpoint && !flags.cluster) throw new UsageError('--cluster', false, 'a local drill needs a Redis Cluster: add --cluster');
      if (flags.loadtest === true && !named) throw new UsageError('--loadtest', true, 'give the endpoint to load (--loadtest redis[s]://...), or a contract (--cache, --contract) to load its cache');
      // Every flag is checked before anything is called.
      const timeoutMs = parsePositiveInt('--timeout', flags.timeout, 86_400) * 1000;
      const loadSeconds = parsePositiveInt('--loadtest-duration', flags.loadtestDuration, 3600);
      const loadEndpoint = typeof flags.loadtest === 'string' ? parseEndpoint(flags.loadtest, '--loadtest') : undefined;
      // A user is picked only for the load: the cache's SSM contract lists every user, and the drill itself needs none.
      const resolved = named && flags.loadtest === true ? await resolveTarget({ cache: flags.cache, contract: flags.contract, user: flags.user }) : undefined;
      const contractName = contractNameOf(flags);
      const contract = resolved?.contract ?? (contractName !== undefined ? await contractFrom(contractName) : undefined);
      if (contract?.flavour === CacheFlavour.SERVERLESS) {
        throw new UsageError(flags.cache !== undefined ? '--cache' : '--contract', flags.cache ?? flags.contract, `a node-based cache: ${contract.cacheName} is serverless, which has no shards to fail over`);
      }
      const group = groupArg ?? contract?.cacheName;
      const loadTarget: TargetOptions | undefined = loadEndpoint
        ? { endpoint: loadEndpoint, cluster: flags.cluster ?? true, timeoutMs: 2000 }
        : flags.loadtest && resolved ? { endpoint: parseEndpoint(resolved.endpoint), cluster: true, timeoutMs: 2000, passwordSource: resolved.passwordSource } : undefined;
      const target = flags.endpoint ? targetOf(flags.endpoint, true) : undefined;
      const what = target ? `shard ${flags.shard} of the cluster at ${flags.endpoint}` : `shard ${flags.shard} of ${group}`;
      // Refused before anything is called: with no terminal there is nobody to confirm.
      if (!flags.yes && !io.stdinTty) throw new UsageError('--yes', false, 'stdin is not a terminal, so there is nobody to confirm; pass --yes to run the drill');
      let aws: AwsClients | undefined;
      const failover = target ? undefined : await failoverOps();
      if (failover) {
        aws = clients(awsOptions(flags));
        const pre = await failover.preflight(aws.elasticache, group!, flags.shard);
        if (!flags.json) io.out(`${table(['preflight', 'ok', 'detail'], pre.checks.map((c) => [c.check, c.ok ? 'yes' : 'NO', c.detail]))}\n`);
        if (!pre.ok) throw new CheckFailed(`preflight failed: ${pre.checks.filter((c) => !c.ok).map((c) => c.check).join(', ')}`);
      }
      if (!flags.yes) {
        const answer = await io.ask(`Fail over ${what}? Clients of that shard see errors for a few seconds. Type "yes": `);
        if (answer.trim() !== 'yes') throw new CheckFailed('not confirmed; nothing was changed');
      }
      const onEntry = (e: TimelineEntry) => { if (!flags.json) io.out(`  +${e.offset_s.toFixed(2).padStart(8)} s  ${e.message}\n`); };
      const load = loadTarget ? startLoad(loadTarget, loadSeconds) : undefined;
      // Two seconds of load before the failover; a load that cannot start (unreachable, a user without the commands)
      // stops the drill here, before anything is failed over.
      if (load) await Promise.race([load.then(() => { throw new CheckFailed('the load ended before the drill started'); }), new Promise((r) => setTimeout(r, 2000))]);
      const drillStart = Date.now();
      const result: DrillResult = target
        ? await runLocalFailoverDrill(target, flags.shard, { timeoutMs, onEntry })
        : await failover!.runFailoverDrill(aws!.elasticache, group!, flags.shard, { timeoutMs, onEntry });
      const loadResult = load ? await load.then((r) => loadSummary(r, load.startedAt, drillStart)) : undefined;
      const toStdout = writeJson(io, flags.json, { ...result, load: loadResult });
      if (!toStdout) {
        io.out(`${result.completed ? 'completed' : 'NOT completed'} in ${result.duration_s} s${result.failover_s !== null ? `; new primary after ${result.failover_s} s` : ''}\n`);
        if (loadResult) {
          io.out(`load during the drill: ${loadResult.ops} requests, ${loadResult.errors} errors ${JSON.stringify(loadResult.errors_by_kind)}; ` +
            `${loadResult.recovered_after_s === null ? 'no client-visible errors' : `clients recovered ${loadResult.recovered_after_s} s after the drill started`}; ` +
            `${loadResult.keys_deleted ?? 0} keys of the load deleted\n`);
          if (loadResult.cleanup_warning) io.err(`ectk: warning: ${loadResult.cleanup_warning}\n`);
        }
      }
      process.exitCode = result.completed ? EXIT.met : EXIT.breached;
    });

  const analyze = new Command('analyze')
    .description('Read-only key analysis on every primary, paced so that it is safe in production: SCAN (never KEYS), TYPE,\n' +
      'PTTL and MEMORY USAGE of a sample; keys without TTL and memory by prefix, TTL distribution, biggest keys, and the\n' +
      'whole keyspace estimated from the sample with its 95 % margin. With a TTL policy (the contract\'s, or --require-ttl, --max-ttl)\n' +
      'it lists the keys that break it. The target is --endpoint, or the cache of --cache / --contract as its contract\'s user;\n' +
      '--endpoint with --cache or --contract connects to the endpoint given (a tunnel, say) and checks the contract\'s TTL policy.\n' +
      'Exit codes: 0 done, 1 TTL policy broken, 2 usage, 3 unreachable.')
    .option('--endpoint <url>', 'redis[s]://[user:pass@]host:port')
    .option('--cache <name>', 'the cache whose contract (SSM parameter /ectk/<name>/connection, standard credential chain) gives endpoint, user, auth and TTL policy')
    .option('--contract <file-or-parameter>', 'the same from a contract: a JSON file (or `aws ssm get-parameter` output), or an SSM parameter name')
    .option('--user <name>', 'with --cache or --contract: which of the contract\'s users to connect as (default: its only one)')
    .option('--cluster', 'cluster mode: analyze every primary (a contract\'s cache always is)')
    .option('--sample <n>', 'keys to sample', '10000')
    .option('--max-ops-per-sec <n>', 'commands per second, all primaries together', '2000')
    .option('--prefix-depth <n>', 'key segments (split at ":") that make a prefix', '1')
    .option('--top <n>', 'biggest keys (and hot keys, and top slots) to list', '10')
    .option('--hot-keys', 'the most accessed keys of the sample, by their LFU counters (OBJECT FREQ; needs an LFU eviction policy)')
    .option('--slots', 'load per shard and the slots behind it (CLUSTER SLOT-STATS, Valkey 8+; CPU per slot with cluster-slot-stats-enabled)')
    .option('--require-ttl', 'report keys without a TTL as breaking the policy (when no contract gives one)')
    .option('--max-ttl <duration>', 'report keys whose TTL is above this, e.g. 1d or 6h (when no contract gives one)')
    .option('--tls-ca <file>', 'CA bundle for rediss:// endpoints')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (flags: {
      endpoint?: string; cache?: string; contract?: string; user?: string; cluster?: boolean; sample: string; maxOpsPerSec: string; prefixDepth: string;
      top: string; hotKeys?: boolean; slots?: boolean; requireTtl?: boolean; maxTtl?: string; tlsCa?: string; tlsInsecure?: boolean; json?: string | boolean;
    }) => {
      const resolved = await resolveTarget(flags, { endpointWithContract: true });
      const target = { ...targetOf(resolved.endpoint, resolved.cluster, flags.tlsCa, flags.tlsInsecure), passwordSource: resolved.passwordSource };
      const options = {
        sample: parsePositiveInt('--sample', flags.sample, 10_000_000), maxOpsPerSec: parsePositiveInt('--max-ops-per-sec', flags.maxOpsPerSec, 1_000_000),
        prefixDepth: parsePositiveInt('--prefix-depth', flags.prefixDepth, 16), top: parsePositiveInt('--top', flags.top, 1000), scanCount: 100,
        hotKeys: flags.hotKeys, slots: flags.slots, ttlPolicy: ttlPolicyFrom(flags, resolved.contract),
      };
      const client = createClient(target);
      await connectOrFail(client, target);
      try {
        const report = await analyzeKeys(client, options).catch((e: Error) => {
          // Say which target was lost, in the toolkit's words, rather than the client library's ("Connection is closed.").
          const kind = errorKind(e);
          if (kind !== 'connection' && kind !== 'timeout') throw e;
          throw new UnreachableError(`lost the connection to ${describeEndpoint(target.endpoint)}${target.cluster ? ' (cluster mode)' : ''} during the analysis ` +
            `(${kind}: ${e.message}); nothing was changed, run it again when the cache answers`);
        });
        if (!writeJson(io, flags.json, report)) io.out(`${formatAnalysis(report)}\n`);
        // A broken TTL policy is a finding, like a breached SLO: exit 1.
        process.exitCode = report.ttl_policy?.broken ? EXIT.breached : EXIT.met;
      } finally {
        await client.quit().catch(() => client.disconnect());
      }
    });

  const runbook = new Command('runbook')
    .description('List the runbooks, or print one.')
    .argument('[id]', 'runbook (alarm) id, e.g. memory-high')
    .action((id?: string) => {
      if (id) io.out(readRunbook(id));
      else io.out(`${table(['runbook', 'severity', 'what fired'], listRunbooks().map((r) => [r.id, r.severity, r.title.length > 90 ? `${r.title.slice(0, 87)}...` : r.title]))}\n`);
      process.exitCode = EXIT.met;
    });

  return [status, alarms, snapshot, drill, analyze, runbook];
}

function targetOf(endpoint: string, cluster: boolean, tlsCaFile?: string, tlsInsecure?: boolean): TargetOptions {
  return { endpoint: parseEndpoint(endpoint), cluster, tlsCaFile, tlsInsecure, timeoutMs: 2000 };
}

type LoadRun = Promise<Awaited<ReturnType<typeof runLoadTest>>> & { startedAt: number };

function startLoad(target: TargetOptions, seconds: number): LoadRun {
  const startedAt = Date.now();
  const run = runLoadTest({
    target, profile: 'get-set', rate: 500, closedLoop: false, poisson: false, connections: 2, pipeline: 1,
    threads: 1, warmupMs: 0, durationMs: seconds * 1000, keyPrefix: 'ectk:drill:', keyspace: 1000, keyPattern: 'uniform',
    valueSize: [100, 100], ttlSeconds: 600, ttlJitter: 0.1, ratio: [1, 10], keepData: false,
  });
  return Object.assign(run, { startedAt });
}

/** Client-visible effect of the drill: errors by kind and the seconds from the drill's start to the last error. */
export function loadSummary(r: Awaited<ReturnType<typeof runLoadTest>>, loadStartedAt: number, drillStartedAt: number) {
  const errorSeconds = r.series.filter((s) => s.errors > 0).map((s) => s.second);
  const drillSecond = (drillStartedAt - loadStartedAt) / 1000;
  const last = errorSeconds.length ? Math.max(...errorSeconds) : null;
  return {
    ops: r.ops, errors: r.errors, errors_by_kind: r.errors_by_kind, error_seconds: errorSeconds,
    recovered_after_s: last === null ? null : Math.max(0, Math.round((last - drillSecond) * 10) / 10),
    keys_deleted: r.keys_deleted, ...(r.cleanup_warning ? { cleanup_warning: r.cleanup_warning } : {}),
  };
}

function formatAnalysis(a: KeyAnalysis): string {
  const pct = percent;
  return [
    `${a.total_keys} keys on ${a.primaries} primar${a.primaries === 1 ? 'y' : 'ies'}; sampled ${a.sampled} with ${a.commands} commands in ${a.duration_s} s (${a.ops_per_sec}/s)`,
    `estimate for the whole keyspace: memory ${formatNumber(a.estimate.memory_bytes)}B ± ${formatNumber(a.estimate.memory_bytes_error)}B, ` +
      `without TTL ${pct(a.estimate.no_ttl_share)} ± ${pct(a.estimate.no_ttl_share_error)} (~${a.estimate.no_ttl_keys} keys)`,
    '',
    table(['TTL', 'keys'], [['none', a.ttl.none], ['< 1 min', a.ttl.under_1m], ['1 min - 1 h', a.ttl['1m_1h']], ['1 h - 1 day', a.ttl['1h_1d']], ['> 1 day', a.ttl.over_1d]]),
    '',
    table(['prefix', 'sampled keys', 'bytes', 'without TTL'], a.prefixes.map((p) => [p.prefix, p.keys, p.bytes, p.no_ttl])),
    '',
    table(['biggest keys', 'type', 'bytes', 'TTL ms'], a.biggest.map((b) => [b.key, b.type, b.bytes, b.ttl_ms])),
    ...(a.hot_keys ? ['', a.hot_keys.available
      ? table(['hot keys (LFU counter)', 'frequency', 'node'], a.hot_keys.keys.map((k) => [k.key, k.freq, k.node]))
      : `hot keys: not available: ${a.hot_keys.reason}`] : []),
    ...(a.slots ? ['', a.slots.available
      ? [
        table(['shard (primary)', 'slots', 'keys', 'CPU µs', `share of ${a.slots.measured_by}`, ''],
          a.slots.shards.map((s) => [s.node, s.slots, s.keys, s.cpu_usec ?? '-', pct(s.share), s.hot ? 'HOT' : ''])),
        '',
        table(['top slots', 'node', 'keys', 'CPU µs'], a.slots.top_slots.map((s) => [s.slot, s.node, s.keys, s.cpu_usec ?? '-'])),
      ].join('\n')
      : `slots: not available: ${a.slots.reason}`] : []),
    ...(a.ttl_policy ? ['', formatPolicy(a.ttl_policy)] : []),
  ].join('\n');
}

function formatPolicy(p: NonNullable<KeyAnalysis['ttl_policy']>): string {
  const rules = [p.require_ttl ? 'every key has a TTL' : '', p.max_ttl_s !== null ? `no TTL above ${p.max_ttl_s} s` : ''].filter(Boolean).join(', ');
  const head = `TTL policy (${p.source}: ${rules}): ${p.broken ? `BROKEN by ${p.no_ttl_keys} sampled key(s) without TTL and ${p.over_max_keys} above the maximum` : 'kept by every sampled key'}`;
  return p.examples.length === 0 ? head : `${head}\n${table(['breaking keys', 'breaks', 'TTL ms', 'bytes'], p.examples.map((e) => [e.key, e.breaks, e.ttl_ms, e.bytes]))}`;
}
