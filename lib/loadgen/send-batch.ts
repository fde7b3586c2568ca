import { performance } from 'perf_hooks';
import { PipelineConnection } from '../client/target';
import { OpOutcome, SingleCommand } from './workloads/types';

/**
 * Sends a batch of single commands at once and reports each as it completes (`done` is its completion time). One
 * timer covers the batch: commands without a reply after `timeoutMs` are reported as timeouts at that moment and
 * their late replies ignored. Resolves when every command is reported; true if any failed.
 */
export function sendBatch(
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
