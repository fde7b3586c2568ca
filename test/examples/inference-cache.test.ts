/**
 * The inference-cache example on connect(), against a real 3 + 3 TLS cluster with the app's ACL user confined to its
 * prefix: read-through with the TTL policy, and single flight in one process and across processes (a lock key).
 */
import * as fs from 'fs';
import { ConnectionContract } from '../../lib/catalog/connection';
import { CacheConnection, connect } from '../../lib/client';
import { handler } from '../../examples/inference-cache';
import { ReadThroughCache } from '../../examples/inference-cache/read-through';
import { connect as admin, RedisCluster, startCluster, tlsCertificates } from '../support/redis';

let cluster: RedisCluster;
const open: CacheConnection[] = [];

beforeAll(async () => {
  cluster = await startCluster({ tls: true });
  for (const port of cluster.ports) {
    const c = admin(port, true);
    // What AccessString.forKeyPrefix('infer:') gives the app, plus cluster routing; no other keys.
    await c.call('ACL', 'SETUSER', 'infer-app', 'reset', 'on', '>token-0123456789abcdef', '~infer:*', '+@read', '+@write', '+@connection', '+@keyspace', '+cluster|slots', '+cluster|shards', '+cluster|info', '+info');
    c.disconnect();
  }
});
afterEach(async () => { await Promise.all(open.splice(0).map((c) => c.close())); });
afterAll(async () => { await cluster?.stop(); });

async function connection(): Promise<CacheConnection> {
  const contract: ConnectionContract = {
    version: 1, cacheName: 'infer', flavour: 'serverless' as ConnectionContract['flavour'], endpoint: '127.0.0.1', port: cluster.ports[0],
    region: 'us-east-1', tls: true, clusterMode: true, users: [{ userName: 'infer-app', authentication: 'iam' }],
    ttlPolicy: { defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true },
  };
  const c = await connect({ contract, tls: { ca: fs.readFileSync(tlsCertificates().ca) }, iamToken: async () => 'token-0123456789abcdef' });
  open.push(c);
  return c;
}

/** A slow model that counts its calls. */
function slowModel(ms = 150): { model: (p: string) => Promise<string>; calls: string[] } {
  const calls: string[] = [];
  return { calls, model: async (p) => { calls.push(p); await new Promise((r) => setTimeout(r, ms)); return `answer to: ${p}`; } };
}

describe('the inference-cache example', () => {
  test('a miss runs the model once and stores the answer with the policy\'s TTL; the next ask is a hit', async () => {
    const c = await connection();
    const { model, calls } = slowModel();
    const cache = new ReadThroughCache(c, model);
    expect(await cache.answer('what is a cache?')).toEqual({ answer: 'answer to: what is a cache?', source: 'computed' });
    expect(await cache.answer('what is a cache?')).toEqual({ answer: 'answer to: what is a cache?', source: 'hit' });
    expect(calls).toEqual(['what is a cache?']);
    const ttl = await c.client.pttl(cache.keyOf('what is a cache?'));
    expect(ttl).toBeGreaterThan(539_000);
    expect(ttl).toBeLessThanOrEqual(660_000);
    // The lock is gone once the answer is there.
    expect(await c.client.exists(`${cache.keyOf('what is a cache?')}:lock`)).toBe(0);
  });

  test('20 concurrent misses for one prompt in one process make one model call', async () => {
    const { model, calls } = slowModel();
    const cache = new ReadThroughCache(await connection(), model);
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.answer('popular prompt')));
    expect(calls).toHaveLength(1);
    expect(new Set(answers.map((a) => a.answer))).toEqual(new Set(['answer to: popular prompt']));
  });

  test('two processes missing together: one runs the model, the other waits for its answer', async () => {
    const a = slowModel(300);
    const b = slowModel(300);
    const [first, second] = [new ReadThroughCache(await connection(), a.model), new ReadThroughCache(await connection(), b.model)];
    const answers = await Promise.all([first.answer('expired popular key'), second.answer('expired popular key')]);
    expect(a.calls.length + b.calls.length).toBe(1);
    expect(answers.map((x) => x.source).sort()).toEqual(['computed', 'waited']);
    expect(answers[0].answer).toBe(answers[1].answer);
  });

  test('a lock whose holder died: the waiter calls the model itself once the lock expires', async () => {
    const c = await connection();
    const { model, calls } = slowModel(10);
    const cache = new ReadThroughCache(c, model, { lockMs: 400 });
    await c.client.set(`${cache.keyOf('orphaned')}:lock`, '1', 'PX', 300);
    const started = Date.now();
    expect(await cache.answer('orphaned')).toEqual({ answer: 'answer to: orphaned', source: 'computed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(calls).toEqual(['orphaned']);
  });

  test('the Lambda handler refuses an event without a prompt before connecting', async () => {
    await expect(handler({})).rejects.toThrow('event.prompt: invalid value: a non-empty string');
    await expect(handler({ prompt: 42 })).rejects.toThrow('event.prompt: invalid value: a non-empty string');
  });

  test('the user\'s access string confines it to infer: keys on the server', async () => {
    const c = await connection();
    await expect(c.client.set('other:x', '1')).rejects.toThrow(/NOPERM/);
  });
});
