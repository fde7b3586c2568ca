import { zipfPicker } from '../random';
import { Client } from '../../client/target';
import { OpOutcome, Workload, WorkloadContext, ttlMs } from './types';

/** Bucket size and refill rate per second of each caller's token bucket. */
const CAPACITY = 10;
const REFILL_PER_SECOND = 5;
const ALLOWED: OpOutcome = { allowed: 1 };
const DENIED: OpOutcome = { denied: 1 };

/**
 * Atomic token bucket: refill by elapsed time (server clock), take one token if there is one, store the bucket with
 * a TTL. One key per caller, so it is cluster-safe. Returns 1 when allowed, 0 when denied.
 */
const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) * refill / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return allowed
`;

type WithBucket = Client & { tokenBucket(key: string, capacity: number, refill: number, ttl: number): Promise<number> };

/**
 * rate-limiter: an API gateway's per-caller limit. Callers follow a Zipf popularity, so heavy callers get denied.
 * Command mix: one EVALSHA of the token-bucket script per request (ioredis loads it with EVAL on NOSCRIPT).
 * Reports the allow ratio.
 */
export function rateLimiter(ctx: WorkloadContext): Workload {
  const callers = zipfPicker(ctx.rng, ctx.keyspace);
  const prepared = new WeakSet<Client>();
  return {
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      if (!prepared.has(client)) {
        client.defineCommand('tokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET });
        prepared.add(client);
      }
      const allowed = await (client as WithBucket).tokenBucket(`${ctx.keyPrefix}rl:${callers.next()}`, CAPACITY, REFILL_PER_SECOND, ttlMs(ctx));
      return allowed === 1 ? ALLOWED : DENIED;
    },
  };
}
