import { keyPicker } from '../random';
import { Client } from '../../client/target';
import { execTransaction } from '../../client/transaction';
import { OpOutcome, Workload, WorkloadContext, ttlMs } from './types';

const FEATURES_PER_ENTITY = 32;
const FEATURES_READ = 16;
const BATCH = 8;
const LOAD_CHUNK = 500;

const featureNames = Array.from({ length: FEATURES_PER_ENTITY }, (_, i) => `f${i}`);

/**
 * feature-store: online feature serving. At start every entity (`--keyspace` of them) is loaded as a hash of 32
 * numeric features. Command mix: 99 % read a batch of 8 entities with one HMGET of 16 features each, sent together
 * without waiting (one round trip per node; auto-pipelined into one write per node in a closed loop); 1 % bulk-update a batch (HSET of all features and PEXPIRE per entity, one
 * MULTI/EXEC each).
 */
export function featureStore(ctx: WorkloadContext): Workload {
  const entities = keyPicker(ctx.keyPattern, ctx.rng, ctx.keyspace);
  const key = (i: number) => `${ctx.keyPrefix}ent:${i}`;
  const vector = () => featureNames.flatMap((f) => [f, (ctx.rng.next() * 100).toFixed(4)]);
  // HSET and PEXPIRE in one transaction per entity: a generator killed between the two never leaves a key without TTL.
  const write = (client: Client, ids: number[]) => Promise.all(ids.map(async (i) => {
    await execTransaction(client.multi().hset(key(i), ...vector()).pexpire(key(i), ttlMs(ctx)), `feature-store entity ${key(i)}`);
  }));
  return {
    setup: async (client) => {
      for (let start = 0; start < ctx.keyspace; start += LOAD_CHUNK) {
        const ids = Array.from({ length: Math.min(LOAD_CHUNK, ctx.keyspace - start) }, (_, j) => start + j);
        await write(client, ids);
      }
    },
    operation: async (client): Promise<OpOutcome> => {
      const ids = Array.from({ length: BATCH }, () => entities.next());
      if (ctx.rng.next() < 0.01) {
        await write(client, ids);
        return {};
      }
      const fields = featureNames.slice(0, FEATURES_READ);
      await Promise.all(ids.map((i) => client.hmget(key(i), ...fields)));
      return {};
    },
  };
}
