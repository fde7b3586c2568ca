import { performance } from 'perf_hooks';
import { workloadSpec } from '../catalog/workloads';
import { Rng } from './random';
import { Recorder, Recording, SecondProgress } from './recorder';
import { RunClock } from './run-clock';
import { closedLoop } from './schedulers/closed-loop';
import { openLoop } from './schedulers/open-loop';
import { pipelinedLoop } from './schedulers/pipelined';
import { sendBatch } from './send-batch';
import { Client, createClient, openPipelineConnection, TargetOptions } from '../client/target';
import { workloadFactory, workloadParams } from './workloads';
import { WorkloadParams } from './workloads/types';

export type { EventLoopDelay } from './recorder';

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

/** A worker's measurements (the recorder's), with the time line they cover; serialisable across threads. */
export interface WorkerResult extends Recording {
  /** Measured window in ms: from the end of warm-up to the last send or the last completion, whichever is later. */
  readonly measuredMs: number;
  /** True when a deadline ended the run before its planned end. */
  readonly cutShort: boolean;
  /** True when the signal stopped the run before its planned end. */
  readonly interrupted: boolean;
}

/**
 * Runs one worker: its connections, a recorder, and the scheduler of its mode (open loop, closed loop, or pipelined
 * closed loop for single-command profiles on a standalone endpoint) deciding when each request leaves.
 */
export async function runWorker(plan: WorkerPlan, onSecond?: (p: SecondProgress) => void): Promise<WorkerResult> {
  const rng = new Rng(plan.seed);
  const spec = workloadSpec(plan.profile);
  const workload = workloadFactory(plan.profile)({ ...workloadParams(plan), keyPrefix: plan.keyPrefix, rng });
  // Closed loop of a single-command profile on a standalone endpoint: batches over pipeline connections instead.
  const single = plan.closedLoop && !plan.target.cluster ? workload.request : undefined;
  const clients: Client[] = single ? [] : Array.from({ length: plan.connections }, () => createClient(plan.target, { autoPipelining: plan.closedLoop }));
  await Promise.all(clients.map((c) => c.connect().catch(() => undefined)));

  // Stop sending early enough that requests still in flight finish (or time out) before the deadline.
  const start = performance.now();
  const deadlineEnd = plan.deadline === undefined ? Infinity : start + (plan.deadline - Date.now()) - plan.target.timeoutMs;
  const clock = new RunClock(plan.warmupMs, plan.durationMs, deadlineEnd, start);
  const recorder = new Recorder(clock.measureFrom, spec.counters);
  const stop = () => clock.stop();
  if (plan.signal?.aborted) stop();
  plan.signal?.addEventListener('abort', stop, { once: true });
  const progress = setInterval(() => {
    if (onSecond) for (const s of recorder.completedSeconds()) onSecond(s);
  }, 1000);

  const dispatch = (intended: number, client: Client, openLoopSend: boolean): Promise<void> => {
    const sent = performance.now();
    recorder.sent(intended, sent, 1, openLoopSend);
    return workload.operation(client).then(
      (outcome) => recorder.done(intended, sent, outcome, undefined),
      (error: unknown) => recorder.done(intended, sent, undefined, error ?? new Error('unknown error')),
    );
  };

  if (single) {
    const connections = await Promise.all(Array.from({ length: plan.connections }, () => openPipelineConnection(plan.target)));
    await pipelinedLoop(clock, connections.length, (c, sent) => {
      const batch = Array.from({ length: plan.pipeline }, single);
      recorder.sent(sent, sent, batch.length);
      return sendBatch(connections[c], batch, plan.target.timeoutMs, (outcome, error, done) => recorder.done(sent, sent, outcome, error, done));
    });
    connections.forEach((c) => c.close());
  } else if (plan.closedLoop) {
    await closedLoop(clock, clients.length * plan.pipeline, (lane, intended) => dispatch(intended, clients[lane % clients.length], false));
  } else {
    let i = 0;
    await openLoop(clock, plan.rate, (intended) => { void dispatch(intended, clients[i++ % clients.length], true); }, plan.poisson ? rng : undefined);
  }

  // Requests still in flight complete or time out (commandTimeout) shortly after the last send.
  const drainUntil = performance.now() + plan.target.timeoutMs + 500;
  while (recorder.inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  clearInterval(progress);
  plan.signal?.removeEventListener('abort', stop);
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));

  return {
    ...recorder.finish(),
    cutShort: clock.cutShort,
    interrupted: clock.interrupted,
    // Until the last measured request completed: a generator that falls behind shows a rate below target.
    measuredMs: Math.max(0, Math.max(clock.end, recorder.lastDone) - clock.measureFrom),
  };
}
