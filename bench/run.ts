/**
 * Benchmarks of the load generator against a local redis-server, each beside redis-benchmark in the same run.
 * Usage: npm run bench [-- --runs 3 --seconds 5 --sections 1,2,3,4,5,8]. Prints a Markdown report (paste into docs/BENCHMARKS.md).
 * Medians of the runs; these machines have 2 cores shared by server and client, so compare ratios, not absolutes.
 */
import { execFileSync, spawn } from 'child_process';
import * as os from 'os';
import { Redis } from 'ioredis';
import { createClient as createNodeRedis } from '@redis/client';
import { parseEndpoint } from '../lib/client/endpoint';
import { LoadTestConfig, LoadTestResult, runLoadTest } from '../lib/loadgen/run';
import { connect, startRedis } from '../test/support/redis';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const RUNS = flag('runs', 3);
const SECONDS = flag('seconds', 5);
const sectionsArg = args.indexOf('--sections');
const SECTIONS = new Set((sectionsArg >= 0 ? args[sectionsArg + 1] : '1,2,3,4,5').split(',').map(Number));

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function ours(port: number, overrides: Partial<LoadTestConfig>): Promise<LoadTestResult> {
  return runLoadTest({
    target: { endpoint: parseEndpoint(`redis://127.0.0.1:${port}`), cluster: false, timeoutMs: 2000 },
    profile: 'get-set', rate: 1000, closedLoop: false, poisson: false, connections: 4, pipeline: 1, threads: 1,
    warmupMs: 1000, durationMs: SECONDS * 1000, keyPrefix: 'ectk:bench:', keyspace: 10000, keyPattern: 'uniform',
    valueSize: [100, 100], ttlSeconds: 600, ttlJitter: 0.1, ratio: [0, 1], keepData: false, seed: 1, ...overrides,
  });
}

interface BenchmarkFigures { rps: number; p50: number; p99: number; p999?: number }

/** redis-benchmark's (or valkey-benchmark's) CSV line for GET: "test","rps","avg","min","p50","p95","p99","max". */
function redisBenchmark(port: number, extra: string[], tool = 'redis-benchmark', pin: string[] = []): BenchmarkFigures {
  const [file, ...pinArgs] = pin.length ? pin : [tool];
  const out = execFileSync(file, [...pinArgs, ...(pin.length ? [tool] : []), '-p', String(port), '-t', 'get', '--csv', ...extra], { encoding: 'utf8' });
  const line = out.trim().split('\n').find((l) => l.startsWith('"GET"'))!;
  const cols = line.split(',').map((c) => Number(c.replace(/"/g, '')));
  return { rps: cols[1], p50: cols[4], p99: cols[6] };
}

/** redis-benchmark with a DEBUG SLEEP 0.3 in the middle; p99.9 read from its full latency report. */
async function redisBenchmarkStall(port: number, requests: number, rate: number): Promise<BenchmarkFigures> {
  const child = spawn('redis-benchmark', ['-p', String(port), '-t', 'get', '-n', String(requests), '-c', '1', '--precision', '3'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => { out += String(d); });
  const done = new Promise<void>((r) => child.on('exit', () => r()));
  const admin = connect(port);
  await new Promise((r) => setTimeout(r, (requests / rate) * 500));
  await admin.call('DEBUG', 'SLEEP', '0.3');
  admin.disconnect();
  await done;
  const text = out.replace(/\r/g, '\n');
  const summary = /throughput summary: ([\d.]+) requests per second/.exec(text);
  const lat = /latency summary \(msec\):\s*\n\s*avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(text);
  // The cumulative distribution lists "X% <= Y milliseconds"; take the first line at or above 99.9 %.
  const dist = [...text.matchAll(/([\d.]+)% <= ([\d.]+) milliseconds/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const p999 = dist.find(([p]) => p >= 99.9)?.[1] ?? NaN;
  return { rps: summary ? Number(summary[1]) : NaN, p50: lat ? Number(lat[3]) : NaN, p99: lat ? Number(lat[5]) : NaN, p999 };
}

interface ClientFigures { ioredisSameTick: number; ioredisPipeline: number; nodeRedisSameTick: number; nodeRedisNoTimeout: number; nodeRedisPipeline: number }

/**
 * Both clients on one Node thread, `connections` connections each with `batch` GETs at a time, in the two ways a
 * program can batch: independent commands issued in the same tick (ioredis auto-pipelining; node-redis with its
 * default per-command timeout, and with that timeout off as the pipelined closed loop runs it), and an explicit
 * pipeline object (ioredis pipeline(), node-redis multi().execAsPipeline()).
 */
async function clientComparison(port: number, connections: number, batch: number): Promise<ClientFigures> {
  const total = 200_000;
  const rate = async (body: (c: number) => Promise<unknown>) => {
    const start = performance.now();
    await Promise.all(Array.from({ length: connections }, async (_, c) => {
      for (let i = 0; i < total / connections; i += batch) await body(c);
    }));
    return total / ((performance.now() - start) / 1000);
  };
  const times = <T>(f: () => T) => Array.from({ length: batch }, f);
  const ios = Array.from({ length: connections }, () => new Redis({ port, host: '127.0.0.1', enableAutoPipelining: true }));
  await ios[0].set('bench:k', 'v'.repeat(100));
  const ioredisSameTick = await rate((c) => Promise.all(times(() => ios[c].get('bench:k'))));
  const ioredisPipeline = await rate((c) => { const p = ios[c].pipeline(); for (let j = 0; j < batch; j++) p.get('bench:k'); return p.exec(); });
  ios.forEach((io) => io.disconnect());
  const nodeRedis = (options: Parameters<typeof createNodeRedis>[0]) => Promise.all(Array.from({ length: connections }, async () => {
    const client = createNodeRedis({ socket: { port, host: '127.0.0.1' }, ...options });
    await client.connect();
    return client;
  }));
  const nrs = await nodeRedis({});
  const nodeRedisSameTick = await rate((c) => Promise.all(times(() => nrs[c].get('bench:k'))));
  const nodeRedisPipeline = await rate((c) => { const m = nrs[c].multi(); for (let j = 0; j < batch; j++) m.get('bench:k'); return m.execAsPipeline(); });
  nrs.forEach((nr) => nr.destroy());
  const untimed = await nodeRedis({ commandOptions: { timeout: 0 } });
  const nodeRedisNoTimeout = await rate((c) => Promise.all(times(() => untimed[c].sendCommand(['GET', 'bench:k']))));
  untimed.forEach((nr) => nr.destroy());
  return { ioredisSameTick, ioredisPipeline, nodeRedisSameTick, nodeRedisNoTimeout, nodeRedisPipeline };
}

async function main() {
  const server = await startRedis({ args: ['--maxmemory', '512mb'] });
  const port = server.port;
  const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  const lines: string[] = [];
  const say = (s = '') => { lines.push(s); process.stderr.write(`${s}\n`); };
  say(`Machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${version}`);
  say(`Runs: median of ${RUNS}, ${SECONDS} s measured after 1 s warm-up, GET of 100-byte values over 10,000 keys, local redis-server.`);
  say();

  if (SECTIONS.has(1)) {
    say('### 1. Rate accuracy (open loop, get-set GETs)');
    say('| target ops/s | threads × connections | achieved ops/s (median) | achieved / target |');
    say('|---:|---|---:|---:|');
    for (const [rate, threads] of [[1000, 1], [10000, 1], [50000, 2]]) {
      const runs: number[] = [];
      for (let i = 0; i < RUNS; i++) runs.push((await ours(port, { rate, threads, connections: 8 })).achieved_rate);
      const achieved = median(runs);
      say(`| ${rate} | ${threads} × 8 | ${achieved.toFixed(1)} | ${(achieved / rate).toFixed(4)} |`);
    }
    say();
  }
  if (SECTIONS.has(2)) {
    say('### 2. Client overhead: p50 of GET at 5,000 ops/s vs redis-benchmark -c 1');
    const oursP50: number[] = [];
    const rbP50: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      oursP50.push((await ours(port, { rate: 5000, connections: 1 })).latency_ms.p50);
      rbP50.push(redisBenchmark(port, ['-c', '1', '-n', '50000']).p50);
    }
    say('| tool | p50 ms (median) |');
    say('|---|---:|');
    say(`| ectk loadtest --rate 5000 --connections 1 | ${median(oursP50).toFixed(3)} |`);
    say(`| redis-benchmark -c 1 -n 50000 (closed loop) | ${median(rbP50).toFixed(3)} |`);
    say(`| difference | ${(median(oursP50) - median(rbP50)).toFixed(3)} ms |`);
    say();
  }
  if (SECTIONS.has(3)) {
    say('### 3. Maximum throughput (closed loop) vs redis-benchmark -c 50 -P 16');
    const rb = median(Array.from({ length: RUNS }, () => redisBenchmark(port, ['-c', '50', '-P', '16', '-n', '2000000']).rps));
    say('| tool | ops/s (median) | ratio to redis-benchmark |');
    say('|---|---:|---:|');
    say(`| redis-benchmark -c 50 -P 16 | ${rb.toFixed(0)} | 1.00 |`);
    for (const threads of [1, 2]) {
      for (const [connections, pipeline] of [[4, 64], [2, 128]]) {
        const rates: number[] = [];
        for (let i = 0; i < RUNS; i++) rates.push((await ours(port, { closedLoop: true, rate: undefined, threads, connections, pipeline })).achieved_rate);
        say(`| ectk --closed-loop --threads ${threads} --connections ${connections} --pipeline ${pipeline} | ${median(rates).toFixed(0)} | ${(median(rates) / rb).toFixed(2)} |`);
      }
    }
    say();
  }
  if (SECTIONS.has(4)) {
    say('### 4. Stall test: DEBUG SLEEP 0.3 in the middle of the run');
    const stallOurs: number[] = [];
    const stallRb: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = ours(port, { rate: 2000, connections: 1, durationMs: 4000, warmupMs: 500 });
      await new Promise((r) => setTimeout(r, 2500));
      const admin = connect(port);
      await admin.call('DEBUG', 'SLEEP', '0.3');
      admin.disconnect();
      stallOurs.push((await run).latency_ms.p99_9);
      stallRb.push((await redisBenchmarkStall(port, 60000, 15000)).p999!);
    }
    say('| tool | p99.9 ms with a 300 ms stall (median) |');
    say('|---|---:|');
    say(`| ectk loadtest --rate 2000 (open loop, from intended send time) | ${median(stallOurs).toFixed(1)} |`);
    say(`| redis-benchmark -c 1 (closed loop, from actual send) | ${median(stallRb).toFixed(1)} |`);
    say();
  }
  if (SECTIONS.has(5)) {
    say('### 5. Redis clients on one Node thread: GETs of a 100-byte value, batched two ways');
    say('| connections × GETs at a time | batching | ioredis 6.0.0 ops/s | node-redis (@redis/client) 6.3.1 ops/s | ioredis / node-redis |');
    say('|---|---|---:|---:|---:|');
    for (const [connections, batch] of [[1, 16], [4, 64]]) {
      const figures: ClientFigures[] = [];
      for (let i = 0; i < RUNS; i++) figures.push(await clientComparison(port, connections, batch));
      const m = (k: keyof ClientFigures) => median(figures.map((f) => f[k]));
      const row = (batching: string, io: keyof ClientFigures, nr: keyof ClientFigures) =>
        say(`| ${connections} × ${batch} | ${batching} | ${m(io).toFixed(0)} | ${m(nr).toFixed(0)} | ${(m(io) / m(nr)).toFixed(2)} |`);
      row('independent commands in one tick (node-redis default per-command timeout)', 'ioredisSameTick', 'nodeRedisSameTick');
      row('independent commands in one tick (node-redis per-command timeout off: the pipelined closed loop)', 'ioredisSameTick', 'nodeRedisNoTimeout');
      row('explicit pipeline object', 'ioredisPipeline', 'nodeRedisPipeline');
    }
  }
  if (SECTIONS.has(8)) for (const engine of ['redis', 'valkey'] as const) await tailLatency(engine, say);
  await server.stop();
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * §8: tail latency of the open loop beside `redis-benchmark -c 1` and `valkey-benchmark -c 1` (closed loop, one request
 * in flight: service time only) on the same server in the same run. The server is pinned to core 0 and this process
 * (all its threads) and the benchmark tools to core 1, so that the generator and the server do not take turns on a core.
 */
async function tailLatency(engine: 'redis' | 'valkey', say: (s?: string) => void): Promise<void> {
  const server = await startRedis({ engine, args: ['--maxmemory', '512mb'] });
  const cores = os.cpus().length;
  const pinned = cores >= 2;
  if (pinned) {
    execFileSync('taskset', ['-a', '-cp', '0', String(server.process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const pin = pinned ? ['taskset', '-c', '1'] : [];
  const version = execFileSync(`${engine}-server`, ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
  say(`### 8. Tail latency and the generator's own lag: ${version} (open loop, get-set GETs, 1 thread, 4 connections${pinned ? '; server on core 0, generator and benchmark tools on core 1' : ''})`);
  say(`Load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  say();
  say('| rate ops/s | achieved | ectk p50 / p99 / p99.9 ms | service p99 ms | sent late p99 ms | event-loop delay p99 ms | generator-limited | redis-benchmark -c 1 p99 ms | valkey-benchmark -c 1 p99 ms |');
  say('|---:|---:|---|---:|---:|---:|---|---:|---:|');
  for (const rate of [1000, 5000, 20000, 50000]) {
    const results: LoadTestResult[] = [];
    const rb: number[] = [];
    const vb: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      results.push(await ours(server.port, { rate }));
      rb.push(redisBenchmark(server.port, ['-c', '1', '-n', String(Math.min(rate * SECONDS, 100_000))], 'redis-benchmark', pin).p99);
      vb.push(redisBenchmark(server.port, ['-c', '1', '-n', String(Math.min(rate * SECONDS, 100_000))], 'valkey-benchmark', pin).p99);
    }
    const m = (f: (r: LoadTestResult) => number) => median(results.map(f)).toFixed(3);
    const limited = results.filter((r) => r.generator.limited).length;
    say(`| ${rate} | ${(median(results.map((r) => r.achieved_rate / rate)) * 100).toFixed(2)} % | ${m((r) => r.latency_ms.p50)} / ${m((r) => r.latency_ms.p99)} / ${m((r) => r.latency_ms.p99_9)} | ` +
      `${m((r) => r.service_time_ms.p99)} | ${m((r) => r.generator.scheduling_lag_ms!.p99)} | ${m((r) => r.generator.event_loop_delay_ms.p99)} | ${limited} of ${RUNS} | ` +
      `${median(rb).toFixed(3)} | ${median(vb).toFixed(3)} |`);
  }
  say(`Load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  say();
  if (pinned) execFileSync('taskset', ['-a', '-cp', `0-${cores - 1}`, String(process.pid)], { stdio: 'ignore' });
  await server.stop();
}

main().catch((e) => { console.error(e); process.exit(1); });
