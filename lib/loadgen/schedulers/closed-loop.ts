import { performance } from 'perf_hooks';
import { RunClock } from '../run-clock';

/**
 * Closed loop: `lanes` independent loops, each sending its next request as soon as the previous one completed, until
 * the clock's end. A request's intended time is when it is sent. Resolves when every lane has stopped.
 */
export async function closedLoop(clock: RunClock, lanes: number, send: (lane: number, intended: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    while (clock.sending()) await send(lane, performance.now());
  }));
}
