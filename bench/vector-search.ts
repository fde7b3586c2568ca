/**
 * The two semantic indexes side by side on the same server and the same vectors: FT.SEARCH on valkey-search (HNSW and
 * FLAT) against the bucketed LSH index. For each: recall against exact cosine (each query sits at a known similarity to
 * one stored entry; the other entries are random, near 0, so an exact search always finds it), lookup latency p50/p99
 * with one lookup in flight, lookups per second on one thread with 8 in flight, and memory per entry (used_memory
 * growth, and the search module's own share from INFO search). Standalone and a 3-primary cluster with the coordinator.
 * `npx tsx bench/vector-search.ts [--entries 2000] [--queries 500]`; prints Markdown for docs/BENCHMARKS.md.
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import Redis, { Cluster } from 'ioredis';
import { BucketedIndex, SemanticCache, SemanticIndex, TtlWriter, VectorSearchIndex } from '../lib/client';
import { primaries } from '../lib/loadgen/target';
import { randomUnitVector, vectorNear } from '../lib/loadgen/workloads/embeddings';
import { Rng } from '../lib/loadgen/random';
import { connect, startCluster, startRedis } from '../test/support/redis';
import { searchEngine } from '../test/support/search';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const ENTRIES = flag('entries', 2000);
const QUERIES = flag('queries', 500);
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

async function measure(client: Client, name: string, index: SemanticIndex, prefix: string, centres: Float32Array[], rng: Rng): Promise<string[]> {
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
  const rows: string[] = [];
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
    const perSecond = QUERIES / ((performance.now() - started) / 1000);
    rows.push(`| ${name} | ${similarity} | ${(100 * found / QUERIES).toFixed(1)} % | ${percentile(latencies, 0.5).toFixed(2)} | ` +
      `${percentile(latencies, 0.99).toFixed(2)} | ${Math.round(perSecond)} | ${Math.round((after.used - before.used) / centres.length)} | ` +
      `${index instanceof VectorSearchIndex ? Math.round((after.search - before.search) / centres.length) : '-'} |`);
  }
  return rows;
}

async function topology(name: string, client: Client): Promise<void> {
  const rng = new Rng(42);
  const centres = Array.from({ length: ENTRIES }, () => randomUnitVector(rng, DIMENSIONS));
  const rows = [
    ...await measure(client, 'bucketed LSH (10 tables x 12 bits)', new BucketedIndex('b:', DIMENSIONS), 'b:', centres, rng),
    ...await measure(client, 'FT.SEARCH HNSW (M 16, EF_CONSTRUCTION 200, EF_RUNTIME 100)', new VectorSearchIndex('h:', DIMENSIONS, { tagFields: [] }), 'h:', centres, rng),
    ...await measure(client, 'FT.SEARCH FLAT', new VectorSearchIndex('f:', DIMENSIONS, { tagFields: [], algorithm: 'FLAT' }), 'f:', centres, rng),
  ];
  console.log(`\n${name}: ${ENTRIES} entries of ${DIMENSIONS} dimensions, ${QUERIES} queries per row; load average ${os.loadavg()[0].toFixed(2)}\n`);
  console.log('| index | similarity of the query to its entry | recall | lookup p50 ms | lookup p99 ms | lookups/s (1 thread, 8 in flight) | bytes per entry (used_memory) | of which the search module |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

async function main(): Promise<void> {
  const engine = searchEngine();
  if ('reason' in engine) throw new Error(engine.reason);
  const server = await startRedis({ engine: 'valkey-search' });
  const standalone = connect(server.port);
  try {
    await topology('valkey-search 1.0.3, standalone', standalone);
  } finally {
    standalone.disconnect();
    await server.stop();
  }
  const cluster = await startCluster({ engine: 'valkey-search', replicas: 0 });
  const client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
  try {
    await new Promise((resolve) => client.once('ready', resolve));
    await topology('valkey-search 1.0.3, 3-primary cluster with the coordinator', client);
  } finally {
    client.disconnect();
    await cluster.stop();
  }
}

void main();
