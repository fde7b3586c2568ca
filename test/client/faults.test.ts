/**
 * connect() when the cache fails under it: every node killed, a node frozen (SIGSTOP), the nodes restarted. Against a
 * real 3-primary TLS cluster of redis-server processes on loopback. What is asserted is that every call settles (no
 * promise left waiting), with an error that says why, that the client recovers, and that no error event is left
 * unhandled; how fast is left to the benchmarks (a loaded machine may take longer, so the bound here is generous).
 */
import * as fs from 'fs';
import { ConnectionContract } from '../../lib/catalog/connection';
import { CacheConnection, connect } from '../../lib/client/connect';
import { connect as admin, RedisCluster, startCluster, tlsCertificates } from '../support/redis';

let cluster: RedisCluster;
const TOKEN = 'token-faults-0123456789';

const contract = (): ConnectionContract => ({
  version: 1, cacheName: 'faulty', flavour: 'cluster' as ConnectionContract['flavour'], engine: 'redis', endpoint: '127.0.0.1',
  port: cluster.ports[0], region: 'us-east-1', tls: true, clusterMode: true, users: [{ userName: 'app', authentication: 'iam' }],
});

/** Whether a promise settles within `ms`: 'resolved', 'rejected: <message>' or 'pending'. */
async function settles(p: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('pending'), ms); });
  try {
    return await Promise.race([p.then(() => 'resolved', (e: Error) => `rejected: ${e.message}`), pending]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** console.error and console.warn lines written while `body` runs. */
async function consoleDuring<T>(body: () => Promise<T>): Promise<{ result: T; errors: string[]; warnings: string[] }> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const e = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.map(String).join(' ')); });
  const w = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => { warnings.push(args.map(String).join(' ')); });
  try {
    return { result: await body(), errors, warnings };
  } finally {
    e.mockRestore();
    w.mockRestore();
  }
}

const open = (extra: Parameters<typeof connect>[0] = {}): Promise<CacheConnection> => connect({
  contract: contract(), tls: { ca: fs.readFileSync(tlsCertificates().ca) }, iamToken: async () => TOKEN,
  commandTimeoutMs: 500, maxRetriesPerRequest: 1, ...extra,
});

/** The user on every node (ACL users are per node and, without an ACL file, gone after a restart). */
async function createUser(): Promise<void> {
  for (const port of cluster.ports) {
    const c = admin(port, true);
    try {
      await c.call('ACL', 'SETUSER', 'app', 'reset', 'on', `>${TOKEN}`, '~*', '+@all');
    } finally {
      c.disconnect();
    }
  }
}

/** Every node started again from its nodes.conf, with the user, as ElastiCache brings a replaced node back. */
async function restartAll(): Promise<void> {
  for (const node of cluster.nodes) await node.restart();
  await createUser();
}

beforeAll(async () => {
  cluster = await startCluster({ tls: true, replicas: 0 });
  await createUser();
}, 60_000);
afterAll(async () => {
  for (const node of cluster?.nodes ?? []) node.process.kill('SIGCONT');
  await cluster?.stop();
});

describe('connect() when the cache fails', () => {
  test('every node killed: each call settles with an error, none waits; after a restart the same client works again', async () => {
    const hooked: Error[] = [];
    const { errors } = await consoleDuring(async () => {
      const c = await open({ onError: (e) => hooked.push(e) });
      try {
        await c.client.set('faults:a', '1', 'PX', 60_000);
        for (const node of cluster.nodes) node.process.kill('SIGKILL');
        // A loop of lookups, one after the other, as an application's request handler makes them.
        const outcomes: string[] = [];
        for (let i = 0; i < 4; i++) outcomes.push(await settles(c.client.get('faults:a'), 10_000));
        expect(outcomes.filter((o) => o === 'pending')).toEqual([]);
        expect(outcomes.every((o) => /^rejected: (Command timed out|Connection is closed|.*ECONNREFUSED)/.test(o))).toBe(true);
        await restartAll();
        expect(await until(async () => (await c.client.set('faults:b', '2', 'PX', 60_000)) === 'OK', 60_000)).toBe(true);
        expect(await c.client.get('faults:b')).toBe('2');
      } finally {
        await c.close();
      }
    });
    expect(hooked.length).toBeGreaterThan(0);
    expect(errors.filter((l) => l.includes('Unhandled error event'))).toEqual([]);
  }, 120_000);

  test('a frozen node (SIGSTOP): calls to its slots fail with "Command timed out"; thawed, they succeed', async () => {
    const c = await open({ onError: () => undefined });
    const frozen = cluster.nodes[0];
    try {
      // A key on the frozen node's slots.
      const slots = (await c.client.cluster('SLOTS')) as unknown as Array<[number, number, [string, number]]>;
      const [from] = slots.find(([, , [, port]]) => port === frozen.port)!;
      const key = `faults:{${await keyInSlot(c, from)}}`;
      await c.client.set(key, 'v', 'PX', 60_000);
      frozen.process.kill('SIGSTOP');
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) outcomes.push(await settles(c.client.get(key), 10_000));
      expect(outcomes).toEqual(['rejected: Command timed out', 'rejected: Command timed out', 'rejected: Command timed out']);
      frozen.process.kill('SIGCONT');
      expect(await until(async () => (await c.client.get(key)) === 'v', 30_000)).toBe(true);
    } finally {
      frozen.process.kill('SIGCONT');
      await c.close();
    }
  }, 60_000);

  test('without a hook, a lost cache is one line on stderr per new reason, never an unhandled error event', async () => {
    const { errors, warnings } = await consoleDuring(async () => {
      const c = await open();
      try {
        for (const node of cluster.nodes) node.process.kill('SIGKILL');
        for (let i = 0; i < 3; i++) await settles(c.client.get('faults:a'), 10_000);
      } finally {
        await c.close();
        await restartAll();
      }
    });
    expect(errors.filter((l) => l.includes('Unhandled error event'))).toEqual([]);
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) expect(line).toMatch(/^ectk connect: faulty: .+; reconnecting, commands fail meanwhile$/);
    // One line per new reason: no message is repeated back to back.
    expect(warnings.filter((line, i) => i > 0 && line === warnings[i - 1])).toEqual([]);
  }, 120_000);
});

/** A hash tag whose slot is `slot` (CLUSTER KEYSLOT on the server decides). */
async function keyInSlot(c: CacheConnection, slot: number): Promise<string> {
  for (let i = 0; ; i++) {
    if (Number(await c.client.cluster('KEYSLOT', `t${i}`)) === slot) return `t${i}`;
  }
}
