import { performance } from 'perf_hooks';
import { RunClock } from '../run-clock';

/**
 * Pipelined closed loop: on each of `connections`, one batch at a time; the next batch leaves when every reply of the
 * previous one is in. `sendBatch` reports whether any command of the batch failed: after a failure (a lost connection,
 * server errors) the loop yields to I/O once, so reconnection gets a turn instead of a spin.
 */
export async function pipelinedLoop(clock: RunClock, connections: number, sendBatch: (connection: number, sent: number) => Promise<boolean>): Promise<void> {
  await Promise.all(Array.from({ length: connections }, async (_, connection) => {
    while (clock.sending()) {
      const failed = await sendBatch(connection, performance.now());
      if (failed) await new Promise((r) => setImmediate(r));
    }
  }));
}
