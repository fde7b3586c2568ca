/**
 * The client behind connect(), chosen by measurement: ioredis (Cluster) against Valkey GLIDE (GlideClusterClient), both
 * against the same local 3 + 3 cluster in the same run. GLIDE is not a dependency of the project; install it for the
 * run only: `npm install --no-save @valkey/valkey-glide@2.5.2 && npx tsx bench/clients.ts [--runs 3]`.
 *
 * Measured: GET latency with one request in flight (p50, p99 over 20,000), GET throughput with 64 in flight on one
 * client, the time to connect, and the installed size. Prints a Markdown table for docs/BENCHMARKS.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { startCluster } from '../test/support/redis';

/** The part of GLIDE's API the benchmark uses (typed here: GLIDE is installed for the run only). */
interface GlideModule {
  GlideClusterClient: {
    createClient(options: { addresses: Array<{ host: string; port: number }>; requestTimeout: number }): Promise<{
      get(key: string): Promise<unknown>; set(key: string, value: string): Promise<unknown>; close(): void;
    }>;
  };
}

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface ClientUnderTest { get(key: string): Promise<unknown>; set(key: string, value: string): Promise<unknown>; close(): Promise<void> }
interface Figures { connectMs: number; p50: number; p99: number; opsPerSecond: number }

async function measure(open: () => Promise<ClientUnderTest>): Promise<Figures> {
  const t0 = performance.now();
  const client = await open();
  const connectMs = performance.now() - t0;
  const keys = Array.from({ length: 64 }, (_, i) => `bench:{k}${i}`);
  for (const k of keys) await client.set(k, 'v'.repeat(100));
  const latencies: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const s = performance.now();
    await client.get(keys[i % keys.length]);
    latencies.push(performance.now() - s);
  }
  latencies.sort((a, b) => a - b);
  const total = 200_000;
  const start = performance.now();
  for (let i = 0; i < total; i += 64) await Promise.all(keys.map((k) => client.get(k)));
  const opsPerSecond = total / ((performance.now() - start) / 1000);
  await client.close();
  return { connectMs, p50: latencies[10_000], p99: latencies[19_800], opsPerSecond };
}

async function main() {
  const cluster = await startCluster();
  const seed = { host: '127.0.0.1', port: cluster.ports[0] };
  const ioredis = async (): Promise<ClientUnderTest> => {
    const c = new Cluster([seed], { lazyConnect: true });
    await c.connect();
    return { get: (k) => c.get(k), set: (k, v) => c.set(k, v), close: async () => { await c.quit(); } };
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const glide = require('@valkey/valkey-glide') as GlideModule;
  const glideClient = async (): Promise<ClientUnderTest> => {
    const c = await glide.GlideClusterClient.createClient({ addresses: [seed], requestTimeout: 1000 });
    return { get: (k) => c.get(k), set: (k, v) => c.set(k, v), close: async () => { c.close(); } };
  };
  const results: Record<string, Figures[]> = { ioredis: [], glide: [] };
  for (let i = 0; i < RUNS; i++) {
    results.ioredis.push(await measure(ioredis));
    results.glide.push(await measure(glideClient));
  }
  await cluster.stop();
  const size = (pkg: string) => execFileSync('du', ['-sk', path.join('node_modules', pkg)], { encoding: 'utf8' }).split('\t')[0];
  const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join('node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const versions = { ioredis: version('ioredis'), glide: version('@valkey/valkey-glide') };
  const m = (name: string, f: (x: Figures) => number, digits: number) => median(results[name].map(f)).toFixed(digits);
  process.stdout.write([
    `Load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} cores; medians of ${RUNS}; local redis-server 3 + 3 cluster, plain TCP.`,
    '',
    '| client | connect ms | GET p50 ms (1 in flight) | GET p99 ms | GET ops/s (64 in flight) | installed size |',
    '|---|---:|---:|---:|---:|---:|',
    `| ioredis ${versions.ioredis} (Cluster) | ${m('ioredis', (x) => x.connectMs, 1)} | ${m('ioredis', (x) => x.p50, 3)} | ${m('ioredis', (x) => x.p99, 3)} | ${m('ioredis', (x) => x.opsPerSecond, 0)} | ${Math.round(Number(size('ioredis')) / 1024 * 10) / 10} MB (+ deps) |`,
    `| Valkey GLIDE ${versions.glide} (GlideClusterClient) | ${m('glide', (x) => x.connectMs, 1)} | ${m('glide', (x) => x.p50, 3)} | ${m('glide', (x) => x.p99, 3)} | ${m('glide', (x) => x.opsPerSecond, 0)} | ${Math.round((Number(size('@valkey/valkey-glide')) + Number(size('@valkey/valkey-glide-linux-x64-gnu'))) / 1024 * 10) / 10} MB (native binary) |`,
    '',
  ].join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
