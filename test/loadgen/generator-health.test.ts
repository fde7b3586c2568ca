import { parseSlo } from '../../lib/catalog/slo';
/**
 * The load generator watching itself: every run reports how late it sent (scheduling lag) and its event-loop delay,
 * and a breach that the generator's own lateness explains is reported as not trustworthy instead of breached.
 */
import { metricData } from '../../lib/loadgen/aws/publish';
import { formatSummary } from '../../lib/loadgen/report';
import { runLoadTest, sloVerdict } from '../../lib/loadgen/run';
import { ectk } from '../support/cli';
import { config } from '../support/loadtest';
import { RedisServer, startRedis } from '../support/redis';

let server: RedisServer;
beforeAll(async () => { server = await startRedis(); });
afterAll(async () => { await server.stop(); });

/** Blocks this thread's event loop for `ms` every `everyMs`: a generator that cannot keep up, made on purpose. */
function blockEventLoop(ms: number, everyMs: number): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + ms;
    while (Date.now() < until) { /* busy: nothing else runs in this thread */ }
  }, everyMs);
  return () => clearInterval(timer);
}

describe('the generator watches itself', () => {
  test('an open-loop run reports its scheduling lag and event-loop delay; a closed-loop run has no scheduling lag', async () => {
    const open = await runLoadTest(config(server.port, { rate: 500, durationMs: 2000, warmupMs: 200 }));
    expect(open.generator.scheduling_lag_ms).not.toBeNull();
    expect(open.generator.scheduling_lag_ms!.p50).toBeGreaterThanOrEqual(0);
    // The lag is part of the latency from the intended send time, never more than it.
    expect(open.generator.scheduling_lag_ms!.max).toBeLessThanOrEqual(open.latency_ms.max);
    // The delay beyond perf_hooks' 10 ms sampling interval: a loop that is mostly idle at 500 ops/s is late by far less.
    expect(open.generator.event_loop_delay_ms.p50).toBeLessThan(5);
    expect(open.generator.event_loop_delay_ms.max).toBeGreaterThanOrEqual(open.generator.event_loop_delay_ms.p50);
    expect(formatSummary(open)).toMatch(/sent late ms/);
    expect(formatSummary(open)).toMatch(/generator {4}event-loop delay p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);

    const closed = await runLoadTest(config(server.port, { closedLoop: true, connections: 1, pipeline: 1, durationMs: 1000, warmupMs: 0 }));
    expect(closed.generator.scheduling_lag_ms).toBeNull();
    expect(closed.generator.limited).toBe(false);
  });

  test('a generator whose event loop is blocked is generator-limited, and the breach it causes is no verdict', async () => {
    // 30 ms blocked of every 50: most requests fall due while the loop is blocked and leave late, in a burst.
    const unblock = blockEventLoop(30, 50);
    let result;
    try {
      result = await runLoadTest(config(server.port, { rate: 400, durationMs: 3000, warmupMs: 0, slo: parseSlo('p90<5ms') }));
    } finally {
      unblock();
    }
    expect(result.generator.limited).toBe(true);
    expect(result.generator.scheduling_lag_ms!.p99).toBeGreaterThan(10);
    // The loop was held 30 ms at a time, and the generator knows it.
    expect(result.generator.event_loop_delay_ms.max).toBeGreaterThan(15);
    expect(result.generator.reason).toMatch(/^generator-limited: requests left [\d.]+ ms late at p99 .* add threads or workers, or lower the rate$/);
    // From the intended send time the p90 is the generator's lag; from the actual send the cache answered in time.
    expect(result.slo!.passed).toBe(false);
    expect(result.service_time_ms.p90).toBeLessThan(5);
    expect(result.generator.spoils_slo).toBe(true);
    expect(sloVerdict(result)).toBe('untrustworthy');
    expect(formatSummary(result)).toMatch(/SLO p90<5ms: NOT TRUSTWORTHY \(generator-limited/);
    // Such a run publishes no SloMet point: a check that keeps failing this way fires slo-check-failing, not slo-breach.
    expect(metricData(result, 'local', new Date()).map((d) => d.MetricName)).not.toContain('SloMet');
  });

  test('a breach the service time shows too stays a breach, however late the generator was', async () => {
    const result = await runLoadTest(config(server.port, { rate: 300, durationMs: 1000, warmupMs: 0, slo: parseSlo('p50<1us') }));
    expect(result.slo!.passed).toBe(false);
    expect(result.generator.spoils_slo).toBe(false);
    expect(sloVerdict(result)).toBe('breached');
    expect(metricData(result, 'local', new Date()).find((d) => d.MetricName === 'SloMet')?.Value).toBe(0);
  });

  test('ectk loadtest exits 2 (a problem of the run, not of the cache) and says what to change when the generator spoils the SLO', async () => {
    const unblock = blockEventLoop(30, 50);
    let run;
    try {
      run = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--rate', '400', '--duration', '3s', '--warmup', '0s', '--slo', 'p90<5ms');
    } finally {
      unblock();
    }
    const { code, stdout, stderr } = run;
    expect(code).toBe(2);
    expect(stdout).toMatch(/SLO p90<5ms: NOT TRUSTWORTHY/);
    expect(stderr).toMatch(/^ectk: generator-limited: requests left [\d.]+ ms late at p99/m);
  });
});
