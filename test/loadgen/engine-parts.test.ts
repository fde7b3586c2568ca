import { performance } from 'perf_hooks';
import { decode } from '../../lib/loadgen/histogram';
import { Rng } from '../../lib/loadgen/random';
import { Recorder } from '../../lib/loadgen/recorder';
import { RunClock } from '../../lib/loadgen/run-clock';
import { closedLoop } from '../../lib/loadgen/schedulers/closed-loop';
import { openLoop } from '../../lib/loadgen/schedulers/open-loop';
import { pipelinedLoop } from '../../lib/loadgen/schedulers/pipelined';

/** The engine's parts on their own, without a server: what each decides or counts, never how fast. */
describe('RunClock', () => {
  test('measures from the end of warm-up and ends at the planned end, or earlier at a deadline', () => {
    const clock = new RunClock(200, 1000, Infinity, 5000);
    expect([clock.measureFrom, clock.plannedEnd, clock.end, clock.cutShort]).toEqual([5200, 6200, 6200, false]);
    const short = new RunClock(200, 1000, 5900, 5000);
    expect([short.end, short.cutShort]).toEqual([5900, true]);
  });

  test('an interrupt ends sending now, wakes its listeners once, and counts only before the end', () => {
    const clock = new RunClock(0, 60_000);
    let woken = 0;
    clock.onStop(() => woken++);
    clock.stop();
    clock.stop();
    expect([clock.interrupted, clock.sending(), woken]).toEqual([true, false, 1]);
    const over = new RunClock(0, 1, Infinity, performance.now() - 10);
    over.stop();
    expect(over.interrupted).toBe(false);
  });
});

describe('Recorder', () => {
  test('counts measured requests, their outcomes and errors by kind; warm-up requests are not measured', () => {
    const r = new Recorder(1000, ['hits', 'misses']);
    r.sent(900, 900);
    r.done(900, 900, { hits: 1 }, undefined, 901);
    r.sent(1000, 1000.5, 1, true);
    r.done(1000, 1000.5, { hits: 1 }, undefined, 1001);
    r.sent(1500, 1500);
    r.done(1500, 1500, { misses: 1 }, undefined, 1502);
    r.sent(2100, 2100);
    r.done(2100, 2100, undefined, new Error('ETIMEDOUT'), 2200);
    r.sent(2200, 2200);
    const rec = r.finish();
    expect([rec.ops, rec.errors, rec.scheduled, r.inFlight, r.lastDone]).toEqual([3, 1, 4, 1, 2200]);
    expect(rec.counts).toEqual({ hits: 1, misses: 1 });
    expect(Object.values(rec.errorsByKind)).toEqual([1]);
    expect(Object.values(rec.errorExamples)).toEqual(['ETIMEDOUT']);
    expect(rec.seconds.map((s) => [s.ops, s.errors])).toEqual([[2, 0], [1, 1]]);
    expect(decode(rec.latency).totalCount).toBe(3);
    expect(decode(rec.schedulingLag).totalCount).toBe(1);
    expect(decode(rec.schedulingLag).maxValue).toBeGreaterThanOrEqual(500);
  });

  test('hands out each completed second once, for progress lines', () => {
    const r = new Recorder(0, []);
    for (const t of [10, 20, 1500]) { r.sent(t, t); r.done(t, t, {}, undefined, t + 1); }
    expect(r.completedSeconds(1200).map((s) => s.ops)).toEqual([2]);
    expect(r.completedSeconds(1300)).toEqual([]);
    expect(r.completedSeconds(2000).map((s) => s.ops)).toEqual([1]);
    r.finish();
  });
});

describe('schedulers', () => {
  test('open loop at a constant rate intends exactly rate × duration sends, at start + k / rate', async () => {
    const clock = new RunClock(0, 200);
    const intended: number[] = [];
    await openLoop(clock, 100, (t) => intended.push(t));
    expect(intended).toHaveLength(20);
    intended.forEach((t, k) => expect(t).toBeCloseTo(clock.start + k * 10, 9));
  });

  test('open loop with Poisson arrivals draws its gaps from the seed: the same seed, the same schedule', async () => {
    const schedule = async () => {
      const clock = new RunClock(0, 100, Infinity, performance.now());
      const gaps: number[] = [];
      let last = clock.start;
      await openLoop(clock, 200, (t) => { gaps.push(t - last); last = t; }, new Rng(7));
      return gaps;
    };
    const [a, b] = [await schedule(), await schedule()];
    expect(a).toHaveLength(b.length);
    a.forEach((gap, i) => expect(gap).toBeCloseTo(b[i], 6));
    expect(new Set(a.slice(1).map((g) => g.toFixed(3))).size).toBeGreaterThan(3);
  });

  test('an interrupt ends an open loop asleep between sends at once, and nothing is sent after it', async () => {
    const clock = new RunClock(0, 60_000);
    const sent: number[] = [];
    const done = openLoop(clock, 0.1, (t) => sent.push(t));
    setTimeout(() => clock.stop(), 20);
    await done;
    expect(sent).toEqual([clock.start]);
  });

  test('closed loop keeps each lane at one request in flight, and every lane runs', async () => {
    const clock = new RunClock(0, 60_000);
    const inFlight = [0, 0, 0];
    const perLane = [0, 0, 0];
    let most = 0;
    await closedLoop(clock, 3, async (lane) => {
      inFlight[lane]++;
      most = Math.max(most, inFlight[lane]);
      await new Promise((r) => setImmediate(r));
      inFlight[lane]--;
      if (++perLane[lane] === 5 && lane === 2) clock.stop();
    });
    expect(most).toBe(1);
    expect(perLane.every((n) => n >= 5)).toBe(true);
  });

  test('pipelined loop sends one batch per connection at a time, and yields to I/O after a failed batch', async () => {
    const clock = new RunClock(0, 60_000);
    const batches = [0, 0];
    let ioRan: boolean | undefined;
    let ioRanBeforeRetry: boolean | undefined;
    await pipelinedLoop(clock, 2, async (connection) => {
      batches[connection]++;
      if (connection === 0 && batches[0] === 3) ioRanBeforeRetry = ioRan;
      if (batches[0] >= 5 && batches[1] >= 5) clock.stop();
      // A batch that fails does so at once (a refused connection); one that succeeds waits for its replies (I/O).
      if (connection === 0 && batches[0] === 2) {
        ioRan = false;
        setImmediate(() => { ioRan = true; });
        return true;
      }
      await new Promise((r) => setImmediate(r));
      return false;
    });
    expect(batches.every((n) => n >= 5)).toBe(true);
    expect(ioRanBeforeRetry).toBe(true);
  });
});
