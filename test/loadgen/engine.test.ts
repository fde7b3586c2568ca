import { parseSlo } from '../../lib/catalog/slo';
import { UnreachableError, UsageError } from '../../lib/catalog/errors';
import { decode } from '../../lib/loadgen/histogram';
import { LoadTestConfig, LoadTestResult, runLoadTest } from '../../lib/loadgen/run';
import { BUILT_IN_WORKLOADS } from '../../lib/catalog/workloads';
import { config } from '../support/loadtest';
import { connect, freePort, RedisServer, startRedis } from '../support/redis';

const PROFILES = BUILT_IN_WORKLOADS.map((w) => w.name);

describe('load generator against a standalone redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server.stop(); });

  test.each(PROFILES)('%s runs at the requested rate without errors, reports its figures and leaves nothing behind', async (profile) => {
    // A semantic lookup is a dozen round trips and a miss about thirty (buckets, vectors, answer): a lower rate keeps
    // one generator thread on schedule on these 2-core machines.
    const rate = profile === 'semantic-cache' ? 400 : 1000;
    const result = await runLoadTest(config(server.port, { profile, rate }));
    expect(result.errors).toBe(0);
    expect(result.ops).toBe(rate * 1.5);
    // Exactly the scheduled requests were sent (ops above). The rate is ops over the measured window, which runs to the
    // last completion and is never shorter than the scheduled requests take at the offered rate: so never above it. How
    // close to it a run gets depends on the machine's load, which is for the benchmarks, not for a test.
    expect(result.achieved_rate).toBeLessThanOrEqual(rate);
    expect(result.achieved_rate).toBeCloseTo(result.ops / Math.max(result.duration_s, result.ops / rate), 0);
    expect(result.latency_ms.p50).toBeGreaterThan(0);
    expect(result.latency_ms.p99).toBeGreaterThanOrEqual(result.latency_ms.p50);
    expect(decode(result.histogram).totalCount).toBe(result.ops);
    expect(result.series.reduce((n, s) => n + s.ops, 0)).toBe(result.ops);
    if (['get-set', 'inference-cache', 'semantic-cache'].includes(profile)) expect(result.hit_ratio).toBeGreaterThan(0);
    else expect(result.hit_ratio).toBeUndefined();
    if (profile === 'semantic-cache') expect(result.false_hit_ratio).toBeGreaterThanOrEqual(0);
    else expect(result.false_hit_ratio).toBeUndefined();
    if (profile === 'rate-limiter') expect(result.allow_ratio).toBeGreaterThan(0);
    expect(result.keys_deleted).toBeGreaterThan(0);
    const admin = connect(server.port);
    expect((await admin.scan('0', 'MATCH', `ectk:slo:${result.run_id}:*`, 'COUNT', 100000))[1]).toEqual([]);
    admin.disconnect();
  });

  test('every key written carries a TTL within ± jitter of the configured TTL', async () => {
    const result = await runLoadTest(config(server.port, { profile: 'session-store', keepData: true, ttlSeconds: 100, ttlJitter: 0.2 }));
    const admin = connect(server.port);
    const [, keys] = await admin.scan('0', 'MATCH', `ectk:slo:${result.run_id}:*`, 'COUNT', 100000);
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) {
      const pttl = await admin.pttl(key);
      expect(pttl).toBeGreaterThan(70_000);
      expect(pttl).toBeLessThanOrEqual(120_000);
    }
    await admin.unlink(...keys);
    admin.disconnect();
  });

  test('inference-cache follows Zipf popularity: the hit ratio rises as popular prompts are cached', async () => {
    const result = await runLoadTest(config(server.port, { profile: 'inference-cache', keyspace: 2000, valueSize: [1024, 16384], durationMs: 2000 }));
    expect(result.hit_ratio).toBeGreaterThan(0.5);
    expect(result.hit_ratio).toBeLessThan(1);
  });

  test('closed loop of a multi-command profile keeps connections × pipeline operations going and reports no target rate', async () => {
    const result = await runLoadTest(config(server.port, { profile: 'inference-cache', closedLoop: true, rate: undefined, connections: 2, pipeline: 4, durationMs: 1000 }));
    expect(result.mode).toBe('closed-loop');
    expect(result.target_rate).toBeNull();
    // At least the operations of one full window (2 connections × 4 in flight): how many more is the machine's speed.
    expect(result.ops).toBeGreaterThan(2 * 4);
    expect(result.errors).toBe(0);
  });

  test('worker threads: histograms merge exactly and the rate is shared', async () => {
    const result = await runLoadTest(config(server.port, { threads: 2, rate: 1000 }));
    expect(result.threads).toBe(2);
    expect(result.ops).toBe(1500);
    expect(decode(result.histogram).totalCount).toBe(1500);
  });

  test('a deadline ends the run early, on time, and says so', async () => {
    const result = await runLoadTest(config(server.port, { durationMs: 20000, deadline: Date.now() + 2500 }));
    expect(result.cut_short).toBe(true);
    // The measured window ends before the deadline by construction, whatever the machine's load.
    expect(result.duration_s).toBeLessThan(2.5);
    expect(result.ops).toBeGreaterThan(0);
  });

  test('coordinated omission: a 300 ms server stall shows in p99.9 and every scheduled request is counted', async () => {
    const admin = connect(server.port);
    const run = runLoadTest(config(server.port, { rate: 2000, durationMs: 3000, warmupMs: 200 }));
    await new Promise((r) => setTimeout(r, 1500));
    await admin.call('DEBUG', 'SLEEP', '0.3');
    const result = await run;
    admin.disconnect();
    // 600 requests were due during the stall: they wait up to 300 ms, so more than 0.1 % of requests are slower than 150 ms.
    expect(result.latency_ms.p99_9).toBeGreaterThan(150);
    expect(result.latency_ms.max).toBeGreaterThan(250);
    expect(result.ops).toBe(6000);
    expect(result.errors).toBe(0);
  });
});

describe('closed loop, pipelined (single-command profiles on a standalone endpoint)', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server.stop(); });

  const commandCalls = async (admin: ReturnType<typeof connect>) => {
    const stats = await admin.info('commandstats');
    const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    return { get: calls('get'), set: calls('set') };
  };

  test('every operation reported is a GET or SET the server ran, in the --ratio mix, each with its latency', async () => {
    const admin = connect(server.port);
    const before = await commandCalls(admin);
    const result = await runLoadTest(config(server.port, { closedLoop: true, rate: undefined, connections: 2, pipeline: 50, warmupMs: 0, durationMs: 1000 }));
    const after = await commandCalls(admin);
    admin.disconnect();
    const gets = after.get - before.get;
    const sets = after.set - before.set;
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(2 * 50);
    // Without warm-up every command sent is measured: the count is exact, not sampled. The ACL preflight sends one GET
    // and one SET of its own before the run.
    expect(result.ops).toBe(gets + sets - 2);
    expect(decode(result.histogram).totalCount).toBe(result.ops);
    expect(sets / result.ops).toBeCloseTo(0.25, 1);
    expect(result.counts.hits + result.counts.misses).toBe(gets - 1);
    expect(result.hit_ratio).toBeGreaterThan(0);
    expect(result.keys_deleted).toBeGreaterThan(0);
  });

  test('a stall longer than --timeout: each request of a stalled batch is one timeout recorded at the timeout, and the run recovers', async () => {
    const admin = connect(server.port);
    const base = config(server.port, { closedLoop: true, rate: undefined, connections: 2, pipeline: 16, warmupMs: 0, durationMs: 2500 });
    const run = runLoadTest({ ...base, target: { ...base.target, timeoutMs: 300 } });
    await new Promise((r) => setTimeout(r, 800));
    await admin.call('DEBUG', 'SLEEP', '1');
    const result = await run;
    admin.disconnect();
    expect(Object.keys(result.errors_by_kind)).toEqual(['timeout']);
    // Each connection's batch in flight, and the ones sent after each timeout during the 1 s stall, time out whole.
    expect(result.errors).toBeGreaterThanOrEqual(2 * 16);
    expect(result.errors % 16).toBe(0);
    expect(result.latency_ms.max).toBeGreaterThanOrEqual(300);
    expect(result.latency_ms.max).toBeLessThan(450);
    expect(result.ops - result.errors).toBeGreaterThan(10_000);
  });
});

describe('arrivals and server errors', () => {
  test('Poisson arrivals keep the mean rate', async () => {
    const server = await startRedis();
    const result = await runLoadTest(config(server.port, { poisson: true, rate: 1000, durationMs: 3000 }));
    await server.stop();
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(2700);
    expect(result.ops).toBeLessThan(3300);
  });

  test('OOM replies from a full server are counted as errors of kind oom', async () => {
    const server = await startRedis({ args: ['--maxmemory', '2mb', '--maxmemory-policy', 'noeviction'] });
    const result = await runLoadTest(config(server.port, { profile: 'inference-cache', valueSize: [16384, 16384], keyspace: 5000, durationMs: 1500 }));
    await server.stop();
    expect(result.errors_by_kind.oom).toBeGreaterThan(100);
    expect(Object.keys(result.errors_by_kind)).toEqual(['oom']);
  });
});

describe('failures', () => {
  /** Starts a run, SIGKILLs the server after `killAfterMs`, and returns what the run reported and how long it took. */
  /**
   * Starts a run, SIGKILLs the server as soon as the run reports measured operations (its first progress second), and
   * returns what the run reported: the kill lands mid-run however slowly a loaded machine gets there.
   */
  const killMidRun = async (overrides: Partial<LoadTestConfig>) => {
    const server = await startRedis();
    let killed = false;
    const result = await runLoadTest(config(server.port, { keepData: true, ...overrides }), (p) => {
      if (!killed && p.ops > 0) {
        killed = true;
        server.process.kill('SIGKILL');
      }
    }).catch((e: Error) => e);
    await server.stop();
    expect(killed).toBe(true);
    expect(result).not.toBeInstanceOf(Error);
    return result as LoadTestResult;
  };

  test('killing the server mid-run: errors are counted by kind, nothing crashes, the run ends on time', async () => {
    const r = await killMidRun({ durationMs: 3000 });
    expect(r.errors).toBeGreaterThan(0);
    expect(Object.keys(r.errors_by_kind).every((k) => ['connection', 'timeout'].includes(k))).toBe(true);
    // Every scheduled request is accounted for, served or failed: the run ended with its full result.
    expect(r.ops).toBe(3000);
    expect(r.ops - r.errors).toBeGreaterThan(0);
  });

  test('killing the server during a pipelined closed-loop run: errors are counted, nothing crashes, the run ends on time', async () => {
    const r = await killMidRun({ closedLoop: true, rate: undefined, pipeline: 32, durationMs: 2500 });
    expect(r.ops - r.errors).toBeGreaterThan(0);
    expect(r.errors).toBeGreaterThan(0);
    expect(Object.keys(r.errors_by_kind).every((k) => ['connection', 'timeout'].includes(k))).toBe(true);
  });

  test('the server gone for good: the cleanup says so and does not retry as it would through a failover', async () => {
    const server = await startRedis();
    const run = runLoadTest(config(server.port, { durationMs: 2000 })).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 800));
    server.process.kill('SIGKILL');
    const result = await run;
    await server.stop();
    expect(result).not.toBeInstanceOf(Error);
    const r = result as LoadTestResult;
    expect(r.cleanup_warning).toMatch(new RegExp(`^cleanup could not finish \\(the server is gone: connection refused on every node \\(127\\.0\\.0\\.1:${server.port}\\)\\): ` +
      'an unknown number of keys of the run may remain under ectk:slo:[0-9a-f]+:; every one carries a TTL and expires within \\d+ s$'));
  });

  test('an unreachable target fails with exit code 3 and the reason', async () => {
    const port = await freePort();
    const error = await runLoadTest(config(port)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(new RegExp(`cannot reach redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  test.each([
    [{ profile: 'bogus' }, /--workload: invalid value "bogus": allowed are get-set, inference-cache, session-store, feature-store, rate-limiter, leaderboard/],
    [{ profile: 'leaderboard', slo: parseSlo('hit_ratio>80%') }, /--slo term: invalid value "hit_ratio>80%": the leaderboard profile does not measure hit_ratio/],
    [{ keyPrefix: '' }, /--key-prefix: invalid value ""/],
    [{ rate: 0 }, /--rate: invalid value 0: an open-loop run needs a rate above 0/],
  ])('bad configuration %j is refused before connecting (exit code 2)', async (overrides, message) => {
    const error = await runLoadTest(config(1, overrides)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});
