import { loadgenAclRules } from '../../lib/catalog/connection';
import { runLoadTest } from '../../lib/loadgen/run';
import { openPipelineConnection } from '../../lib/client/target';
import { BUILT_IN_WORKLOADS } from '../../lib/catalog/workloads';
import { config } from '../support/loadtest';
import { connect, RedisServer, startRedis } from '../support/redis';

type Snapshot = Map<string, { dump: Buffer; pttl: number }>;

async function snapshot(port: number, pattern: string): Promise<Snapshot> {
  const admin = connect(port);
  const out: Snapshot = new Map();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) out.set(key, { dump: (await admin.dumpBuffer(key))!, pttl: await admin.pttl(key) });
  } while (cursor !== '0');
  admin.disconnect();
  return out;
}

describe('data safety', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server.stop(); });

  test('every profile leaves data outside the run prefix byte-for-byte unchanged, TTLs included, and nothing of its own', async () => {
    const admin = connect(server.port);
    const pipeline = admin.pipeline();
    for (let i = 0; i < 1000; i++) {
      // Neighbours of the run prefix included: same leading characters, other data.
      const base = i % 2 === 0 ? `app:${i}` : `ectk:slo-other:${i}`;
      pipeline.set(`${base}:str`, `value-${i}`);
      pipeline.hset(`${base}:hash`, 'a', String(i), 'b', 'x'.repeat(i % 50));
      pipeline.rpush(`${base}:list`, 'x', 'y', String(i));
      pipeline.zadd(`${base}:zset`, i, 'm1', i + 1, 'm2');
      if (i % 3 === 0) for (const t of ['str', 'hash', 'list', 'zset']) pipeline.expire(`${base}:${t}`, 3600 + i);
    }
    await pipeline.exec();
    const before = await snapshot(server.port, '*');
    expect(before.size).toBe(4000);
    const started = Date.now();

    const runIds: string[] = [];
    for (const profile of BUILT_IN_WORKLOADS.map((w) => w.name)) {
      const result = await runLoadTest(config(server.port, { profile, durationMs: 700, warmupMs: 100 }));
      expect(result.errors).toBe(0);
      runIds.push(result.run_id);
    }
    // The pipelined closed loop writes through its own connections: it too stays inside the prefix.
    const pipelined = await runLoadTest(config(server.port, { closedLoop: true, rate: undefined, pipeline: 32, durationMs: 700, warmupMs: 100 }));
    expect(pipelined.errors).toBe(0);
    expect(pipelined.ops).toBeGreaterThan(32);
    const elapsed = Date.now() - started;

    const after = await snapshot(server.port, '*');
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, was] of before) {
      const now = after.get(key)!;
      expect(now.dump.equals(was.dump)).toBe(true);
      if (was.pttl === -1) expect(now.pttl).toBe(-1);
      else {
        expect(now.pttl).toBeLessThanOrEqual(was.pttl);
        expect(now.pttl).toBeGreaterThan(was.pttl - elapsed - 5000);
      }
    }
    expect((await admin.keys('ectk:slo:*')).length).toBe(0);
    admin.disconnect();
  });

  test('every profile runs as an ACL user confined to the prefix; the server refuses that user anything outside it', async () => {
    const admin = connect(server.port);
    await admin.call('ACL', 'SETUSER', 'loadgen', 'reset', 'on', '>loadgen-secret', ...loadgenAclRules('ectk:slo:'));
    for (const profile of BUILT_IN_WORKLOADS.map((w) => w.name)) {
      const result = await runLoadTest(config(server.port, { profile, durationMs: 700, warmupMs: 100 }, { auth: 'loadgen:loadgen-secret' }));
      expect([profile, result.errors_by_kind]).toEqual([profile, {}]);
      expect(result.keys_deleted).toBeGreaterThan(0);
    }
    const pipelined = await runLoadTest(config(server.port, { closedLoop: true, rate: undefined, pipeline: 32, durationMs: 700, warmupMs: 100 }, { auth: 'loadgen:loadgen-secret' }));
    expect(pipelined.errors_by_kind).toEqual({});
    expect(pipelined.ops).toBeGreaterThan(32);
    const confined = connect(server.port, false, { username: 'loadgen', password: 'loadgen-secret' });
    await expect(confined.set('app:1:str', 'overwrite')).rejects.toThrow(/NOPERM/);
    await expect(confined.flushall()).rejects.toThrow(/NOPERM/);
    await expect(confined.keys('*')).rejects.toThrow(/NOPERM/);
    confined.disconnect();
    admin.disconnect();
  });
});

describe('TLS', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis({ tls: true }); });
  afterAll(async () => { await server.stop(); });

  test('runs over TLS with the CA file', async () => {
    const result = await runLoadTest(config(server.port, { profile: 'inference-cache' }, { tls: true }));
    expect(result.errors).toBe(0);
    expect(result.endpoint).toBe(`rediss://127.0.0.1:${server.port}`);
  });

  test('the pipelined closed loop runs over TLS with the CA file, and its connections refuse an unverified certificate', async () => {
    const result = await runLoadTest(config(server.port, { closedLoop: true, rate: undefined, pipeline: 32 }, { tls: true }));
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(32);
    const base = config(server.port, {}, { tls: true });
    await expect(openPipelineConnection({ ...base.target, tlsCaFile: undefined })).rejects.toThrow(/cannot reach rediss:.*(self[- ]signed|unable to verify|certificate)/i);
  });

  test('refuses an unverified certificate unless told to skip verification', async () => {
    const base = config(server.port, {}, { tls: true });
    const unverified = await runLoadTest({ ...base, target: { ...base.target, tlsCaFile: undefined } }).catch((e: Error) => e);
    expect((unverified as Error).message).toMatch(/cannot reach rediss:.*(self[- ]signed|unable to verify|certificate)/i);
    const insecure = await runLoadTest({ ...base, target: { ...base.target, tlsCaFile: undefined, tlsInsecure: true } });
    expect(insecure.errors).toBe(0);
  });
});
