import { keyPicker } from '../random';
import { OpOutcome, SingleCommand, Values, Workload, WorkloadContext, ttlMs } from './types';

const SET_DONE: OpOutcome = {};
const HIT: OpOutcome = { hits: 1 };
const MISS: OpOutcome = { misses: 1 };
const setOutcome = (): OpOutcome => SET_DONE;
const getOutcome = (reply: unknown): OpOutcome => (reply === null ? MISS : HIT);

/**
 * get-set: the memtier-style baseline. Command mix: GET and `SET key value PX ttl` in the ratio `--ratio`
 * (default 1:10 SET:GET) over `--keyspace` keys picked by `--key-pattern`. Reports the hit ratio of the GETs.
 * Every operation is one command, so closed-loop runs on a standalone endpoint send them in pipelines.
 */
export function getSet(ctx: WorkloadContext): Workload {
  const keys = keyPicker(ctx.keyPattern, ctx.rng, ctx.keyspace);
  const values = new Values(ctx);
  const [sets, gets] = ctx.ratio;
  const setShare = sets / (sets + gets);
  const request = (): SingleCommand => {
    const key = `${ctx.keyPrefix}k:${keys.next()}`;
    if (ctx.rng.next() < setShare) return { args: ['SET', key, values.next(), 'PX', String(ttlMs(ctx))], outcome: setOutcome };
    return { args: ['GET', key], outcome: getOutcome };
  };
  return {
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      const { args: [command, ...args], outcome } = request();
      return outcome(await client.call(command as string, ...args));
    },
    request,
  };
}
