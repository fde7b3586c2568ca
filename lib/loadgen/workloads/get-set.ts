import { keyPicker } from '../random';
import { OpOutcome, Values, Workload, WorkloadContext, ttlMs } from './types';

/**
 * get-set: the memtier-style baseline. Command mix: GET and `SET key value PX ttl` in the ratio `--ratio`
 * (default 1:10 SET:GET) over `--keyspace` keys picked by `--key-pattern`. Reports the hit ratio of the GETs.
 */
export function getSet(ctx: WorkloadContext): Workload {
  const keys = keyPicker(ctx.keyPattern, ctx.rng, ctx.keyspace);
  const values = new Values(ctx);
  const [sets, gets] = ctx.ratio;
  const setShare = sets / (sets + gets);
  return {
    name: 'get-set',
    figures: ['hit_ratio'],
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      const key = `${ctx.keyPrefix}k:${keys.next()}`;
      if (ctx.rng.next() < setShare) {
        await client.set(key, values.next(), 'PX', ttlMs(ctx));
        return {};
      }
      return { hit: (await client.get(key)) !== null };
    },
  };
}
