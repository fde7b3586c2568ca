import type { Redis } from 'ioredis';

/** What `--hot-keys` found: the most accessed keys of the sample, or why the server cannot say. */
export type HotKeys =
  | { readonly available: true; readonly policy: string; readonly keys: Array<{ readonly key: string; readonly freq: number; readonly node: string }> }
  | { readonly available: false; readonly policy: string | null; readonly reason: string };

/** One primary's share of the cluster's keys and, where the server counts it, of its CPU and network. */
export interface ShardLoad {
  readonly node: string;
  readonly slots: number;
  readonly keys: number;
  readonly cpu_usec: number | null;
  readonly network_bytes: number | null;
  /** Share of the cluster's CPU when counted, else of its keys. */
  readonly share: number;
  /** Holds more than 1.5 times its fair share (1 / primaries). */
  readonly hot: boolean;
}

/** What `--slots` found: load per shard and the slots that make the hot ones hot, or why the server cannot say. */
export type SlotReport =
  | {
    readonly available: true;
    /** `cpu` when the server counts CPU per slot (`cluster-slot-stats-enabled yes`), else `keys`. */
    readonly measured_by: 'cpu' | 'keys';
    readonly shards: ShardLoad[];
    readonly top_slots: Array<{ readonly slot: number; readonly node: string; readonly keys: number; readonly cpu_usec: number | null }>;
  }
  | { readonly available: false; readonly reason: string };

/** The eviction policy a node reports in INFO memory (CONFIG is not available on ElastiCache). */
export async function maxmemoryPolicy(node: Redis): Promise<string | null> {
  const info = await node.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
}

/** Whether OBJECT FREQ works: only under an LFU eviction policy. */
export function isLfu(policy: string | null): boolean {
  return policy === 'allkeys-lfu' || policy === 'volatile-lfu';
}

/** The reason hot keys cannot be listed under this policy. */
export function noFrequencyReason(policy: string | null): string {
  return `OBJECT FREQ counts accesses only under an LFU eviction policy (allkeys-lfu or volatile-lfu); this cache uses ${policy ?? 'an unknown policy'}. ` +
    'Set evictionPolicy: EvictionPolicy.ALLKEYS_LFU (or VOLATILE_LFU) on the ClusterCache, or use --slots (Valkey 8+) to find hot shards and slots';
}

/** The hottest keys of the sample by their LFU counters. */
export function hottest(freqs: Array<{ key: string; freq: number; node: string }>, top: number): Array<{ key: string; freq: number; node: string }> {
  return [...freqs].sort((a, b) => b.freq - a.freq || a.key.localeCompare(b.key)).slice(0, top);
}

/** The slot ranges a node serves, from CLUSTER SLOTS (as `[start, end]` pairs). */
export function rangesOf(slots: unknown[], host: string, port: number): Array<[number, number]> {
  return (slots as Array<[number, number, [string, number]]>)
    .filter(([, , primary]) => primary[1] === port && (primary[0] === host || primary[0] === '127.0.0.1' || primary[0] === ''))
    .map(([start, end]) => [start, end]);
}

type SlotStatsReply = Array<[number, Array<string | number>]>;

/** Per-slot figures from CLUSTER SLOT-STATS: key-count always, cpu-usec and network bytes when the server counts them. */
export function parseSlotStats(reply: SlotStatsReply): Array<{ slot: number; keys: number; cpu: number | null; network: number | null }> {
  return reply.map(([slot, fields]) => {
    const stats = new Map<string, number>();
    for (let i = 0; i + 1 < fields.length; i += 2) stats.set(String(fields[i]), Number(fields[i + 1]));
    const inOut = stats.has('network-bytes-in') ? (stats.get('network-bytes-in') ?? 0) + (stats.get('network-bytes-out') ?? 0) : null;
    return { slot: Number(slot), keys: stats.get('key-count') ?? 0, cpu: stats.has('cpu-usec') ? stats.get('cpu-usec')! : null, network: inOut };
  });
}

/** Load per shard and the top slots, from the per-slot figures of every primary. */
export function shardLoads(perNode: Array<{ node: string; slots: ReturnType<typeof parseSlotStats> }>, topSlots: number): Extract<SlotReport, { available: true }> {
  const byCpu = perNode.every((n) => n.slots.every((s) => s.cpu !== null)) && perNode.some((n) => n.slots.some((s) => (s.cpu ?? 0) > 0));
  const totals = perNode.map((n) => ({
    node: n.node,
    slots: n.slots.length,
    keys: n.slots.reduce((a, s) => a + s.keys, 0),
    cpu_usec: byCpu ? n.slots.reduce((a, s) => a + (s.cpu ?? 0), 0) : null,
    network_bytes: n.slots.every((s) => s.network !== null) ? n.slots.reduce((a, s) => a + (s.network ?? 0), 0) : null,
  }));
  const measure = (t: { keys: number; cpu_usec: number | null }) => (byCpu ? t.cpu_usec ?? 0 : t.keys);
  const all = totals.reduce((a, t) => a + measure(t), 0);
  const fair = 1 / Math.max(1, totals.length);
  const shards = totals.map((t) => {
    const share = all > 0 ? measure(t) / all : 0;
    return { ...t, share, hot: totals.length > 1 && share > 1.5 * fair };
  });
  const slots = perNode.flatMap((n) => n.slots.map((s) => ({ slot: s.slot, node: n.node, keys: s.keys, cpu_usec: s.cpu })));
  const ranked = slots.sort((a, b) => (byCpu ? (b.cpu_usec ?? 0) - (a.cpu_usec ?? 0) : b.keys - a.keys) || a.slot - b.slot);
  return { available: true, measured_by: byCpu ? 'cpu' : 'keys', shards, top_slots: ranked.filter((s) => (byCpu ? (s.cpu_usec ?? 0) : s.keys) > 0).slice(0, topSlots) };
}
