import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { encode, Histogram, newHistogram, recordMs } from './histogram';
import { errorKind } from '../client/target';
import { OpOutcome } from './workloads/types';

/** Event-loop delay percentiles of a thread, in ms. */
export interface EventLoopDelay { readonly p50: number; readonly p99: number; readonly max: number }

/** One second of the measured window, while it is recorded. */
export interface SecondProgress { ops: number; errors: number; histogram: Histogram }

/** What a recorder holds at the end of a worker's run, serialisable across threads. */
export interface Recording {
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
  /** The workload's counters, by the names its catalog entry declares. */
  readonly counts: Readonly<Record<string, number>>;
  /** Requests scheduled in the measured window. */
  readonly scheduled: number;
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

/** How often the event loop is sampled (perf_hooks' resolution), in ms. */
const LOOP_SAMPLE_MS = 10;

/**
 * Everything a worker measures, from the end of warm-up: latency from the intended send, service time from the actual
 * send, the scheduler's lag, errors by kind, the workload's counters, a histogram per second and the thread's own
 * event-loop delay. Knows nothing of how requests are scheduled or sent; a request intended before `measureFrom` is
 * not recorded.
 */
export class Recorder {
  public ops = 0;
  public errors = 0;
  public scheduled = 0;
  /** The completion time of the last measured request. */
  public lastDone = 0;
  /** Requests sent and not yet completed (warm-up included). */
  public inFlight = 0;
  private readonly latency = newHistogram();
  private readonly serviceTime = newHistogram();
  private readonly lag = newHistogram();
  private readonly errorsByKind: Record<string, number> = {};
  private readonly errorExamples: Record<string, string> = {};
  private readonly counts: Record<string, number> = {};
  private readonly seconds: SecondProgress[] = [];
  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  private readonly warmupOver: NodeJS.Timeout;
  private reported = 0;

  constructor(public readonly measureFrom: number, counters: readonly string[]) {
    for (const c of counters) this.counts[c] = 0;
    this.loopDelay.enable();
    // The event-loop delay counts from the end of warm-up.
    this.warmupOver = setTimeout(() => this.loopDelay.reset(), Math.max(0, measureFrom - performance.now()));
  }

  /** `count` requests leave at `sent`, intended at `intended`; `lagged` records how late (open loop). */
  public sent(intended: number, sent: number, count = 1, lagged = false): void {
    this.inFlight += count;
    if (intended < this.measureFrom) return;
    this.scheduled += count;
    if (lagged) recordMs(this.lag, sent - intended);
  }

  /** A request completed at `done` with an outcome (its counters) or an error. */
  public done(intended: number, sent: number, outcome: OpOutcome | undefined, error: unknown, done = performance.now()): void {
    this.inFlight--;
    if (intended < this.measureFrom) return;
    if (done > this.lastDone) this.lastDone = done;
    const fromIntended = done - intended;
    recordMs(this.latency, fromIntended);
    recordMs(this.serviceTime, done - sent);
    const second = this.secondOf(intended);
    recordMs(second.histogram, fromIntended);
    this.ops++;
    second.ops++;
    if (error !== undefined) {
      this.errors++;
      second.errors++;
      const kind = errorKind(error);
      this.errorsByKind[kind] = (this.errorsByKind[kind] ?? 0) + 1;
      this.errorExamples[kind] ??= (error instanceof Error ? error.message : String(error)).slice(0, 300);
      return;
    }
    if (outcome) for (const counter in outcome) this.counts[counter] = (this.counts[counter] ?? 0) + outcome[counter];
  }

  /** The seconds completed by `now` that were not handed out before, for progress lines. */
  public completedSeconds(now = performance.now()): SecondProgress[] {
    const upTo = Math.max(this.reported, Math.floor((now - this.measureFrom) / 1000));
    const done = this.seconds.slice(this.reported, upTo);
    this.reported += done.length;
    return done;
  }

  /** Stops sampling the event loop and returns the recording. */
  public finish(): Recording {
    clearTimeout(this.warmupOver);
    this.loopDelay.disable();
    return {
      ops: this.ops, errors: this.errors, errorsByKind: this.errorsByKind, errorExamples: this.errorExamples, counts: this.counts,
      scheduled: this.scheduled,
      latency: encode(this.latency), serviceTime: encode(this.serviceTime), schedulingLag: encode(this.lag),
      seconds: this.seconds.map((s) => ({ ops: s.ops, errors: s.errors, latency: encode(s.histogram) })),
      eventLoopDelayMs: eventLoopDelayOf(this.loopDelay),
    };
  }

  private secondOf(t: number): SecondProgress {
    const index = Math.floor((t - this.measureFrom) / 1000);
    while (this.seconds.length <= index) this.seconds.push({ ops: 0, errors: 0, histogram: newHistogram(2) });
    return this.seconds[index];
  }
}

/**
 * perf_hooks records the whole interval between two samples in nanoseconds (about LOOP_SAMPLE_MS on an idle loop), and
 * NaN before its first sample; the delay is what exceeds the sampling interval.
 */
function eventLoopDelayOf(h: ReturnType<typeof monitorEventLoopDelay>): EventLoopDelay {
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, Math.round(ns / 1000 - LOOP_SAMPLE_MS * 1000)) / 1000 : 0);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}
