import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { encode, Histogram, newHistogram, recordMs } from './histogram';
import { Rng } from './random';
import { Client, createClient, errorKind, openPipelineConnection, PipelineConnection, TargetOptions } from './target';
import { workloadFactory, workloadParams } from './workloads';
import { OpOutcome, SingleCommand, WorkloadParams } from './workloads/types';

/** One worker's share of a run. */
export interface WorkerPlan extends WorkloadParams {
  readonly target: TargetOptions;
  readonly profile: string;
  /** Requests per second for this worker (open loop); ignored in closed loop. */
  readonly rate: number;
  readonly closedLoop: boolean;
  /** Poisson arrivals instead of a constant interval (open loop). */
  readonly poisson: boolean;
  readonly connections: number;
  /**
   * Requests in flight per connection in closed loop. Single-command profiles on a standalone endpoint send them as
   * one batch per round trip (as `redis-benchmark -P` does); others keep this many operations going independently.
   */
  readonly pipeline: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Epoch ms by which the worker must have stopped sending (Lambda deadline). */
  readonly deadline?: number;
  /**
   * Aborted to stop sending now (Ctrl-C, SIGTERM): the worker drains what is in flight and reports what it measured.
   * Stays in the thread that owns it (worker threads get their own, aborted by a message).
   */
  readonly signal?: AbortSignal;
  /** Run key prefix, `<prefix><runId>:`. */
  readonly keyPrefix: string;
  readonly seed: number;
}

/** A worker's measurements, serialisable across threads. */
export interface WorkerResult {
  /** Requests completed after warm-up (successes and errors). */
  readonly ops: number;
  readonly errors: number;
  readonly errorsByKind: Record<string, number>;
  /** The first error message of each kind, to say what `other` (or any kind) was. */
  readonly errorExamples: Record<string, string>;
  /** Latency from the intended send time, compressed base64 HdrHistogram (µs). */
  readonly latency: string;
  /** Service time from the actual send, compressed base64 HdrHistogram (µs). */
  readonly serviceTime: string;
  readonly hits: number;
  readonly misses: number;
  readonly allowed: number;
  readonly denied: number;
  /** Hits whose answer belonged to another intent (semantic-cache). */
  readonly falseHits: number;
  /** Measured window in ms: from the end of warm-up to the last send or the last completion, whichever is later. */
  readonly measuredMs: number;
  /** Requests scheduled in the measured window. */
  readonly scheduled: number;
  /** True when a deadline ended the run before its planned end. */
  readonly cutShort: boolean;
  /** True when the signal stopped the run before its planned end. */
  readonly interrupted: boolean;
  /** Per second of the measured window: ops, errors and the latency histogram of that second. */
  readonly seconds: Array<{ ops: number; errors: number; latency: string }>;
  /**
   * How late the open-loop scheduler sent each measured request after its intended time, compressed base64
   * HdrHistogram (µs): the generator's own share of the latency. Empty in closed loop, where every request leaves when
   * it is sent.
   */
  readonly schedulingLag: string;
  /** This worker's event-loop delay over the measured window (perf_hooks), in ms. */
  readonly eventLoopDelayMs: EventLoopDelay;
}

/** Event-loop delay percentiles of a thread, in ms. */
export interface EventLoopDelay { readonly p50: number; readonly p99: number; readonly max: number }

interface Progress { ops: number; errors: number; histogram: Histogram }

/** Runs one worker: its own connections, scheduler and histograms. */
export async function runWorker(plan: WorkerPlan, onSecond?: (p: Progress) => void): Promise<WorkerResult> {
  const rng = new Rng(plan.seed);
  const workload = workloadFactory(plan.profile)({ ...workloadParams(plan), keyPrefix: plan.keyPrefix, rng });
  // Closed loop of a single-command profile on a standalone endpoint: batches over pipeline connections instead.
  const single = plan.closedLoop && !plan.target.cluster ? workload.request : undefined;
  const clients: Client[] = single ? [] : Array.from({ length: plan.connections }, () => createClient(plan.target, { autoPipelining: plan.closedLoop }));
  await Promise.all(clients.map((c) => c.connect().catch(() => undefined)));

  const latency = newHistogram();
  const serviceTime = newHistogram();
  const schedulingLag = newHistogram();
  // The thread's own event-loop delay, sampled every 10 ms and counted from the end of warm-up.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loopDelay.enable();
  const errorsByKind: Record<string, number> = {};
  const errorExamples: Record<string, string> = {};
  const seconds: Array<{ ops: number; errors: number; histogram: Histogram }> = [];
  let ops = 0;
  let errors = 0;
  let hits = 0;
  let misses = 0;
  let allowed = 0;
  let denied = 0;
  let falseHits = 0;
  let scheduled = 0;
  let lastDone = 0;

  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const warmupOver = setTimeout(() => loopDelay.reset(), plan.warmupMs);
  // start + (warmup + duration), the same shape as a send's start + k × interval: a send due exactly at the end is
  // compared with the end computed the same way, so an integer-millisecond schedule counts exactly rate × duration.
  const plannedEnd = start + (plan.warmupMs + plan.durationMs);
  // Stop sending early enough that requests still in flight finish (or time out) before the deadline.
  const deadlineEnd = plan.deadline === undefined ? Infinity : start + (plan.deadline - Date.now()) - plan.target.timeoutMs;
  let end = Math.min(plannedEnd, deadlineEnd);
  const cutShort = end < plannedEnd;
  let interrupted = false;
  let wakeScheduler: (() => void) | undefined;
  const stop = () => {
    if (performance.now() >= end) return;
    interrupted = true;
    end = performance.now();
    wakeScheduler?.();
  };
  if (plan.signal?.aborted) stop();
  plan.signal?.addEventListener('abort', stop, { once: true });

  const secondOf = (t: number) => {
    const index = Math.floor((t - measureFrom) / 1000);
    while (seconds.length <= index) {
      seconds.push({ ops: 0, errors: 0, histogram: newHistogram(2) });
    }
    return seconds[index];
  };

  const record = (intended: number, sent: number, outcome: OpOutcome | undefined, error: unknown, done = performance.now()) => {
    if (intended < measureFrom) return;
    lastDone = Math.max(lastDone, done);
    const fromIntended = done - intended;
    recordMs(latency, fromIntended);
    recordMs(serviceTime, done - sent);
    const second = secondOf(intended);
    recordMs(second.histogram, fromIntended);
    ops++;
    second.ops++;
    if (error !== undefined) {
      errors++;
      second.errors++;
      const kind = errorKind(error);
      errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
      errorExamples[kind] ??= (error instanceof Error ? error.message : String(error)).slice(0, 300);
      return;
    }
    if (outcome?.hit === true) hits++;
    if (outcome?.hit === false) misses++;
    if (outcome?.allowed === true) allowed++;
    if (outcome?.allowed === false) denied++;
    if (outcome?.falseHit === true) falseHits++;
  };

  let inFlight = 0;
  const dispatch = (intended: number, client: Client): Promise<void> => {
    const sent = performance.now();
    inFlight++;
    if (intended >= measureFrom) {
      scheduled++;
      if (!plan.closedLoop) recordMs(schedulingLag, sent - intended);
    }
    return workload.operation(client).then(
      (outcome) => record(intended, sent, outcome, undefined),
      (error: unknown) => record(intended, sent, undefined, error ?? new Error('unknown error')),
    ).finally(() => { inFlight--; });
  };

  let reported = 0;
  const progress = setInterval(() => {
    if (!onSecond) return;
    const done = seconds.slice(reported, Math.max(reported, Math.floor((performance.now() - measureFrom) / 1000)));
    reported += done.length;
    for (const s of done) onSecond({ ops: s.ops, errors: s.errors, histogram: s.histogram });
  }, 1000);

  // The pipelined path: a batch of single commands per connection per round trip, one timer per batch.
  if (single) {
    const connections = await Promise.all(Array.from({ length: plan.connections }, () => openPipelineConnection(plan.target)));
    await Promise.all(connections.map(async (connection) => {
      while (performance.now() < end) {
        const sent = performance.now();
        const batch = Array.from({ length: plan.pipeline }, single);
        inFlight += batch.length;
        if (sent >= measureFrom) scheduled += batch.length;
        const failed = await sendBatch(connection, batch, plan.target.timeoutMs, (outcome, error, done) => {
          inFlight--;
          record(sent, sent, outcome, error, done);
        });
        // After failures (connection lost, server errors) give reconnection I/O a turn instead of spinning.
        if (failed) await new Promise((r) => setImmediate(r));
      }
    }));
    connections.forEach((c) => c.close());
  } else if (plan.closedLoop) {
    const loops = clients.flatMap((client) => Array.from({ length: plan.pipeline }, async () => {
      while (performance.now() < end) await dispatch(performance.now(), client);
    }));
    await Promise.all(loops);
  } else {
    const interval = 1000 / plan.rate;
    await new Promise<void>((resolve) => {
      let next = start;
      let sends = 0;
      let i = 0;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      // Once finished, a turn of the pump that was already scheduled sends nothing: after an interrupt the run drains
      // and closes its connections, and a request sent then would fail on a closing connection.
      const finish = () => { finished = true; clearTimeout(timer); resolve(); };
      // An interrupt ends a sleep between sends at once, whatever the rate.
      wakeScheduler = finish;
      const pump = () => {
        if (finished) return;
        const now = performance.now();
        // Send everything that is due, each with its intended time: a stall shows up as latency (no coordinated omission).
        while (next <= now && next < end) {
          void dispatch(next, clients[i++ % clients.length]);
          // A constant rate computes each send's time from its index: adding the interval over and over accumulates
          // rounding, which decided whether a send on the window's edge was counted (1,500 or 1,501).
          sends++;
          next = plan.poisson ? next + rng.exponential(interval) : start + sends * interval;
        }
        if (next >= end) return finish();
        const wait = next - performance.now();
        // Timers are only millisecond-precise: sleep until ~1 ms before the next send, then yield to I/O until due.
        if (wait > 2) timer = setTimeout(pump, wait - 1);
        else setImmediate(pump);
      };
      pump();
    });
  }

  // Requests still in flight complete or time out (commandTimeout) shortly after the last send.
  const drainUntil = performance.now() + plan.target.timeoutMs + 500;
  while (inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  clearInterval(progress);
  clearTimeout(warmupOver);
  loopDelay.disable();
  plan.signal?.removeEventListener('abort', stop);
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));

  return {
    ops, errors, errorsByKind, errorExamples, hits, misses, allowed, denied, falseHits, scheduled, cutShort, interrupted,
    latency: encode(latency),
    serviceTime: encode(serviceTime),
    // Until the last measured request completed: a generator that falls behind shows a rate below target.
    measuredMs: Math.max(0, Math.max(end, lastDone) - measureFrom),
    seconds: seconds.map((s) => ({ ops: s.ops, errors: s.errors, latency: encode(s.histogram) })),
    schedulingLag: encode(schedulingLag),
    eventLoopDelayMs: eventLoopDelayOf(loopDelay),
  };
}

/** How often the event loop is sampled (perf_hooks' resolution), in ms. */
const LOOP_SAMPLE_MS = 10;

/**
 * perf_hooks records the whole interval between two samples in nanoseconds (about LOOP_SAMPLE_MS on an idle loop), and
 * NaN before its first sample; the delay is what exceeds the sampling interval.
 */
function eventLoopDelayOf(h: ReturnType<typeof monitorEventLoopDelay>): EventLoopDelay {
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, Math.round(ns / 1000 - LOOP_SAMPLE_MS * 1000)) / 1000 : 0);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

/**
 * Sends a batch of single commands at once and reports each as it completes (`done` is its completion time). One
 * timer covers the batch: commands without a reply after `timeoutMs` are reported as timeouts at that moment and
 * their late replies ignored. Resolves when every command is reported; true if any failed.
 */
function sendBatch(
  connection: PipelineConnection,
  batch: SingleCommand[],
  timeoutMs: number,
  report: (outcome: OpOutcome | undefined, error: unknown, done: number) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const reported = new Array<boolean>(batch.length).fill(false);
    let pending = batch.length;
    let failed = false;
    const finish = (i: number, outcome: OpOutcome | undefined, error: unknown) => {
      if (reported[i]) return;
      reported[i] = true;
      if (error !== undefined) failed = true;
      report(outcome, error, performance.now());
      if (--pending === 0) {
        clearTimeout(timer);
        resolve(failed);
      }
    };
    const timer = setTimeout(() => {
      const timeout = new Error(`command timed out after ${timeoutMs} ms`);
      for (let i = 0; i < batch.length; i++) finish(i, undefined, timeout);
    }, timeoutMs);
    batch.forEach((command, i) => connection.send(command.args).then(
      (reply) => finish(i, command.outcome(reply), undefined),
      (error: unknown) => finish(i, undefined, error ?? new Error('unknown error')),
    ));
  });
}
