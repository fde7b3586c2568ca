import { Cluster } from 'ioredis';
import { main } from '../../lib/cli/main';
import { Io } from '../../lib/cli/io';
import { KeyAnalysis } from '../../lib/ops/analyze';
import { connect, digestOf, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';

async function ectk(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, tty: false, stdinTty: false, ask: async () => '' };
  return { code: await main(['node', 'ectk', ...args], { io }), out, err };
}

describe('ectk analyze --hot-keys on redis-server 7', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const admin = connect(server.port);
    // LFU before the keys exist (a key keeps the clock format it was created under); lfu-log-factor 0 makes the
    // counter count every access, from 5 (a new key's counter) up to 255.
    await admin.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await admin.call('CONFIG', 'SET', 'lfu-log-factor', '0');
    for (let i = 0; i < 50; i++) await admin.set(`item:${i}`, 'x');
    admin.disconnect();
  });
  afterAll(async () => { await server?.stop(); });

  test('under an LFU policy: the most accessed keys with their exact counters, and nothing written', async () => {
    const admin = connect(server.port);
    for (let i = 0; i < 300; i++) await admin.get('item:7');
    for (let i = 0; i < 120; i++) await admin.get('item:21');
    for (let i = 0; i < 30; i++) await admin.get('item:3');
    admin.disconnect();
    const before = await digestOf(server.port);
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--hot-keys', '--top', '3', '--max-ops-per-sec', '100000', '--json']);
    expect(run.code).toBe(0);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a.hot_keys).toEqual({
      available: true, policy: 'allkeys-lfu',
      keys: [
        { key: 'item:7', freq: 255, node: `127.0.0.1:${server.port}` },
        { key: 'item:21', freq: 125, node: `127.0.0.1:${server.port}` },
        { key: 'item:3', freq: 35, node: `127.0.0.1:${server.port}` },
      ],
    });
    // One INFO, then four commands per key (TYPE, PTTL, MEMORY USAGE, OBJECT FREQ); the analysis reads only.
    expect(a.commands).toBeGreaterThanOrEqual(2 + 50 * 4);
    expect(await digestOf(server.port)).toBe(before);
    const table = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--hot-keys', '--top', '2', '--max-ops-per-sec', '100000']);
    expect(table.out).toMatch(/hot keys \(LFU counter\)\s+frequency\s+node\n-+.*\nitem:7\s+255\s+127\.0\.0\.1:\d+\nitem:21\s+125/);
  });

  test('without an LFU policy: a clear reason and what to change, exit 0', async () => {
    const admin = connect(server.port);
    await admin.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    admin.disconnect();
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--hot-keys', '--max-ops-per-sec', '100000']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/hot keys: not available: OBJECT FREQ counts accesses only under an LFU eviction policy \(allkeys-lfu or volatile-lfu\); this cache uses volatile-lru\. Set evictionPolicy: EvictionPolicy\.ALLKEYS_LFU/);
  });

  test('--slots on a standalone server says it has no slots', async () => {
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--slots', '--max-ops-per-sec', '100000', '--json']);
    expect((JSON.parse(run.out) as KeyAnalysis).slots).toEqual({ available: false, reason: 'a standalone server has no slots; --slots needs a cluster (--cluster)' });
  });
});

describe('ectk analyze --slots on a valkey-server 8 cluster (CLUSTER SLOT-STATS)', () => {
  let cluster: RedisCluster;
  let hotSlot: number;
  let hotPrimary: string;
  beforeAll(async () => {
    cluster = await startCluster({ engine: 'valkey' });
    for (const port of cluster.ports) {
      const c = connect(port);
      await c.call('CONFIG', 'SET', 'cluster-slot-stats-enabled', 'yes');
      c.disconnect();
    }
    const app = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], { lazyConnect: true });
    await app.connect();
    for (let i = 0; i < 300; i++) await app.set(`item:${i}`, 'x'.repeat(100));
    // One slot takes most of the load: many keys behind one hash tag, read over and over (15,000 reads against 320
    // writes, so that its shard is hot whatever else the machine is doing).
    for (let i = 0; i < 20; i++) await app.set(`{hot}:${i}`, 'y'.repeat(100));
    for (let round = 0; round < 750; round++) await Promise.all(Array.from({ length: 20 }, (_, i) => app.get(`{hot}:${i}`)));
    // Replicas hold every write before the digests are compared (WAIT on the connections that wrote).
    await Promise.all(app.nodes('master').map((node) => node.call('WAIT', '1', '5000')));
    hotSlot = Number(await app.cluster('KEYSLOT', '{hot}'));
    const owner = (await app.cluster('SLOTS') as unknown as Array<[number, number, [string, number]]>).find(([s, e]) => s <= hotSlot && hotSlot <= e)!;
    hotPrimary = `127.0.0.1:${owner[2][1]}`;
    app.disconnect();
  }, 120000);
  afterAll(async () => { await cluster?.stop(); });

  test('CPU per shard and per slot: the shard that owns the hot slot is HOT and the slot tops the list; key counts exact', async () => {
    const before = await Promise.all(cluster.ports.map(digestOf));
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--slots', '--max-ops-per-sec', '100000', '--json']);
    expect(run.code).toBe(0);
    expect(await Promise.all(cluster.ports.map(digestOf))).toEqual(before);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a.slots).toMatchObject({ available: true, measured_by: 'cpu' });
    if (!a.slots?.available) throw new Error('slots not available');
    expect(a.slots.shards).toHaveLength(3);
    expect(a.slots.shards.reduce((n, s) => n + s.slots, 0)).toBe(16384);
    expect(a.slots.shards.reduce((n, s) => n + s.keys, 0)).toBe(320);
    expect(a.slots.shards.filter((s) => s.hot).map((s) => s.node)).toEqual([hotPrimary]);
    expect(a.slots.top_slots[0]).toMatchObject({ slot: hotSlot, node: hotPrimary, keys: 20 });
    const table = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--slots', '--max-ops-per-sec', '100000']);
    expect(table.out).toMatch(new RegExp(`${hotPrimary.replace(/\./g, '\\.')}\\s+\\d+\\s+\\d+\\s+\\d+\\s+[\\d.]+ %\\s+HOT`));
  });
});
