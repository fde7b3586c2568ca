import { Cluster, Redis } from 'ioredis';
import { Client, primaries } from '../client/target';
import {
  hottest, HotKeys, isLfu, maxmemoryPolicy, noFrequencyReason, parseSlotStats, rangesOf, shardLoads, SlotReport,
} from './hotspots';

export interface AnalyzeOptions {
  /** Keys to sample over the whole keyspace (spread over the primaries by their key counts). */
  readonly sample: number;
  /** Commands per second, over all primaries: SCAN, TYPE, PTTL and MEMORY USAGE each count one. */
  readonly maxOpsPerSec: number;
  /** COUNT hint of each SCAN. */
  readonly scanCount: number;
  /** Key segments (split at ':') that make a prefix. */
  readonly prefixDepth: number;
  /** Biggest keys to list (and hot keys, and top slots). */
  readonly top: number;
  /** List the most accessed keys of the sample by their LFU counters (OBJECT FREQ). */
  readonly hotKeys?: boolean;
  /** Load per shard and the slots behind it (CLUSTER SLOT-STATS, Valkey 8+). */
  readonly slots?: boolean;
  /** Check the sample against a TTL policy: keys without a TTL under `requireTtl`, keys whose TTL exceeds the maximum. */
  readonly ttlPolicy?: TtlPolicyCheck;
}

/** What `ectk analyze` holds keys to: from the cache's contract, or `--require-ttl` / `--max-ttl`. */
export interface TtlPolicyCheck {
  readonly requireTtl: boolean;
  readonly maxTtlSeconds?: number;
  /** Where the policy came from, for the report: `contract <source>` or `flags`. */
  readonly source: string;
}

/** The sampled keys that break the TTL policy (exact when the sample covers the keyspace). */
export interface TtlPolicyReport {
  readonly source: string;
  readonly require_ttl: boolean;
  readonly max_ttl_s: number | null;
  readonly no_ttl_keys: number;
  readonly over_max_keys: number;
  readonly broken: boolean;
  /** Up to `top` of them, biggest first. */
  readonly examples: Array<{ readonly key: string; readonly ttl_ms: number; readonly bytes: number; readonly breaks: 'no-ttl' | 'over-max' }>;
}

export interface PrefixFigures { readonly prefix: string; readonly keys: number; readonly bytes: number; readonly no_ttl: number }

/** The `--json` document of `ectk analyze` (field names are stable). */
export interface KeyAnalysis {
  readonly primaries: number;
  readonly total_keys: number;
  readonly sampled: number;
  readonly commands: number;
  readonly duration_s: number;
  readonly ops_per_sec: number;
  /** TTL distribution of the sample. */
  readonly ttl: { readonly none: number; readonly under_1m: number; readonly '1m_1h': number; readonly '1h_1d': number; readonly over_1d: number };
  /** By prefix, most memory first: sampled keys, their bytes, and how many have no TTL. */
  readonly prefixes: PrefixFigures[];
  readonly biggest: Array<{ readonly key: string; readonly type: string; readonly bytes: number; readonly ttl_ms: number }>;
  /** The sample scaled to the whole keyspace, with 95 % confidence half-widths (finite-population corrected). */
  readonly estimate: {
    readonly memory_bytes: number; readonly memory_bytes_error: number;
    readonly no_ttl_share: number; readonly no_ttl_share_error: number; readonly no_ttl_keys: number;
  };
  /** With `--hot-keys`. */
  readonly hot_keys?: HotKeys;
  /** With `--slots`. */
  readonly slots?: SlotReport;
  /** With a TTL policy (`--contract`, `--require-ttl`, `--max-ttl`). */
  readonly ttl_policy?: TtlPolicyReport;
}

const nodeName = (node: Redis) => `${node.options.host}:${node.options.port}`;

export function prefixOf(key: string, depth: number): string {
  const parts = key.split(':');
  if (parts.length <= depth) return '(no prefix)';
  return `${parts.slice(0, depth).join(':')}:`;
}

/** A pacer that keeps commands at or under a rate: each batch waits until its share of time has passed. */
class Pacer {
  private sent = 0;
  private readonly started = Date.now();
  constructor(private readonly perSecond: number) {}
  public get count(): number { return this.sent; }
  public async take(n: number): Promise<void> {
    this.sent += n;
    const due = this.started + (this.sent / this.perSecond) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/**
 * Read-only key analysis: SCAN (never KEYS) on every primary, then TYPE, PTTL and MEMORY USAGE of each sampled key,
 * paced to `maxOpsPerSec` so that it is safe on a production cache. Writes nothing.
 */
export async function analyzeKeys(client: Client, o: AnalyzeOptions): Promise<KeyAnalysis> {
  const started = Date.now();
  const pacer = new Pacer(o.maxOpsPerSec);
  const nodes = primaries(client);
  const sizes: number[] = [];
  for (const node of nodes) {
    await pacer.take(1);
    sizes.push(await node.dbsize());
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  // OBJECT FREQ answers only under an LFU policy: ask the policy first, and count accesses only where it can.
  let policy: string | null = null;
  if (o.hotKeys) {
    await pacer.take(1);
    policy = await maxmemoryPolicy(nodes[0]);
  }
  const withFreq = o.hotKeys === true && isLfu(policy);
  const perKey = withFreq ? 4 : 3;
  const freqs: Array<{ key: string; freq: number; node: string }> = [];
  const samples: Array<{ key: string; type: string; ttl: number; bytes: number }> = [];
  for (const [i, node] of nodes.entries()) {
    const quota = total === 0 ? 0 : Math.min(sizes[i], Math.ceil((o.sample * sizes[i]) / total));
    let taken = 0;
    let cursor = '0';
    do {
      await pacer.take(1);
      const [next, keys] = await node.scan(cursor, 'COUNT', o.scanCount);
      cursor = next;
      const batch = keys.slice(0, quota - taken);
      if (batch.length > 0) {
        await pacer.take(batch.length * perKey);
        const pipeline = node.pipeline();
        for (const key of batch) {
          pipeline.type(key).pttl(key).call('MEMORY', 'USAGE', key);
          if (withFreq) pipeline.object('FREQ', key);
        }
        const replies = (await pipeline.exec()) ?? [];
        batch.forEach((key, k) => {
          const [type, ttl, bytes, freq] = Array.from({ length: perKey }, (_, j) => replies[k * perKey + j]?.[1]);
          // A key that expired between SCAN and TYPE reads as "none"; it is no longer part of the keyspace.
          if (type === 'none') return;
          samples.push({ key, type: String(type), ttl: Number(ttl), bytes: Number(bytes ?? 0) });
          if (withFreq && freq !== undefined && freq !== null) freqs.push({ key, freq: Number(freq), node: nodeName(node) });
        });
        taken += batch.length;
      }
    } while (cursor !== '0' && taken < quota);
  }

  const n = samples.length;
  const ttl = { none: 0, under_1m: 0, '1m_1h': 0, '1h_1d': 0, over_1d: 0 };
  const byPrefix = new Map<string, { keys: number; bytes: number; no_ttl: number }>();
  for (const s of samples) {
    if (s.ttl < 0) ttl.none++;
    else if (s.ttl < 60_000) ttl.under_1m++;
    else if (s.ttl < 3_600_000) ttl['1m_1h']++;
    else if (s.ttl < 86_400_000) ttl['1h_1d']++;
    else ttl.over_1d++;
    const p = prefixOf(s.key, o.prefixDepth);
    const f = byPrefix.get(p) ?? { keys: 0, bytes: 0, no_ttl: 0 };
    f.keys++;
    f.bytes += s.bytes;
    if (s.ttl < 0) f.no_ttl++;
    byPrefix.set(p, f);
  }
  const fpc = total > 1 ? Math.sqrt(Math.max(0, (total - n) / (total - 1))) : 0;
  const mean = n ? samples.reduce((a, s) => a + s.bytes, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(samples.reduce((a, s) => a + (s.bytes - mean) ** 2, 0) / (n - 1)) : 0;
  const share = n ? ttl.none / n : 0;
  const slots = o.slots ? await slotReport(client, nodes, pacer, o.top) : undefined;
  const duration = (Date.now() - started) / 1000;
  return {
    primaries: nodes.length,
    total_keys: total,
    sampled: n,
    commands: pacer.count,
    duration_s: Math.round(duration * 1000) / 1000,
    ops_per_sec: duration > 0 ? Math.round(pacer.count / duration) : 0,
    ttl,
    prefixes: [...byPrefix.entries()].map(([prefix, f]) => ({ prefix, ...f })).sort((a, b) => b.bytes - a.bytes || a.prefix.localeCompare(b.prefix)),
    biggest: [...samples].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key)).slice(0, o.top).map((s) => ({ key: s.key, type: s.type, bytes: s.bytes, ttl_ms: s.ttl })),
    estimate: {
      memory_bytes: Math.round(mean * total),
      memory_bytes_error: n ? Math.round(1.96 * total * (sd / Math.sqrt(n)) * fpc) : 0,
      no_ttl_share: share,
      no_ttl_share_error: n ? 1.96 * Math.sqrt((share * (1 - share)) / n) * fpc : 0,
      no_ttl_keys: Math.round(share * total),
    },
    ...(o.hotKeys ? {
      hot_keys: withFreq
        ? { available: true as const, policy: policy!, keys: hottest(freqs, o.top) }
        : { available: false as const, policy, reason: noFrequencyReason(policy) },
    } : {}),
    ...(slots ? { slots } : {}),
    ...(o.ttlPolicy ? { ttl_policy: policyReport(samples, o.ttlPolicy, o.top) } : {}),
  };
}

function policyReport(samples: ReadonlyArray<{ key: string; ttl: number; bytes: number }>, policy: TtlPolicyCheck, top: number): TtlPolicyReport {
  const breaking = samples.flatMap((s): TtlPolicyReport['examples'] => {
    if (s.ttl < 0) return policy.requireTtl ? [{ key: s.key, ttl_ms: s.ttl, bytes: s.bytes, breaks: 'no-ttl' as const }] : [];
    return policy.maxTtlSeconds !== undefined && s.ttl > policy.maxTtlSeconds * 1000 ? [{ key: s.key, ttl_ms: s.ttl, bytes: s.bytes, breaks: 'over-max' as const }] : [];
  });
  const noTtl = breaking.filter((b) => b.breaks === 'no-ttl').length;
  return {
    source: policy.source,
    require_ttl: policy.requireTtl,
    max_ttl_s: policy.maxTtlSeconds ?? null,
    no_ttl_keys: noTtl,
    over_max_keys: breaking.length - noTtl,
    broken: breaking.length > 0,
    examples: breaking.sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key)).slice(0, top),
  };
}

/**
 * Load per shard from CLUSTER SLOT-STATS over each primary's slot ranges: CPU per slot where the server counts it
 * (`cluster-slot-stats-enabled yes`), key counts always. Servers without the command say why instead.
 */
async function slotReport(client: Client, nodes: Redis[], pacer: Pacer, top: number): Promise<SlotReport> {
  if (!(client instanceof Cluster)) return { available: false, reason: 'a standalone server has no slots; --slots needs a cluster (--cluster)' };
  await pacer.take(1);
  const map = await nodes[0].cluster('SLOTS') as unknown[];
  const perNode: Array<{ node: string; slots: ReturnType<typeof parseSlotStats> }> = [];
  for (const node of nodes) {
    const slots: ReturnType<typeof parseSlotStats> = [];
    for (const [start, end] of rangesOf(map, String(node.options.host), Number(node.options.port))) {
      await pacer.take(1);
      try {
        slots.push(...parseSlotStats(await node.call('CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', start, end) as Parameters<typeof parseSlotStats>[0]));
      } catch (e) {
        const info = await node.info('server');
        // Valkey reports redis_version too (for compatibility): its own version is valkey_version.
        const valkey = /^valkey_version:(\S+)/m.exec(info)?.[1];
        const redis = /^redis_version:(\S+)/m.exec(info)?.[1];
        const server = valkey ? `Valkey ${valkey}` : redis ? `Redis ${redis}` : 'the server';
        return {
          available: false,
          reason: `per-slot figures need CLUSTER SLOT-STATS (Valkey 8.0 or later); ${server} answered: ${(e as Error).message}. ` +
            'Keys per shard are in the key counts above.',
        };
      }
    }
    perNode.push({ node: nodeName(node), slots });
  }
  return shardLoads(perNode, top);
}
