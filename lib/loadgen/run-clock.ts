import { performance } from 'perf_hooks';

/**
 * A worker's time line: when it started, when measuring starts (the end of warm-up), and when sending ends (the
 * planned end, a deadline, or an interrupt, whichever comes first). Times are `performance.now()` milliseconds.
 */
export class RunClock {
  public readonly start: number;
  public readonly measureFrom: number;
  /** start + (warm-up + duration). */
  public readonly plannedEnd: number;
  /** True when a deadline ends sending before the planned end. */
  public readonly cutShort: boolean;
  private endAt: number;
  private stopped = false;
  private readonly listeners: Array<() => void> = [];

  /**
   * @param deadlineEnd when sending must stop at the latest (performance.now() time), Infinity without a deadline
   */
  constructor(warmupMs: number, durationMs: number, deadlineEnd = Infinity, start = performance.now()) {
    this.start = start;
    this.measureFrom = start + warmupMs;
    // The same shape as a send's start + k × interval: a send due exactly at the end is compared with an end computed
    // the same way, so an integer-millisecond schedule counts exactly rate × duration.
    this.plannedEnd = start + (warmupMs + durationMs);
    this.endAt = Math.min(this.plannedEnd, deadlineEnd);
    this.cutShort = this.endAt < this.plannedEnd;
  }

  /** When sending ends. */
  public get end(): number {
    return this.endAt;
  }

  /** True when an interrupt stopped sending before its end. */
  public get interrupted(): boolean {
    return this.stopped;
  }

  /** Whether a request may still be sent now. */
  public sending(now = performance.now()): boolean {
    return now < this.endAt;
  }

  /** Stops sending now (an interrupt); listeners (a sleeping scheduler) are woken. No effect once sending has ended. */
  public stop(): void {
    const now = performance.now();
    if (now >= this.endAt) return;
    this.stopped = true;
    this.endAt = now;
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Calls `listener` once when `stop()` ends sending early. */
  public onStop(listener: () => void): void {
    this.listeners.push(listener);
  }
}
