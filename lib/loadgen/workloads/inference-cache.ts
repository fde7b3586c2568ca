import { zipfPicker } from '../random';
import { OpOutcome, Values, Workload, WorkloadContext, ttlMs } from './types';

const HIT: OpOutcome = { hits: 1 };
const MISS: OpOutcome = { misses: 1 };

/**
 * inference-cache: answers to repeated prompts. Prompt keys follow a Zipf popularity (a few prompts are asked very
 * often). Command mix: read-through `GET prompt`; on a miss the "model answer" is written with
 * `SET prompt answer PX ttl±jitter` (values 1-16 KB by default). Reports the hit ratio.
 */
export function inferenceCache(ctx: WorkloadContext): Workload {
  const prompts = zipfPicker(ctx.rng, ctx.keyspace);
  const answers = new Values(ctx);
  return {
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      const key = `${ctx.keyPrefix}prompt:${prompts.next()}`;
      if ((await client.getBuffer(key)) !== null) return HIT;
      await client.set(key, answers.next(), 'PX', ttlMs(ctx));
      return MISS;
    },
  };
}
