import { performance } from 'perf_hooks';
import { Rng } from '../random';
import { RunClock } from '../run-clock';

/**
 * Open loop: sends at `rate` requests per second from the clock's start until its end, at a constant interval or, with
 * `poisson`, at exponential gaps drawn from it. Each send gets its intended time, and everything due is sent at once
 * after a stall, so a stall shows up as latency (no coordinated omission). `send` must not wait for the reply.
 * Resolves when sending has ended; an interrupt (`clock.stop()`) ends a sleep between sends at once.
 */
export function openLoop(clock: RunClock, rate: number, send: (intended: number) => void, poisson?: Rng): Promise<void> {
  const interval = 1000 / rate;
  const start = clock.start;
  return new Promise<void>((resolve) => {
    let next = start;
    let sends = 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    // Once finished, a turn of the pump that was already scheduled sends nothing: after an interrupt the run drains
    // and closes its connections, and a request sent then would fail on a closing connection.
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve();
    };
    clock.onStop(finish);
    const pump = () => {
      if (finished) return;
      const now = performance.now();
      const end = clock.end;
      while (next <= now && next < end) {
        send(next);
        // A constant rate computes each send's time from its index: adding the interval over and over accumulates
        // rounding, which decided whether a send on the window's edge was counted (1,500 or 1,501).
        sends++;
        next = poisson ? next + poisson.exponential(interval) : start + sends * interval;
      }
      if (next >= end) return finish();
      const wait = next - performance.now();
      // Timers are only millisecond-precise: sleep until ~1 ms before the next send, then yield to I/O until due.
      if (wait > 2) timer = setTimeout(pump, wait - 1);
      else setImmediate(pump);
    };
    if (clock.sending()) pump();
    else finish();
  });
}
