// Entry of a load-generator worker thread: runs one worker plan and posts its result (or its error) back.
import { parentPort, workerData } from 'worker_threads';
import { summarize } from './histogram';
import { runWorker, WorkerPlan } from './engine';

runWorker(workerData as WorkerPlan, (p) => parentPort?.postMessage({ progress: { ops: p.ops, errors: p.errors, p99: summarize(p.histogram).p99 } }))
  .then((result) => parentPort?.postMessage({ result }))
  .catch((error: Error) => parentPort?.postMessage({ error: error.message }));
