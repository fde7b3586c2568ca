import { Command } from 'commander';
import { EXIT, UnreachableError } from '../catalog/errors';
import { describeEndpoint } from '../client/endpoint';
import { connectOrFail, createClient, errorKind } from '../client/target';
import { parsePositiveInt } from '../util/units';
import { analyzeKeys, KeyAnalysis } from '../ops/analyze';
import { formatNumber, percent, table } from '../ops/format';
import { resolveTarget } from './contract-target';
import { AwsOptions } from '../ops/aws';
import { awsOptions, Io, withAws, writeJson } from './io';
import { targetOf } from './target-of';
import { ttlPolicyFrom } from './ttl-policy-flags';
import { withExamples } from './examples';

/** `ectk analyze`: read-only, paced key analysis on every primary, and the TTL policy check. */
export function analyzeCommand(io: Io): Command {
  return withExamples(withAws(new Command('analyze')), [
    ['ectk analyze --cache ectk-features --region eu-west-1 --sample 20000 --max-ops-per-sec 1000', "keys without TTL, memory by prefix and the biggest keys, held to the cache's TTL policy"],
    ['ectk analyze --endpoint redis://127.0.0.1:6379 --require-ttl --hot-keys', 'any endpoint: every key must have a TTL; the most accessed keys too'],
  ])
    .description('Read-only key analysis on every primary, paced so that it is safe in production: SCAN (never KEYS), TYPE, ' +
      'PTTL and MEMORY USAGE of a sample; keys without TTL and memory by prefix, TTL distribution, biggest keys, and the ' +
      'whole keyspace estimated from the sample with its 95 % margin. With a TTL policy (the contract\'s, or --require-ttl, --max-ttl) ' +
      'it lists the keys that break it. The target is --endpoint, or the cache of --cache / --contract as its contract\'s user; ' +
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
    } & AwsOptions) => {
      const resolved = await resolveTarget(flags, { endpointWithContract: true, aws: awsOptions(flags) });
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
