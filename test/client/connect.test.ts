/**
 * connect() against a real 3 + 3 TLS cluster of redis-server processes on loopback, with ACL users as ElastiCache
 * holds them, and moto_server for SSM and Secrets Manager: contract sources, password users, IAM tokens signed again on
 * every reconnect and re-authentication, replica reads and the TTL policy.
 */
import * as fs from 'fs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConnectionContract } from '../../lib/catalog/connection';
import { UsageError } from '../../lib/catalog/errors';
import { backoffMs, CacheConnection, connect } from '../../lib/client/connect';
import { ReadOnlyCacheError, TtlPolicyError } from '../../lib/client/ttl-writer';
import { Moto, startMoto } from '../support/moto';
import { connect as admin, RedisCluster, startCluster, tlsCertificates } from '../support/redis';

let cluster: RedisCluster;
let moto: Moto;
const ca = () => fs.readFileSync(tlsCertificates().ca);

/** Runs an ACL command on every node: ACL users are per node, as on every shard of an ElastiCache cache. */
async function onEveryNode(...args: string[]): Promise<void> {
  for (const port of cluster.ports) {
    const c = admin(port, true);
    try {
      await c.call(...(args as [string, ...string[]]));
    } finally {
      c.disconnect();
    }
  }
}

/** The ids of a user's connections over all nodes, sorted. */
async function connectionsOf(user: string): Promise<string[]> {
  const ids: string[] = [];
  for (const port of cluster.ports) {
    const c = admin(port, true);
    try {
      const list = String(await c.call('CLIENT', 'LIST'));
      ids.push(...list.split('\n').filter((l) => l.includes(` user=${user} `)).map((l) => `${port}:${/id=(\d+)/.exec(l)![1]}`));
    } finally {
      c.disconnect();
    }
  }
  return ids.sort();
}

/** AUTH calls the servers have counted. */
async function authCalls(): Promise<number> {
  let calls = 0;
  for (const port of cluster.ports) {
    const c = admin(port, true);
    try {
      calls += Number(/cmdstat_auth:calls=(\d+)/.exec(String(await c.call('INFO', 'commandstats')))?.[1] ?? 0);
    } finally {
      c.disconnect();
    }
  }
  return calls;
}

function contract(overrides: Partial<ConnectionContract> = {}): ConnectionContract {
  return {
    version: 1, cacheName: 'local', flavour: 'cluster' as ConnectionContract['flavour'], engine: 'redis', endpoint: '127.0.0.1',
    port: cluster.ports[0], region: 'us-east-1', tls: true, clusterMode: true,
    users: [{ userName: 'app', authentication: 'iam' }],
    ttlPolicy: { defaultTtlSeconds: 100, jitter: 0.2, maxTtlSeconds: 1000, requireTtl: true },
    ...overrides,
  };
}

const open: CacheConnection[] = [];
const track = (c: CacheConnection) => { open.push(c); return c; };

beforeAll(async () => {
  [cluster, moto] = await Promise.all([startCluster({ tls: true }), startMoto()]);
});
afterEach(async () => { await Promise.all(open.splice(0).map((c) => c.close())); });
afterAll(async () => { await Promise.all([cluster?.stop(), moto?.stop()]); });

describe('connect() from the contract', () => {
  test('an IAM user: a token is signed for every connection, and after a rotation and a dropped connection the client reconnects with a new one', async () => {
    let token = 'token-one-0123456789';
    const requests: unknown[] = [];
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', `>${token}`, '~*', '+@all');
    const c = track(await connect({ contract: contract(), tls: { ca: ca() }, iamToken: async (r) => { requests.push(r); return token; } }));
    await c.client.set('k:iam', 'v', 'PX', 60_000);
    expect(await c.client.get('k:iam')).toBe('v');
    // The token names the cache, the user and the region; a node-based cache is not signed as serverless.
    expect(requests[0]).toEqual({ cacheName: 'local', userId: 'app', region: 'us-east-1', serverless: false });
    const signedBefore = requests.length;
    expect(signedBefore).toBeGreaterThanOrEqual(2);

    // Rotate: the old token stops working on the server, and every connection of the user is dropped.
    token = 'token-two-0123456789';
    await onEveryNode('ACL', 'SETUSER', 'app', 'resetpass', `>${token}`);
    await onEveryNode('CLIENT', 'KILL', 'USER', 'app');
    expect(await c.client.get('k:iam')).toBe('v');
    expect(requests.length).toBeGreaterThan(signedBefore);
  });

  test('an IAM user re-authenticates its open connections on schedule; a connection whose AUTH is refused reconnects', async () => {
    let token = 'token-three-0123456789';
    let signed = 0;
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', `>${token}`, '~*', '+@all');
    const c = track(await connect({ contract: contract(), tls: { ca: ca() }, reauthenticateEveryMs: 200, iamToken: async () => { signed++; return token; } }));
    await c.client.set('k:reauth', 'v', 'PX', 60_000);
    const before = await connectionsOf('app');
    const afterConnect = signed;
    const authBefore = await authCalls();
    await new Promise((r) => setTimeout(r, 700));
    // AUTH again on the same connections (the servers count the AUTH calls; no connection was replaced), each with a
    // token signed for it.
    expect(signed).toBeGreaterThan(afterConnect);
    expect(await authCalls()).toBeGreaterThan(authBefore);
    expect(await connectionsOf('app')).toEqual(before);

    // The password changes on the server while the token source still signs the old one: the next AUTH is refused,
    // the connection is dropped and reconnects; once the source signs the new one, the client works again.
    const stale = token;
    await onEveryNode('ACL', 'SETUSER', 'app', 'resetpass', '>token-four-0123456789');
    await new Promise((r) => setTimeout(r, 500));
    token = 'token-four-0123456789';
    expect(stale).not.toBe(token);
    expect(await c.client.get('k:reauth')).toBe('v');
    const after = await connectionsOf('app');
    expect(after.some((id) => !before.includes(id))).toBe(true);
  });

  test('a password user reads its password from Secrets Manager, and the contract can come from SSM', async () => {
    const secrets = new SecretsManagerClient(moto.clientConfig);
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: 'local-batch', SecretString: JSON.stringify({ username: 'batch', password: 'batch-password-0123456789' }) }));
    await onEveryNode('ACL', 'SETUSER', 'batch', 'reset', 'on', '>batch-password-0123456789', '~batch:*', '+@all');
    const doc = contract({ users: [{ userName: 'app', authentication: 'iam' }, { userName: 'batch', authentication: 'password', passwordSecretArn: ARN! }] });
    await new SSMClient(moto.clientConfig).send(new PutParameterCommand({ Name: '/ectk/local/connection', Type: 'String', Value: JSON.stringify(doc) }));
    const c = track(await connect({ parameterName: '/ectk/local/connection', user: 'batch', tls: { ca: ca() }, awsClientConfig: moto.clientConfig }));
    expect(c.contract).toEqual(doc);
    await c.ttl.set('batch:1', 'x');
    expect(await c.client.get('batch:1')).toBe('x');
    // The user's ACL is the server's: a key outside its pattern is refused there.
    await expect(c.client.set('other:1', 'x')).rejects.toThrow(/NOPERM/);
  });

  test('with readFromReplicas, the reader reads from replicas and writes stay on the primaries', async () => {
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', '>token-five-0123456789', '~*', '+@all');
    const c = track(await connect({ contract: contract(), tls: { ca: ca() }, readFromReplicas: true, iamToken: async () => 'token-five-0123456789' }));
    expect(c.reader).not.toBe(c.client);
    await c.client.set('k:replica', 'v', 'PX', 60_000);
    await c.client.call('WAIT', '1', '1000');
    expect(await c.reader.get('k:replica')).toBe('v');
    // The read went to a replica: its node reports the command, the primary's count does not move.
    const replicaReads = await Promise.all(c.reader.nodes('slave').map(async (n) => String(await n.call('INFO', 'commandstats'))));
    expect(replicaReads.some((info) => /cmdstat_get:calls=[1-9]/.test(info))).toBe(true);
  });

  test('a contract with several users needs one named, and a user it does not have is refused', async () => {
    const two = contract({ users: [{ userName: 'app', authentication: 'iam' }, { userName: 'other', authentication: 'iam' }] });
    await expect(connect({ contract: two })).rejects.toThrow('user: invalid value null: the contract of local has several users; name one of app, other');
    await expect(connect({ contract: two, user: 'nobody' })).rejects.toThrow('user: invalid value "nobody": one of the contract\'s users: app, other');
    await expect(connect({ env: {} })).rejects.toBeInstanceOf(UsageError);
    await expect(connect({ env: { ECTK_CACHE_CONTRACT: '{"version": 9}' } })).rejects.toThrow('ECTK_CACHE_CONTRACT.version: invalid value 9: at most 1');
  });
});

describe('writes that follow the TTL policy', () => {
  let c: CacheConnection;
  beforeEach(async () => {
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', '>token-six-0123456789', '~*', '+@all');
    c = track(await connect({ contract: contract(), tls: { ca: ca() }, iamToken: async () => 'token-six-0123456789' }));
  });

  test('without a TTL given, the default with its jitter; a longer TTL is capped at the maximum', async () => {
    const ttls: number[] = [];
    for (let i = 0; i < 20; i++) {
      await c.ttl.set(`ttl:${i}`, 'v');
      ttls.push(await c.client.pttl(`ttl:${i}`));
    }
    // 100 s ± 20 %.
    for (const t of ttls) expect(t).toBeGreaterThan(79_000);
    for (const t of ttls) expect(t).toBeLessThanOrEqual(120_000);
    expect(new Set(ttls.map((t) => Math.round(t / 1000))).size).toBeGreaterThan(3);
    await c.ttl.set('ttl:long', 'v', { ttlSeconds: 86_400 });
    expect(await c.client.pttl('ttl:long')).toBeGreaterThan(990_000);
    expect(await c.client.pttl('ttl:long')).toBeLessThanOrEqual(1_000_000);
    await c.ttl.hset('ttl:hash', { a: '1' }, { ttlSeconds: 50 });
    expect(await c.client.pttl('ttl:hash')).toBeGreaterThan(49_000);
  });

  test('under requireTtl a write without a TTL is refused and nothing is written', async () => {
    await expect(c.ttl.set('ttl:none', 'v', { ttlSeconds: 'none' })).rejects.toBeInstanceOf(TtlPolicyError);
    await expect(c.ttl.hset('ttl:none', { a: '1' }, { ttlSeconds: 'none' })).rejects.toThrow(/requires a TTL on every write/);
    expect(await c.client.exists('ttl:none')).toBe(0);
    await expect(c.ttl.set('ttl:zero', 'v', { ttlSeconds: 0 })).rejects.toThrow('ttlSeconds must be above 0 (or \'none\'), got 0');
  });
});

describe('connect() to a Global Datastore secondary', () => {
  test('reads work, and every write through ttl is refused before it is sent, naming where writes go', async () => {
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', '>token-six-0123456789', '~*', '+@all');
    const globalSecondary = { globalReplicationGroupId: 'ldgnf-local', primaryReplicationGroupId: 'primary', primaryRegion: 'us-east-1', primaryEndpoint: 'primary.example', primaryPort: 6379 };
    const c = track(await connect({ contract: contract({ cacheName: 'local-eu', region: 'eu-west-1', globalSecondary }), tls: { ca: ca() }, iamToken: async () => 'token-six-0123456789' }));
    expect(c.readOnly).toBe(true);
    expect(await c.reader.get('gd:missing')).toBeNull();
    const before = await commandCalls('set');
    await expect(c.ttl.set('gd:k', 'v')).rejects.toBeInstanceOf(ReadOnlyCacheError);
    await expect(c.ttl.hset('gd:h', { a: '1' })).rejects.toThrow(
      'local-eu is a read-only Global Datastore secondary (ldgnf-local) in eu-west-1: write to the primary, primary (primary.example:6379) in us-east-1');
    expect(await commandCalls('set')).toBe(before);
    expect(await c.client.exists('gd:k')).toBe(0);
    expect(await c.client.exists('gd:h')).toBe(0);
  });

  test('a cache that is not a secondary takes writes as before', async () => {
    await onEveryNode('ACL', 'SETUSER', 'app', 'reset', 'on', '>token-six-0123456789', '~*', '+@all');
    const c = track(await connect({ contract: contract(), tls: { ca: ca() }, iamToken: async () => 'token-six-0123456789' }));
    expect(c.readOnly).toBe(false);
    await c.ttl.set('gd:ok', 'v');
    expect(await c.client.exists('gd:ok')).toBe(1);
  });
});

/** SET calls the servers have counted (INFO commandstats). */
async function commandCalls(command: string): Promise<number> {
  let calls = 0;
  for (const port of cluster.ports) {
    const c = admin(port, true);
    try {
      calls += Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(String(await c.call('INFO', 'commandstats')))?.[1] ?? 0);
    } finally {
      c.disconnect();
    }
  }
  return calls;
}

describe('reconnection backoff', () => {
  test('exponential with full jitter: between 0 and 50 ms × 2^attempt, never above 2 s', () => {
    expect(backoffMs(1, () => 1)).toBe(100);
    expect(backoffMs(3, () => 1)).toBe(400);
    expect(backoffMs(30, () => 1)).toBe(2000);
    expect(backoffMs(3, () => 0)).toBe(0);
    expect(backoffMs(3, () => 0.5)).toBe(200);
  });
});
