/**
 * What starting every command's timer when it is issued (lib/client/redis-client.ts, decision 0015) costs a cluster
 * client: the same createRedisClient() client with and without the wrapper, against the same local 3 + 3 cluster in
 * the same run, alternating. GET of a 100-byte value: latency with one request in flight (p50, p99 over 20,000) and
 * throughput with 64 in flight. `npx tsx bench/bounded-commands.ts [--runs 3]`; prints a Markdown table.
 */
import * as os from 'os';
import { Cluster } from 'ioredis';
import { createRedisClient } from '../lib/client/redis-client';
import { startCluster } from '../test/support/redis';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(client: Cluster): Promise<{ p50: number; p99: number; opsPerSecond: number }> {
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const t = process.hrtime.bigint();
    await client.get(`k${i % 100}`);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  let done = 0;
  const until = Date.now() + 3000;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (Date.now() < until) { await client.get(`k${done % 100}`); done++; }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { p50: samples[Math.floor(samples.length * 0.5)], p99: samples[Math.floor(samples.length * 0.99)], opsPerSecond: done / seconds };
}

async function main(): Promise<void> {
  const cluster = await startCluster();
  try {
    const open = async (bounded: boolean) => {
      const client = createRedisClient({
        host: '127.0.0.1', port: cluster.ports[0], cluster: true, connectTimeoutMs: 2000, commandTimeoutMs: 1000, maxRetriesPerRequest: 2,
        autoPipelining: false, reconnectDelayMs: () => 100,
      }) as Cluster;
      // Without the wrapper: the class's own sendCommand, as ioredis ships it.
      if (!bounded) client.sendCommand = Cluster.prototype.sendCommand.bind(client);
      await client.connect();
      for (let i = 0; i < 100; i++) await client.set(`k${i}`, 'v'.repeat(100));
      return client;
    };
    const figures: Record<'bounded' | 'plain', Array<{ p50: number; p99: number; opsPerSecond: number }>> = { bounded: [], plain: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const kind of (run % 2 === 0 ? ['plain', 'bounded'] : ['bounded', 'plain']) as Array<'bounded' | 'plain'>) {
        const client = await open(kind === 'bounded');
        figures[kind].push(await measure(client));
        client.disconnect();
      }
    }
    const row = (name: string, f: Array<{ p50: number; p99: number; opsPerSecond: number }>) =>
      `| ${name} | ${median(f.map((x) => x.p50)).toFixed(3)} | ${median(f.map((x) => x.p99)).toFixed(3)} | ${Math.round(median(f.map((x) => x.opsPerSecond)))} |`;
    console.log(`Load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} cores; medians of ${RUNS}.\n`);
    console.log('| cluster client | GET p50 ms (1 in flight) | GET p99 ms | GET ops/s (64 in flight) |\n|---|---:|---:|---:|');
    console.log(row('ioredis Cluster as shipped', figures.plain));
    console.log(row('with the timer started at issue (createRedisClient)', figures.bounded));
  } finally {
    await cluster.stop();
  }
}

void main();
