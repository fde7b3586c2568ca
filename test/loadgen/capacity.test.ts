/**
 * `--find-max-rate`: the search itself (with a step function whose limit is known exactly), and the CLI against a
 * local redis-server, with the keys of every step cleaned up.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CapacityResult, CapacityStep, findMaxRate } from '../../lib/loadgen/capacity';
import { tempDir } from '../support/cdk';
import { main } from '../../lib/cli/main';
import { ectk } from '../support/cli';
import { connect, RedisServer, startRedis } from '../support/redis';
import { startThrottleProxy } from '../support/throttle-proxy';

const latency = { p50: 1, p90: 1, p99: 1, p99_9: 1, max: 1, mean: 1 };
/** A step that passes up to `limit` requests per second: the search's input, with the answer known. */
const limitedAt = (limit: number) => async (rate: number): Promise<CapacityStep> => ({
  rate, achieved_rate: rate, latency_ms: latency, error_rate: 0, verdict: rate <= limit ? 'met' : 'breached', passed: rate <= limit,
  service_p99_ms: latency.p99, lag_p99_ms: 0, generator_limited: false,
});
const search = { slo: 'p99<5ms', startRate: 1000, maxRate: 1_000_000, precision: 0.1, maxSteps: 30 };

describe('the capacity search', () => {
  test.each([3700, 1000, 999_999, 12_345])('finds a limit of %i within 10 %, doubling then bisecting', async (limit) => {
    const result = await findMaxRate(search, limitedAt(limit));
    expect(result.max_rate).not.toBeNull();
    expect(result.max_rate!).toBeLessThanOrEqual(limit);
    expect(result.max_rate!).toBeGreaterThanOrEqual(limit / 1.1);
    // The answer is a rate that was measured and passed, and every faster measured rate failed.
    expect(result.steps.find((s) => s.rate === result.max_rate)?.passed).toBe(true);
    expect(result.steps.filter((s) => s.rate > result.max_rate!).every((s) => !s.passed)).toBe(true);
    expect(result.steps.length).toBeLessThanOrEqual(search.maxSteps);
  });

  test('below the first rate it halves until a rate passes; nothing passing gives null', async () => {
    const low = await findMaxRate(search, limitedAt(300));
    expect(low.steps.map((s) => s.rate).slice(0, 3)).toEqual([1000, 500, 250]);
    expect(low.max_rate!).toBeGreaterThanOrEqual(300 / 1.1);
    const none = await findMaxRate({ ...search, maxSteps: 4 }, limitedAt(0));
    expect(none).toMatchObject({ max_rate: null, capped: false });
    expect(none.steps.map((s) => s.rate)).toEqual([1000, 500, 250, 125]);
  });

  test('the cap ends the ramp and says so; an abort ends the search between steps', async () => {
    expect(await findMaxRate({ ...search, maxRate: 5000 }, limitedAt(1e9))).toMatchObject({ max_rate: 5000, capped: true });
    const controller = new AbortController();
    const aborted: CapacityResult = await findMaxRate({ ...search, signal: controller.signal }, async (rate) => {
      controller.abort();
      return limitedAt(1e9)(rate);
    });
    expect(aborted.steps).toHaveLength(1);
    expect(aborted.stopped_by).toBe('stopped');
  });

  test('an interrupted step counts neither way and ends the search; a step that cannot run ends it with the reason', async () => {
    const interrupted = await findMaxRate(search, async (rate) => (rate < 4000 ? limitedAt(1e9)(rate)
      : { ...(await limitedAt(1e9)(rate)), verdict: 'interrupted', passed: false }));
    expect(interrupted.steps.map((s) => [s.rate, s.verdict])).toEqual([[1000, 'met'], [2000, 'met'], [4000, 'interrupted']]);
    expect(interrupted).toMatchObject({ max_rate: 2000, stopped_by: 'stopped', capped: false });
    const failing = await findMaxRate(search, async (rate) => {
      if (rate > 2000) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      return limitedAt(1e9)(rate);
    });
    expect(failing).toMatchObject({ max_rate: 2000, stopped_by: 'error', error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(failing.steps.map((s) => s.rate)).toEqual([1000, 2000]);
  });

  test('the result says what ended the search, so that a lower bound is never read as the capacity', async () => {
    expect((await findMaxRate(search, limitedAt(3700))).stopped_by).toBe('slo');
    expect((await findMaxRate({ ...search, maxRate: 5000 }, limitedAt(1e9))).stopped_by).toBe('max-rate');
    expect((await findMaxRate({ ...search, maxSteps: 3 }, limitedAt(1e9))).stopped_by).toBe('steps');
    expect((await findMaxRate({ ...search, maxSteps: 4 }, limitedAt(0))).stopped_by).toBe('steps');
    expect((await findMaxRate({ ...search, startRate: 4 }, limitedAt(0))).stopped_by).toBe('slo');
    // Above 3000 the generator cannot keep up: the answer is the generator's limit, a lower bound of the cache's.
    const generatorBound = await findMaxRate(search, async (rate) => (rate <= 3000 ? limitedAt(1e9)(rate)
      : { ...(await limitedAt(0)(rate)), verdict: 'untrustworthy' }));
    expect(generatorBound).toMatchObject({ stopped_by: 'generator' });
    expect(generatorBound.max_rate!).toBeGreaterThanOrEqual(3000 / 1.1);
  });

  test('a failed step the generator limited ends the search: no lower rate is tried and blamed on the cache', async () => {
    const limited = await findMaxRate(search, async (rate) => (rate <= 2000 ? limitedAt(1e9)(rate)
      : { ...(await limitedAt(0)(rate)), verdict: 'untrustworthy', generator_limited: true }));
    expect(limited.steps.map((st) => st.rate)).toEqual([1000, 2000, 4000]);
    expect(limited).toMatchObject({ max_rate: 2000, stopped_by: 'generator', generator_limited_at: 4000 });
    // The same from the first step: no answer at all, rather than halving down to a rate the generator can drive.
    const first = await findMaxRate(search, async (rate) => ({ ...(await limitedAt(0)(rate)), verdict: 'fell-behind', generator_limited: true }));
    expect(first).toMatchObject({ max_rate: null, stopped_by: 'generator', generator_limited_at: 1000 });
    expect(first.steps).toHaveLength(1);
  });

  test('a time budget starts no step that would not end within it, judged by the longest step so far', async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      // Each step takes 10 s of this clock; with 35 s, three steps fit (30 s) and a fourth (40 s) would not.
      const result = await findMaxRate({ ...search, budgetMs: 35_000 }, async (rate) => { now += 10_000; return limitedAt(1e9)(rate); });
      expect(result.steps.map((st) => st.rate)).toEqual([1000, 2000, 4000]);
      expect(result).toMatchObject({ max_rate: 4000, stopped_by: 'budget' });
    } finally {
      clock.mockRestore();
    }
  });
});

describe('ectk loadtest --find-max-rate against a local redis-server', () => {
  let server: RedisServer;
  let dir: string;
  beforeAll(async () => { server = await startRedis(); dir = tempDir('ectk-capacity-'); });
  afterAll(async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  const endpoint = () => ['--endpoint', `redis://127.0.0.1:${server.port}`];

  test('steps the rate, prints and writes every step with its verdict, answers with the highest passing one, and leaves no key behind', async () => {
    // Which steps pass depends on this machine (a step the generator could not send on time does not count), so the
    // test checks that the answer follows from the steps; the search itself is checked above with a known limit.
    const json = path.join(dir, 'capacity.json');
    const run = await ectk('loadtest', ...endpoint(), '--find-max-rate', '--slo', 'p99<200ms,errors<1%', '--rate', '100', '--max-rate', '200',
      '--steps', '4', '--duration', '2s', '--warmup', '1s', '--json', json);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^ectk loadtest --find-max-rate: get-set against redis:\/\/127\.0\.0\.1:\d+, SLO p99<200ms,errors<1%$/m);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as CapacityResult;
    // Each row: rate, achieved, p50, p99, p99.9, the service time p99 and the generator's lag p99 (so that the cache's
    // limit can be told from the machine's), errors, verdict.
    const printed = [...run.stdout.matchAll(/^ +(\d+) +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +([\d.]+) +([\d.]+) +[\d.]+ % +(\S+)$/gm)]
      .map((m) => [Number(m[1]), Number(m[2]), Number(m[3]), m[4]]);
    expect(printed).toEqual(result.steps.map((st) => [st.rate, Number(st.service_p99_ms.toFixed(3)), Number(st.lag_p99_ms.toFixed(3)), st.verdict]));
    for (const st of result.steps) expect(typeof st.generator_limited).toBe('boolean');
    expect(result.steps[0].rate).toBe(100);
    expect(result.steps.length).toBeLessThanOrEqual(4);
    for (const st of result.steps) {
      expect(['met', 'breached', 'untrustworthy', 'fell-behind']).toContain(st.verdict);
      expect(st.passed).toBe(st.verdict === 'met');
      expect(st.rate).toBeLessThanOrEqual(200);
    }
    const passing = result.steps.filter((st) => st.passed).map((st) => st.rate);
    expect(result.max_rate).toBe(passing.length ? Math.max(...passing) : null);
    expect(result.capped).toBe(result.max_rate === 200);
    expect(run.code).toBe(result.max_rate === null ? 1 : 0);
    expect(run.stdout).toMatch(result.max_rate === null ? /no rate met the SLO/ : new RegExp(`highest rate that met the SLO: ${result.max_rate} ops/s`));
    const client = connect(server.port);
    try {
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  test('with a limit injected at 600 commands/s (a throttling proxy in front of the server), the search finds it', async () => {
    // Above 600/s the proxy queues commands, so latency grows for as long as the step lasts and p99<50ms fails; below,
    // nothing waits. The search must land within its 10 % precision below the limit, and say the SLO ended it.
    const proxy = await startThrottleProxy(server.port, 600);
    try {
      const json = path.join(dir, 'limited.json');
      // A process of its own, as users run it: in-process, the test runner's own pauses would be the generator's.
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'lib', 'cli', 'ectk.ts'),
        'loadtest', '--endpoint', `redis://127.0.0.1:${proxy.port}`, '--find-max-rate', '--slo', 'p99<50ms',
        '--rate', '100', '--max-rate', '2000', '--steps', '10', '--duration', '3s', '--warmup', '500ms', '--ratio', '0:1', '--json', json], { encoding: 'utf8' });
      const result = JSON.parse(fs.readFileSync(json, 'utf8')) as CapacityResult;
      // Every rate above the limit was breached by the queue (not written off as the generator's), and the answer is
      // the limit within the search's precision.
      const above = result.steps.filter((st) => st.rate > 630);
      if (above.length === 0) throw new Error(`no step went above the limit:\n${run.stdout}${run.stderr}`);
      for (const st of above) expect(st.verdict).toBe('breached');
      expect(result.max_rate!).toBeGreaterThanOrEqual(600 / 1.1);
      expect(result.max_rate!).toBeLessThanOrEqual(600 * 1.05);
      expect(result.stopped_by).toBe('slo');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`highest rate that met the SLO: ${result.max_rate} ops/s$`, 'm'));
    } finally {
      await proxy.close();
    }
  }, 90_000);

  test('an SLO no rate meets: the search halves down, says so, and exits 1', async () => {
    const run = await ectk('loadtest', ...endpoint(), '--find-max-rate', '--slo', 'p50<1us', '--rate', '200', '--steps', '3', '--duration', '1s', '--warmup', '0s');
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^ +\d+ +[\d.]+ .* breached$/gm)).toHaveLength(3);
    expect(run.stdout).toMatch(/no rate met the SLO \(the lowest tried: 50 ops\/s\)/);
  });

  test('Ctrl-C as a step starts: the step is reported as interrupted, never as met, and its achieved rate is not above the offered one', async () => {
    const json = path.join(dir, 'interrupted.json');
    const listeners = process.listenerCount('SIGINT');
    const running = ectk('loadtest', ...endpoint(), '--find-max-rate', '--slo', 'p99<200ms', '--rate', '1000', '--steps', '4', '--duration', '5s',
      '--warmup', '0s', '--json', json);
    // The moment the search's interrupt handler is in place, before or as its first step starts sending.
    while (process.listenerCount('SIGINT') === listeners) await new Promise((resolve) => setImmediate(resolve));
    process.emit('SIGINT', 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as CapacityResult;
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({ rate: 1000, verdict: 'interrupted', passed: false });
    expect(result.steps[0].achieved_rate).toBeLessThanOrEqual(1000);
    expect(result).toMatchObject({ max_rate: null, stopped_by: 'stopped' });
    expect(run.stdout).toMatch(/no step ran its full window \(interrupted: the steps measured so far\)/);
    expect(run.stdout).not.toMatch(/highest rate that met the SLO/);
  }, 60_000);

  test('the server dies during the search: the steps measured before go to --json, and the search says why it stopped (exit 3)', async () => {
    const doomed = await startRedis();
    const json = path.join(dir, 'died.json');
    let stdout = '';
    let stderr = '';
    // The first step row printed: the server goes away before the next step.
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      if (/^ +\d+ +[\d.]+ .* (met|breached|untrustworthy|fell-behind)$/m.test(stdout) && doomed.process.exitCode === null) doomed.process.kill('SIGKILL');
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
    let code: number;
    try {
      code = await main(['node', 'ectk', 'loadtest', '--endpoint', `redis://127.0.0.1:${doomed.port}`, '--find-max-rate', '--slo', 'p99<200ms',
        '--rate', '100', '--steps', '6', '--duration', '1s', '--warmup', '0s', '--timeout', '500ms', '--json', json]);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
      await doomed.stop();
    }
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as CapacityResult;
    expect(result.steps.length).toBeGreaterThanOrEqual(1);
    expect(result.steps[0].rate).toBe(100);
    expect(result.stopped_by).toBe('error');
    expect(result.error).toMatch(new RegExp(`127\\.0\\.0\\.1:${doomed.port}`));
    expect(stderr).toMatch(/^ectk: the search stopped: /m);
    expect(code).toBe(3);
  }, 60_000);

  test.each([
    [['--find-max-rate'], /--slo: invalid value null: --find-max-rate looks for the highest rate that meets an SLO/],
    [['--find-max-rate', '--slo', 'p99<5ms', '--closed-loop'], /--closed-loop: invalid value true: --find-max-rate steps the open-loop rate/],
    [['--find-max-rate', '--slo', 'p99<5ms', '--report', 'r.html'], /--report: invalid value "r.html": is written for a single run/],
    [['--find-max-rate', '--slo', 'p99<5ms', '--rate', '5000', '--max-rate', '1000'], /--rate: invalid value 5000: the first step must not exceed --max-rate \(1000\)/],
  ])('bad usage names the flag: %j', async (args, message) => {
    const run = await ectk('loadtest', ...endpoint(), ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
