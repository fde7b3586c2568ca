import { Command } from 'commander';
import { EXIT, UsageError } from '../catalog/errors';
import { CacheFlavour } from '../catalog/metrics';
import { parseEndpoint } from '../client/endpoint';
import { runLoadTest } from '../loadgen/run';
import { TargetOptions } from '../client/target';
import { parseSeconds } from '../util/units';
import { AwsClients, AwsOptions, CheckFailed } from '../ops/aws';
import type { DrillResult, TimelineEntry } from '../ops/failover';
import { runLocalFailoverDrill } from '../ops/failover-local';
import { table } from '../ops/format';
import { contractFrom } from './contract-flag';
import { contractNameOf, resolveTarget } from './contract-target';
import { awsOptions, ClientFactory, Io, withAws, writeJson } from './io';
import { targetOf } from './target-of';
import { withExamples } from './examples';

const failoverOps = () => import('../ops/failover');
const globalFailoverOps = () => import('../ops/global-failover');

/** `ectk failover-drill`: fail one shard over on purpose (TestFailover, or CLUSTER FAILOVER locally) and time it. */
export function failoverDrillCommand(clients: ClientFactory, io: Io): Command {
  return withExamples(withAws(new Command('failover-drill')), [
    ['ectk failover-drill --cache ectk-features --shard 0001 --loadtest', 'fail shard 0001 over with a load on the cache during the drill'],
    ['ectk failover-drill --endpoint redis://127.0.0.1:7000 --cluster --shard 0001 --yes', 'the same drill on a Redis Cluster you can reach, without the prompt'],
    ['ectk failover-drill --global ldgnf-sessions --promote sessions-eu --promote-region eu-west-1 --region eu-west-1', 'promote a Global Datastore secondary to primary'],
  ])
    .description('Fail one shard over on purpose and time it: preflight (available, Multi-AZ, a replica, TestFailover budget), ' +
      'confirmation, TestFailover, then the timeline until the shard has a new primary and the group is available.\n' +
      'Name the replication group, or its cache with --cache / --contract (the contract also gives --loadtest its target and user).\n' +
      'With --endpoint and --cluster the same drill runs against any Redis Cluster you can reach (CLUSTER FAILOVER).\n' +
      'With --global, --promote and --promote-region it promotes a Global Datastore secondary to primary (FailoverGlobalReplicationGroup) ' +
      'and follows the global datastore until that member is the primary.\n' +
      'Exit codes: 0 completed, 1 preflight failed or the failover did not complete, 2 usage, 3 AWS or network error.')
    .argument('[group]', 'replication group id (AWS drill)')
    .option('--shard <id>', 'shard (node group) id, e.g. 0001 (every drill but --global)')
    .option('--global <id>', 'Global Datastore drill: the global datastore id (with its Region prefix, e.g. ldgnf-sessions)')
    .option('--promote <group>', 'with --global: the secondary replication group to promote to primary')
    .option('--promote-region <region>', 'with --global: the Region of that secondary')
    .option('--cache <name>', 'instead of the group: the cache whose contract (SSM parameter /ectk/<name>/connection) names it')
    .option('--contract <file-or-parameter>', 'instead of the group: a connection contract (JSON file or SSM parameter name)')
    .option('--user <name>', 'with --cache or --contract: the contract\'s user that --loadtest connects as (default: its only one)')
    .option('--yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--endpoint <url>', 'local drill: a cluster node, redis[s]://[user:pass@]host:port')
    .option('--cluster', 'local drill: the endpoint is a Redis Cluster (required with --endpoint)')
    .option('--loadtest [url]', 'run the load generator during the drill and report client-visible errors: against this endpoint, or without one against the contract\'s cache as its user (keys under ectk:drill:)')
    .option('--loadtest-duration <time>', 'length of that load', '20s')
    .option('--timeout <time>', 'give up following the failover after this long', '30m')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (groupArg: string | undefined, flags: {
      shard?: string; global?: string; promote?: string; promoteRegion?: string; cache?: string; contract?: string; user?: string; yes?: boolean; endpoint?: string; cluster?: boolean;
      loadtest?: string | boolean; loadtestDuration: string; timeout: string; json?: string | boolean;
    } & AwsOptions) => {
      if (flags.global !== undefined) return globalDrill(clients, io, groupArg, flags);
      if (flags.shard === undefined) throw UsageError.missing('--shard', 'name the shard to fail over, e.g. --shard 0001 (or use --global for a Global Datastore)');
      const shard = flags.shard;
      const named = flags.cache !== undefined || flags.contract !== undefined;
      if (groupArg && named) throw new UsageError(flags.cache !== undefined ? '--cache' : '--contract', flags.cache ?? flags.contract, 'name the replication group or its cache, not both');
      if (flags.endpoint && named) throw new UsageError('--endpoint', flags.endpoint, 'a local drill has no contract; leave out --cache and --contract');
      if (!flags.endpoint && !groupArg && !named) throw new UsageError('group', null, 'name a replication group (or its cache with --cache), or use --endpoint with --cluster for a local drill');
      if (flags.endpoint && !flags.cluster) throw new UsageError('--cluster', false, 'a local drill needs a Redis Cluster: add --cluster');
      if (flags.loadtest === true && !named) throw new UsageError('--loadtest', true, 'give the endpoint to load (--loadtest redis[s]://...), or a contract (--cache, --contract) to load its cache');
      // Every flag is checked before anything is called.
      const timeoutMs = parseSeconds('--timeout', flags.timeout, 86_400_000) * 1000;
      const loadSeconds = parseSeconds('--loadtest-duration', flags.loadtestDuration, 3_600_000);
      const loadEndpoint = typeof flags.loadtest === 'string' ? parseEndpoint(flags.loadtest, '--loadtest') : undefined;
      // A user is picked only for the load: the cache's SSM contract lists every user, and the drill itself needs none.
      const resolved = named && flags.loadtest === true ? await resolveTarget({ cache: flags.cache, contract: flags.contract, user: flags.user }, { aws: awsOptions(flags) }) : undefined;
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
      const what = target ? `shard ${shard} of the cluster at ${flags.endpoint}` : `shard ${shard} of ${group}`;
      // Refused before anything is called: with no terminal there is nobody to confirm.
      if (!flags.yes && !io.stdinTty) throw new UsageError('--yes', false, 'stdin is not a terminal, so there is nobody to confirm; pass --yes to run the drill');
      let aws: AwsClients | undefined;
      const failover = target ? undefined : await failoverOps();
      if (failover) {
        aws = clients(awsOptions(flags));
        const pre = await failover.preflight(aws.elasticache, group!, shard);
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
        ? await runLocalFailoverDrill(target, shard, { timeoutMs, onEntry })
        : await failover!.runFailoverDrill(aws!.elasticache, group!, shard, { timeoutMs, onEntry });
      const loadResult = load ? await load.then((r) => loadSummary(r, load.startedAt, drillStart)) : undefined;
      reportDrill(io, flags.json, result, loadResult);
    });
}

/** `--global`: promote a Global Datastore secondary, with the regional drill's preflight, confirmation and load. */
async function globalDrill(clients: ClientFactory, io: Io, groupArg: string | undefined, flags: {
  shard?: string; global?: string; promote?: string; promoteRegion?: string; cache?: string; contract?: string; endpoint?: string; yes?: boolean;
  loadtest?: string | boolean; loadtestDuration: string; timeout: string; json?: string | boolean;
} & AwsOptions): Promise<void> {
  const conflicting: Array<[string, unknown]> = [['group', groupArg], ['--shard', flags.shard], ['--cache', flags.cache], ['--contract', flags.contract], ['--endpoint', flags.endpoint]];
  const conflict = conflicting.find(([, v]) => v !== undefined);
  if (conflict) throw new UsageError(conflict[0], conflict[1], 'a --global drill names the global datastore and the secondary to promote (--promote, --promote-region), nothing else');
  if (flags.promote === undefined) throw UsageError.missing('--promote', 'the secondary replication group to promote, e.g. --promote sessions-eu');
  if (flags.promoteRegion === undefined) throw UsageError.missing('--promote-region', 'the Region of that secondary, e.g. --promote-region eu-west-1');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(flags.promoteRegion)) throw new UsageError('--promote-region', flags.promoteRegion, 'an AWS Region code, e.g. eu-west-1');
  if (flags.loadtest === true) throw new UsageError('--loadtest', true, 'give the endpoint to load during the promotion (--loadtest rediss://...)');
  const timeoutMs = parseSeconds('--timeout', flags.timeout, 86_400_000) * 1000;
  const loadSeconds = parseSeconds('--loadtest-duration', flags.loadtestDuration, 3_600_000);
  const loadEndpoint = typeof flags.loadtest === 'string' ? parseEndpoint(flags.loadtest, '--loadtest') : undefined;
  if (!flags.yes && !io.stdinTty) throw new UsageError('--yes', false, 'stdin is not a terminal, so there is nobody to confirm; pass --yes to run the drill');
  const promote = { replicationGroupId: flags.promote, region: flags.promoteRegion };
  const ops = await globalFailoverOps();
  const aws = clients(awsOptions(flags));
  const pre = await ops.globalPreflight(aws.elasticache, flags.global!, promote);
  if (!flags.json) io.out(`${table(['preflight', 'ok', 'detail'], pre.checks.map((c) => [c.check, c.ok ? 'yes' : 'NO', c.detail]))}\n`);
  if (!pre.ok) throw new CheckFailed(`preflight failed: ${pre.checks.filter((c) => !c.ok).map((c) => c.check).join(', ')}`);
  if (!flags.yes) {
    const answer = await io.ask(`Promote ${promote.replicationGroupId} in ${promote.region} to primary of ${flags.global}? Writes to the old primary ` +
      'fail until clients move, and writes it has not replicated yet are lost. Type "yes": ');
    if (answer.trim() !== 'yes') throw new CheckFailed('not confirmed; nothing was changed');
  }
  const onEntry = (e: TimelineEntry) => { if (!flags.json) io.out(`  +${e.offset_s.toFixed(2).padStart(8)} s  ${e.message}\n`); };
  const load = loadEndpoint ? startLoad({ endpoint: loadEndpoint, cluster: true, timeoutMs: 2000 }, loadSeconds) : undefined;
  if (load) await Promise.race([load.then(() => { throw new CheckFailed('the load ended before the drill started'); }), new Promise((r) => setTimeout(r, 2000))]);
  const drillStart = Date.now();
  const result = await ops.runGlobalFailover(aws.elasticache, flags.global!, promote, { timeoutMs, onEntry });
  const loadResult = load ? await load.then((r) => loadSummary(r, load.startedAt, drillStart)) : undefined;
  reportDrill(io, flags.json, result, loadResult);
}

/** The drill's result as JSON or as text, and its exit code: 0 completed, 1 not. */
function reportDrill(io: Io, json: string | boolean | undefined, result: DrillResult, loadResult: ReturnType<typeof loadSummary> | undefined): void {
  const toStdout = writeJson(io, json, { ...result, load: loadResult });
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
