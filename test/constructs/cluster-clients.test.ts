import { createCluster } from '@redis/client';
import { Cluster } from 'ioredis';
import { AccessString, CommandCategory } from '../../lib';
import { connect, ENGINES, RedisCluster, startCluster } from '../support/redis';

/**
 * docs/aws-facts.md, "Auth": cluster-mode clients learn the slot map with CLUSTER SLOTS / SHARDS, which are in `@slow`
 * only; the access strings the toolkit makes for confined users must let ioredis and node-redis route as those users.
 * The access strings are applied as ACL rules on every node of a real 3-primary cluster, as ElastiCache applies them,
 * on Redis OSS 7 and on Valkey 8 (the toolkit's default engine).
 */
describe.each(ENGINES)('cluster-mode clients as users confined by the toolkit\'s access strings (%s)', (engine) => {
  let cluster: RedisCluster;
  const users: Record<string, AccessString> = {
    writer: AccessString.forKeyPrefix('app:', [CommandCategory.READ, CommandCategory.WRITE]),
    reader: AccessString.readOnly(['app:*']),
    // What the toolkit made before: the categories alone, without the cluster commands.
    bare: AccessString.of({ keyPatterns: ['app:*'], allow: [CommandCategory.READ, CommandCategory.WRITE] }),
  };

  beforeAll(async () => {
    cluster = await startCluster({ engine });
    for (const port of cluster.ports) {
      const admin = connect(port);
      for (const [name, access] of Object.entries(users)) {
        await admin.call('ACL', 'SETUSER', name, 'reset', ...access.value.split(' '), `>${name}-password`);
      }
      admin.disconnect();
    }
  }, 120000);
  afterAll(async () => { await cluster?.stop(); });

  const ioredis = (user: string) => new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], {
    redisOptions: { username: user, password: `${user}-password`, enableReadyCheck: false, maxRetriesPerRequest: 1 },
    enableReadyCheck: false, clusterRetryStrategy: () => null, lazyConnect: true,
  });
  const nodeRedis = (user: string) => createCluster({
    rootNodes: [{ socket: { host: '127.0.0.1', port: cluster.ports[0], reconnectStrategy: false } }],
    defaults: { username: user, password: `${user}-password` },
  });

  test('ioredis: the prefix user writes and reads keys on every shard; the read-only user reads them', async () => {
    const writer = ioredis('writer');
    await writer.connect();
    const keys = Array.from({ length: 30 }, (_, i) => `app:${i}`);
    for (const key of keys) await writer.set(key, key, 'EX', 60);
    // The keys landed on every primary: the client routed by slot as the confined user.
    let total = 0;
    for (const port of cluster.ports) {
      const admin = connect(port);
      if ((await admin.role() as unknown[])[0] === 'master') {
        const held = (await admin.keys('app:*')).length;
        expect(held).toBeGreaterThan(0);
        total += held;
      }
      admin.disconnect();
    }
    expect(total).toBe(30);
    await expect(writer.set('other:1', 'x')).rejects.toThrow(/NOPERM/);
    writer.disconnect();
    const reader = ioredis('reader');
    await reader.connect();
    expect(await Promise.all(keys.map((k) => reader.get(k)))).toEqual(keys);
    await expect(reader.set('app:0', 'y')).rejects.toThrow(/NOPERM/);
    reader.disconnect();
  });

  test('node-redis: the same users route, write and read across the shards', async () => {
    const writer = nodeRedis('writer');
    await writer.connect();
    for (let i = 0; i < 30; i++) await writer.set(`app:n${i}`, String(i), { EX: 60 });
    await writer.close();
    const reader = nodeRedis('reader');
    await reader.connect();
    const values = await Promise.all(Array.from({ length: 30 }, (_, i) => reader.get(`app:n${i}`)));
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    await reader.close();
  });

  test('without the cluster commands neither client can route: the case the access strings now prevent', async () => {
    const bare = ioredis('bare');
    const errors: string[] = [];
    bare.on('error', (e: Error) => errors.push(e.message));
    await expect(bare.connect()).rejects.toThrow(/None of startup nodes is available/);
    expect(errors).toContain('Failed to refresh slots cache.');
    bare.disconnect();
    const bareNode = nodeRedis('bare');
    await expect(bareNode.connect()).rejects.toThrow(/NOPERM|permission/i);
    await bareNode.destroy();
  });
});
