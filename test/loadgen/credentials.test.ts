import Redis from 'ioredis';
import { Client, connectOrFail, createClient, openPipelineConnection, TargetOptions } from '../../lib/client/target';
import { runLoadTest } from '../../lib/loadgen/run';
import { config } from '../support/loadtest';
import { connect, ENGINES, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';

/**
 * docs/aws-facts.md, "Auth": IAM auth tokens are valid 15 minutes, so a client must sign a fresh one on every connect
 * and reconnect. Here the token source yields a new value on every call (`token-1`, `token-2`, ...); the test rotates
 * the user's passwords in the ACL to values the source has not handed out yet and kills the user's connections: only a
 * client that asks the source again on reconnect gets back in.
 */
class TokenSource {
  public calls = 0;
  public readonly next = async (): Promise<string> => `token-${++this.calls}`;
  /** The next `count` tokens the source will hand out, as ACL password rules. */
  public upcoming(count = 40): string[] {
    return Array.from({ length: count }, (_, i) => `>token-${this.calls + 1 + i}`);
  }
}

async function rotate(ports: number[], source: TokenSource): Promise<number> {
  const before = source.calls;
  for (const port of ports) {
    const admin = connect(port);
    await admin.call('ACL', 'SETUSER', 'app', 'resetpass', ...source.upcoming());
    await admin.call('CLIENT', 'KILL', 'USER', 'app');
    admin.disconnect();
  }
  return before;
}

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function createUser(ports: number[], source: TokenSource): Promise<void> {
  for (const port of ports) {
    const admin = connect(port);
    await admin.call('ACL', 'SETUSER', 'app', 'reset', 'on', '~*', '+@all', ...source.upcoming());
    admin.disconnect();
  }
}

const target = (port: number, cluster: boolean, source?: TokenSource, password?: string): TargetOptions => ({
  endpoint: { host: '127.0.0.1', port, tls: false, username: 'app', password },
  cluster, timeoutMs: 1000, passwordSource: source?.next,
});

describe.each(ENGINES)('a fresh password on every connect and reconnect (standalone %s)', (engine) => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis({ engine }); });
  afterAll(async () => { await server?.stop(); });

  test('ioredis: after the ACL password rotates and the connection is killed, the client reconnects with a new token', async () => {
    const source = new TokenSource();
    await createUser([server.port], source);
    const client: Client = createClient(target(server.port, false, source));
    client.on('error', () => undefined);
    await connectOrFail(client, target(server.port, false, source));
    await client.set('k', 'v1');
    const handedOut = await rotate([server.port], source);
    expect(await eventually(() => client.get('k'))).toBe('v1');
    expect(source.calls).toBeGreaterThan(handedOut);
    client.disconnect();
  });

  test('the same client with a fixed password stays locked out after the rotation (what a reused token does)', async () => {
    const source = new TokenSource();
    await createUser([server.port], source);
    const fixed = await source.next();
    const client = createClient(target(server.port, false, undefined, fixed)) as Redis;
    client.on('error', () => undefined);
    await connectOrFail(client, target(server.port, false, undefined, fixed));
    await rotate([server.port], source);
    await expect(eventually(() => client.get('k'), 2000)).rejects.toThrow();
    client.disconnect();
  });

  test('worker threads get each password from the source in the main thread (functions do not cross threads)', async () => {
    const source = new TokenSource();
    await createUser([server.port], source);
    const base = config(server.port, { threads: 2, durationMs: 800 });
    const result = await runLoadTest({ ...base, target: { ...base.target, endpoint: { ...base.target.endpoint, username: 'app' }, passwordSource: source.next } });
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(0);
    // One connection to set up and clean up, and two per thread: every one of them asked for its own token.
    expect(source.calls).toBeGreaterThanOrEqual(5);
  });

  test('node-redis (pipelined closed loop): the credentials provider signs again on reconnect', async () => {
    const source = new TokenSource();
    await createUser([server.port], source);
    const connection = await openPipelineConnection(target(server.port, false, source));
    expect(await connection.send(['SET', 'p', 'v2'])).toBe('OK');
    const handedOut = await rotate([server.port], source);
    expect(await eventually(() => connection.send(['GET', 'p']))).toBe('v2');
    expect(source.calls).toBeGreaterThan(handedOut);
    connection.close();
  });
});

describe.each(ENGINES)('a fresh password on every connect and reconnect (3-primary %s cluster)', (engine) => {
  let cluster: RedisCluster;
  beforeAll(async () => { cluster = await startCluster({ engine }); }, 120000);
  afterAll(async () => { await cluster?.stop(); });

  test('ioredis cluster: every node connection, and the slot refresh, ask the source again after a rotation', async () => {
    const source = new TokenSource();
    await createUser(cluster.ports, source);
    const client = createClient(target(cluster.ports[0], true, source));
    client.on('error', () => undefined);
    await connectOrFail(client, target(cluster.ports[0], true, source));
    const keys = Array.from({ length: 20 }, (_, i) => `cred:${i}`);
    for (const key of keys) await client.set(key, key, 'EX', 60);
    const handedOut = await rotate(cluster.ports, source);
    expect(await eventually(() => Promise.all(keys.map((k) => client.get(k))))).toEqual(keys);
    expect(source.calls).toBeGreaterThan(handedOut);
    client.disconnect();
  });
});
