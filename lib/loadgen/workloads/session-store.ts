import { execTransaction } from '../../client/transaction';
import { keyPicker } from '../random';
import { OpOutcome, Values, Workload, WorkloadContext, ttlMs } from './types';

/** Turns kept per chat history, and turns read back for the prompt context. */
const HISTORY_TURNS = 20;
const CONTEXT_TURNS = 10;

/**
 * session-store: chat session state. Each session has a history list and a metadata hash sharing the hash tag
 * `{s:<id>}`, so both live in one slot and one MULTI can update them atomically. Command mix: 30 % append a turn
 * (MULTI: RPUSH, LTRIM to the last 20, PEXPIRE, HSET last_seen/turns, PEXPIRE; EXEC), 70 % read the context
 * (LRANGE of the last 10 turns and HGETALL of the metadata). Every write slides the expiry of both keys.
 */
export function sessionStore(ctx: WorkloadContext): Workload {
  const sessions = keyPicker(ctx.keyPattern, ctx.rng, ctx.keyspace);
  const turns = new Values(ctx);
  return {
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      const tag = `${ctx.keyPrefix}{s:${sessions.next()}}`;
      const history = `${tag}:turns`;
      const meta = `${tag}:meta`;
      if (ctx.rng.next() < 0.3) {
        const ttl = ttlMs(ctx);
        await execTransaction(client.multi()
          .rpush(history, turns.next()).ltrim(history, -HISTORY_TURNS, -1).pexpire(history, ttl)
          .hset(meta, 'last_seen', Date.now(), 'model', 'ectk').hincrby(meta, 'turns', 1).pexpire(meta, ttl), `session ${tag}`);
        return {};
      }
      await Promise.all([client.lrange(history, -CONTEXT_TURNS, -1), client.hgetall(meta)]);
      return {};
    },
  };
}
