// Entry of a load-generator worker thread: runs one worker plan and posts its result (or its error) back. Passwords
// (IAM tokens signed per connect) come from the parent thread, which holds the password source, and `{ stop: true }`
// from the parent stops sending: functions and signals do not cross a thread boundary.
import { parentPort, workerData } from 'worker_threads';
import { summarize } from './histogram';
import { runWorker, WorkerPlan } from './engine';
import { PasswordReply, ThreadPlan } from './thread-messages';

const plan = workerData as ThreadPlan;
const stop = new AbortController();
const waiting = new Map<number, { resolve: (password: string) => void; reject: (error: Error) => void }>();
let nextRequest = 0;
const onMessage = (m: PasswordReply | { stop: true }) => {
  if ('stop' in m) return stop.abort();
  const request = waiting.get(m.passwordReply);
  if (!request) return;
  waiting.delete(m.passwordReply);
  if (m.error !== undefined) request.reject(new Error(m.error));
  else request.resolve(m.password!);
};
parentPort?.on('message', onMessage);
const passwordSource = () => new Promise<string>((resolve, reject) => {
  const id = nextRequest++;
  waiting.set(id, { resolve, reject });
  parentPort?.postMessage({ passwordRequest: id });
});

const { passwordBridge, ...workerPlan } = plan;
const runnable: WorkerPlan = {
  ...workerPlan, signal: stop.signal, target: passwordBridge ? { ...workerPlan.target, passwordSource } : workerPlan.target,
};
runWorker(runnable, (p) => parentPort?.postMessage({ progress: { ops: p.ops, errors: p.errors, p99: summarize(p.histogram).p99 } }))
  .then((result) => parentPort?.postMessage({ result }))
  .catch((error: Error) => parentPort?.postMessage({ error: error.message }))
  .finally(() => parentPort?.off('message', onMessage));
