/**
 * The bucketed semantic index measured: recall (the share of queries whose stored neighbour the buckets find, which an
 * exact search always finds) at several similarities against what the LSH formula predicts, candidates read per lookup,
 * and lookup latency, on a local valkey-server 8 cluster (3 + 3). `npx tsx bench/semantic.ts [--entries 2000]`.
 * Prints a Markdown table for docs/BENCHMARKS.md.
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { Cluster } from 'ioredis';
import { BucketedIndex, SemanticCache, TtlWriter } from '../lib/client';
import { randomUnitVector, vectorNear } from '../lib/loadgen/workloads/embeddings';
import { Rng } from '../lib/loadgen/random';
import { startCluster } from '../test/support/redis';

const args = process.argv.slice(2);
const ENTRIES = Number(args[args.indexOf('--entries') + 1] || 2000);
const DIMENSIONS = 256;
const QUERIES = 500;

async function main(): Promise<void> {
  const cluster = await startCluster({ engine: 'valkey' });
  const client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
  try {
    const rng = new Rng(42);
    const random = () => randomUnitVector(rng, DIMENSIONS);
    const near = (c: Float32Array, s: number) => vectorNear(rng, c, s);
    const index = new BucketedIndex('bench:sem:', DIMENSIONS);
    const sem = new SemanticCache(client, new TtlWriter(client, { defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true }), {
      dimensions: DIMENSIONS, keyPrefix: 'bench:sem:', threshold: 0.5, index,
    });
    const centres = Array.from({ length: ENTRIES }, random);
    for (const [i, c] of centres.entries()) await sem.store(c, `a${i}`);
    const rows: string[] = [];
    for (const similarity of [0.98, 0.95, 0.9, 0.85, 0.8]) {
      let found = 0;
      const latencies: number[] = [];
      for (let q = 0; q < QUERIES; q++) {
        const i = q % ENTRIES;
        const started = performance.now();
        const r = await sem.lookup(near(centres[i], similarity));
        latencies.push(performance.now() - started);
        if (r.hit && r.answer === `a${i}`) found++;
      }
      latencies.sort((a, b) => a - b);
      rows.push(`| ${similarity} | ${(found / QUERIES * 100).toFixed(1)} % | ${(index.hyperplanes.recallAt(similarity) * 100).toFixed(1)} % | ` +
        `${latencies[Math.floor(QUERIES / 2)].toFixed(2)} | ${latencies[Math.floor(QUERIES * 0.99)].toFixed(2)} |`);
    }
    console.log(`${ENTRIES} entries of ${DIMENSIONS} dimensions, ${QUERIES} queries per row, 10 tables x 12 bits; load average ${os.loadavg()[0].toFixed(2)}`);
    console.log('| similarity of the query to its entry | recall measured | recall predicted | lookup p50 ms | lookup p99 ms |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    client.disconnect();
    await cluster.stop();
  }
}

void main();
