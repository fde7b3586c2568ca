/**
 * The two semantic indexes side by side on the same server and the same vectors: FT.SEARCH on valkey-search (HNSW and
 * FLAT) against the bucketed LSH index. For each: recall against exact cosine (each query sits at a known similarity to
 * one stored entry; the other entries are random, near 0, so an exact search always finds it), lookup latency p50/p99
 * with one lookup in flight, lookups per second on one thread with 8 in flight, and memory per entry (used_memory
 * growth, and the search module's own share from INFO search). Standalone and a 3-primary cluster with the coordinator.
 * `npx tsx bench/vector-search.ts [--entries 2000] [--queries 500] [--runs 3]`: each figure is the median of the runs
 * (each on fresh servers); prints Markdown for docs/BENCHMARKS.md.
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import type Redis from 'ioredis';
import { Cluster } from 'ioredis';
import { BucketedIndex, SemanticCache, SemanticIndex, TtlWriter, VectorSearchIndex } from '../lib/client';
import { primaries } from '../lib/client/target';
import { randomUnitVector, vectorNear } from '../lib/loadgen/workloads/embeddings';
import { Rng } from '../lib/loadgen/random';
import { connect, startCluster, startRedis } from '../test/support/redis';
import { searchEngine } from '../test/support/search';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const ENTRIES = flag('entries', 2000);
const QUERIES = flag('queries', 500);
const RUNS = flag('runs', 3);
const DIMENSIONS = 256;
const SIMILARITIES = [0.95, 0.9, 0.85];
const IN_FLIGHT = 8;

type Client = Redis | Cluster;

/** used_memory and the search module's memory, summed over the primaries. */
async function memory(client: Client): Promise<{ used: number; search: number }> {
  let used = 0;
  let search = 0;
  for (const node of primaries(client)) {
    const info = String(await node.info('memory')) + String(await node.info('search'));
    used += Number(/used_memory:(\d+)/.exec(info)![1]);
    search += Number(/search_used_memory_bytes:(\d+)/.exec(info)?.[1] ?? 0);
  }
  return { used, search };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** One row's figures. */
interface Figures { recall: number; p50: number; p99: number; perSecond: number; bytes: number; searchBytes: number | null }

async function measure(client: Client, index: SemanticIndex, prefix: string, centres: Float32Array[], rng: Rng): Promise<Figures[]> {
  const sem = new SemanticCache(client, new TtlWriter(client, { defaultTtlSeconds: 3600, jitter: 0, requireTtl: true }), {
    dimensions: DIMENSIONS, keyPrefix: prefix, threshold: 0.5, index,
  });
  if (index instanceof VectorSearchIndex) await index.create(client);
  const before = await memory(client);
  for (const [i, c] of centres.entries()) await sem.store(c, `a${i}`);
  // Through a cluster's coordinator a fresh write is not always visible at once: wait until the last one is.
  for (const until = Date.now() + 10_000; Date.now() < until;) {
    if ((await sem.lookup(centres[centres.length - 1])).answer === `a${centres.length - 1}`) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const after = await memory(client);
  const rows: Figures[] = [];
  for (const similarity of SIMILARITIES) {
    let found = 0;
    const latencies: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const i = (q * 7919) % centres.length;
      const started = performance.now();
      const r = await sem.lookup(vectorNear(rng, centres[i], similarity));
      latencies.push(performance.now() - started);
      if (r.hit && r.answer === `a${i}`) found++;
    }
    latencies.sort((a, b) => a - b);
    const queries = Array.from({ length: QUERIES }, (_, q) => vectorNear(rng, centres[(q * 104729) % centres.length], similarity));
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next < queries.length) await sem.lookup(queries[next++]); }));
    rows.push({
      recall: found / QUERIES, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
      perSecond: QUERIES / ((performance.now() - started) / 1000), bytes: (after.used - before.used) / centres.length,
      searchBytes: index instanceof VectorSearchIndex ? (after.search - before.search) / centres.length : null,
    });
  }
  return rows;
}

const INDEXES: Array<[string, (prefix: string) => SemanticIndex]> = [
  ['bucketed LSH (10 tables x 12 bits)', (p) => new BucketedIndex(p, DIMENSIONS)],
  ['FT.SEARCH HNSW (M 16, EF_CONSTRUCTION 200, EF_RUNTIME 100)', (p) => new VectorSearchIndex(p, DIMENSIONS, { tagFields: [] })],
  ['FT.SEARCH FLAT', (p) => new VectorSearchIndex(p, DIMENSIONS, { tagFields: [], algorithm: 'FLAT' })],
];

/** Every index's rows on one server or cluster, the same vectors for each. */
async function topology(client: Client): Promise<Figures[][]> {
  const rng = new Rng(42);
  const centres = Array.from({ length: ENTRIES }, () => randomUnitVector(rng, DIMENSIONS));
  const out: Figures[][] = [];
  for (const [i, [, make]] of INDEXES.entries()) out.push(await measure(client, make(`i${i}:`), `i${i}:`, centres, rng));
  return out;
}

async function standalone(): Promise<Figures[][]> {
  const server = await startRedis({ engine: 'valkey-search' });
  const client = connect(server.port);
  try {
    return await topology(client);
  } finally {
    client.disconnect();
    await server.stop();
  }
}

async function cluster(): Promise<Figures[][]> {
  const nodes = await startCluster({ engine: 'valkey-search', replicas: 0 });
  const client = new Cluster([{ host: '127.0.0.1', port: nodes.ports[0] }]);
  try {
    await new Promise((resolve) => client.once('ready', resolve));
    return await topology(client);
  } finally {
    client.disconnect();
    await nodes.stop();
  }
}

const median = (xs: number[]) => { const sorted = [...xs].sort((a, b) => a - b); return sorted[Math.floor(sorted.length / 2)]; };

function print(name: string, runs: Figures[][][], loads: number[]): void {
  console.log(`\n${name}: ${ENTRIES} entries of ${DIMENSIONS} dimensions, ${QUERIES} queries per row, medians of ${runs.length} runs; ` +
    `load average ${loads.map((l) => l.toFixed(2)).join(', ')}\n`);
  console.log('| index | similarity of the query to its entry | recall | lookup p50 ms | lookup p99 ms | lookups/s (1 thread, 8 in flight) | bytes per entry (used_memory) | of which the search module |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [i, [label]] of INDEXES.entries()) {
    for (const [j, similarity] of SIMILARITIES.entries()) {
      const m = (f: (x: Figures) => number) => median(runs.map((r) => f(r[i][j])));
      const search = runs[0][i][j].searchBytes === null ? '-' : String(Math.round(m((x) => x.searchBytes!)));
      console.log(`| ${label} | ${similarity} | ${(100 * m((x) => x.recall)).toFixed(1)} % | ${m((x) => x.p50).toFixed(2)} | ${m((x) => x.p99).toFixed(2)} | ` +
        `${Math.round(m((x) => x.perSecond))} | ${Math.round(m((x) => x.bytes))} | ${search} |`);
    }
  }
}

async function main(): Promise<void> {
  const engine = searchEngine();
  if ('reason' in engine) throw new Error(engine.reason);
  for (const [name, run] of [['valkey-search 1.0.3, standalone', standalone], ['valkey-search 1.0.3, 3-primary cluster with the coordinator', cluster]] as const) {
    const runs: Figures[][][] = [];
    const loads: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      loads.push(os.loadavg()[0]);
      runs.push(await run());
    }
    print(name, runs, loads);
  }
}

void main();
