/**
 * The deploy-time side of vector indexes:
 * - on valkey-search 1.0.3 (test/support/search.ts finds it): FT.INFO read back as the declaration under RESP2 and
 *   RESP3, the plan applied to real indexes (create, leave alone, refuse or recreate, roll back, drop only what was
 *   declared), the search health figures against INFO and FT.INFO on the same server, and the function's bundle run as
 *   Lambda runs it (environment only, a TLS cluster with the coordinator, the password in Secrets Manager served by
 *   moto) through CloudFormation's Create, Update, rollback, retry and Delete;
 * - against real valkey-server without the module, the same bundle fails with the reason: no vector search.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Redis, { Cluster } from 'ioredis';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CONTRACT_ENV } from '../../lib/catalog/connection';
import { createIndexArguments, indexOwnerKey, LOGIN_WAIT_ENV, parseVectorIndexDocument, VectorIndexSpec } from '../../lib/catalog/vector-index';
import { lambdaBundle } from '../../lib/constructs/lambda-bundle';
import { indexManagerAccess } from '../../lib/constructs/vector-indexes';
import { parseInfoFields, searchHealth, searchHealthMetrics } from '../../lib/ops/search-health';
import { indexDifferences, parseFtInfo } from '../../lib/ops/vector-index-info';
import { NoVectorSearch } from '../../lib/catalog/errors';
import { applyIndexes, IndexChangeRefused } from '../../lib/ops/vector-indexes';
import { Moto, startMoto } from '../support/moto';
import { connect as admin, RedisCluster, RedisServer, startCluster, startRedis, tlsCertificates } from '../support/redis';
import { describeWithSearch } from '../support/search';

const QA: VectorIndexSpec = {
  name: 'qa-idx', keyPrefixes: ['sem:h:'], vectorField: 'vec', dimensions: 1536, algorithm: 'HNSW', distanceMetric: 'COSINE',
  m: 16, efConstruction: 200, efRuntime: 100, tagFields: ['tenant', 'model'], expectedVectors: 1000, otherFieldBytes: 1024,
};
const FLAT: VectorIndexSpec = {
  ...QA, name: 'flat-idx', algorithm: 'FLAT', distanceMetric: 'L2', m: undefined, efConstruction: undefined, efRuntime: undefined,
  keyPrefixes: ['a:', 'b:'], tagFields: [],
};

describe('declarations and replies, checked before any server', () => {
  test('a reply of another shape is an error that names the part', () => {
    expect(() => parseFtInfo('OK')).toThrow('FT.INFO: the reply is not a list of key/value pairs: "OK"');
    expect(() => parseFtInfo(['index_name', 'x', 'attributes'])).toThrow(/FT\.INFO: the reply is not a list of key\/value pairs/);
    expect(() => parseFtInfo(['index_name', 'x'])).toThrow('FT.INFO: the reply has no attributes list');
  });

  test('FT.CREATE: HNSW with its parameters and the TAG fields; FLAT with none', () => {
    expect(createIndexArguments(QA)).toEqual(['FT.CREATE', 'qa-idx', 'ON', 'HASH', 'PREFIX', '1', 'sem:h:', 'SCHEMA', 'vec', 'VECTOR', 'HNSW', '12',
      'TYPE', 'FLOAT32', 'DIM', '1536', 'DISTANCE_METRIC', 'COSINE', 'M', '16', 'EF_CONSTRUCTION', '200', 'EF_RUNTIME', '100', 'tenant', 'TAG', 'model', 'TAG']);
    expect(createIndexArguments(FLAT)).toEqual(['FT.CREATE', 'flat-idx', 'ON', 'HASH', 'PREFIX', '2', 'a:', 'b:', 'SCHEMA', 'vec', 'VECTOR', 'FLAT', '6',
      'TYPE', 'FLOAT32', 'DIM', '1536', 'DISTANCE_METRIC', 'L2']);
  });

  test('the document the construct hands over is checked field by field', () => {
    const good = { version: 1, changePolicy: 'refuse', indexes: [QA] };
    expect(parseVectorIndexDocument(JSON.stringify(good)).indexes[0]).toEqual(QA);
    expect(() => parseVectorIndexDocument('{')).toThrow(/vector index document: not JSON/);
    expect(() => parseVectorIndexDocument(JSON.stringify({ ...good, version: 2 }))).toThrow('vector index document: version is 2; allowed is 1');
    expect(() => parseVectorIndexDocument(JSON.stringify({ ...good, changePolicy: 'drop' }))).toThrow('changePolicy is "drop"; allowed is "refuse" or "recreate"');
    // CloudFormation hands custom resources every number as a string: the document travels as one JSON string instead.
    expect(() => parseVectorIndexDocument(JSON.stringify({ ...good, indexes: [{ ...QA, dimensions: '1536' }] }))).toThrow('indexes.0.dimensions is "1536"; allowed is an integer');
  });

  test('search health: INFO fields with or without the module prefix', () => {
    expect(parseInfoFields('# search_memory\r\nsearch_used_memory_bytes:3000000\r\nsearch_number_of_indexes:1\r\n').get('used_memory_bytes')).toBe('3000000');
    expect(parseInfoFields('used_memory_bytes:3000000\n').get('used_memory_bytes')).toBe('3000000');
  });
});

/** Runs one export of the function's bundle in a child process, as Lambda would: environment only, TLS, the secret in moto. */
function invokeBundle(exportName: 'onEvent' | 'watch', event: unknown, target: { port: number; secretArn: string; moto: Moto; user?: string; env?: Record<string, string> }): { status: number | null; stdout: string; error: string } {
  const bundle = path.join(lambdaBundle().directory, 'vector-indexes.js');
  const script = `require(${JSON.stringify(bundle)}).${exportName}(${JSON.stringify(event)}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write('\\nerror: ' + e.message); process.exit(1); })`;
  const contract = JSON.stringify({
    version: 1, cacheName: 'sem', flavour: 'cluster', endpoint: '127.0.0.1', port: target.port, region: 'us-east-1', tls: true, clusterMode: true,
    users: [{ userName: target.user ?? 'index-manager', authentication: 'password', passwordSecretArn: target.secretArn }],
  });
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8', timeout: 30_000,
    env: {
      PATH: process.env.PATH, [CONTRACT_ENV]: contract, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: target.moto.endpoint, NODE_EXTRA_CA_CERTS: tlsCertificates().ca, ...target.env,
    },
  });
  // What the handler threw (the AWS SDK may print a Node version notice before it).
  return { status: result.status, stdout: result.stdout, error: result.stderr.split('\nerror: ').pop()! };
}

/**
 * The index function's user on every node of a cluster, with the construct's access string (less the FT commands where
 * the server has no search module: ACL SETUSER refuses unknown commands), and its password in moto.
 */
async function indexManager(ports: readonly number[], moto: Moto, search: boolean): Promise<string> {
  const rules = indexManagerAccess(['sem:h:']).toString().split(' ').filter((rule) => search || !rule.startsWith('+ft.'));
  for (const port of ports) {
    const c = admin(port, true);
    await c.call('ACL', 'SETUSER', 'index-manager', 'reset', '>index-password-0123456789', ...rules);
    c.disconnect();
  }
  const sm = new SecretsManagerClient(moto.clientConfig);
  const { ARN } = await sm.send(new CreateSecretCommand({ Name: `index-manager-${ports[0]}`, SecretString: JSON.stringify({ username: 'index-manager', password: 'index-password-0123456789' }) }));
  return ARN!;
}

describe('against real valkey-server (no search module)', () => {
  let server: RedisServer;
  let cluster: RedisCluster;
  let moto: Moto;
  let secretArn: string;
  beforeAll(async () => {
    [server, cluster, moto] = await Promise.all([startRedis({ engine: 'valkey' }), startCluster({ tls: true, engine: 'valkey' }), startMoto()]);
    secretArn = await indexManager(cluster.ports, moto, false);
  }, 90_000);
  afterAll(async () => { await Promise.all([server?.stop(), cluster?.stop(), moto?.stop()]); });

  test('applying indexes to a server without search fails with the reason, and creates nothing', async () => {
    const client = admin(server.port);
    try {
      const failure = applyIndexes(client, [QA], 'refuse');
      await expect(failure).rejects.toThrow(NoVectorSearch);
      await expect(failure).rejects.toThrow(/^the cache has no vector search \(FT\._LIST: ERR unknown command 'FT\._LIST'.*\); it needs node-based ElastiCache for Valkey 8\.2 or later, not serverless and not data tiering \(r6gd\) nodes$/);
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  const invoke = (exportName: 'onEvent' | 'watch', event: unknown) => invokeBundle(exportName, event, { port: cluster.ports[0], secretArn, moto });

  test('the bundled custom resource handler logs in as the confined user and fails the deployment with the reason; the process ends', () => {
    const document = JSON.stringify({ version: 1, changePolicy: 'refuse', indexes: [QA] });
    const create = invoke('onEvent', { RequestType: 'Create', ResourceProperties: { Document: document } });
    expect(create.status).toBe(1);
    expect(create.error).toMatch(/^the cache has no vector search \(FT\._LIST: ERR unknown command/);
    const malformed = invoke('onEvent', { RequestType: 'Create', ResourceProperties: { Document: '{"version":1}' } });
    expect(malformed.error).toBe('vector index document: changePolicy is undefined; allowed is "refuse" or "recreate"');
  });

  test('a Delete never blocks the stack: on a cache without search, or unreachable, it succeeds and says what it left', () => {
    const document = JSON.stringify({ version: 1, changePolicy: 'refuse', indexes: [QA] });
    const deleted = invoke('onEvent', { RequestType: 'Delete', PhysicalResourceId: 'sem/vector-indexes', ResourceProperties: { Document: document } });
    expect(deleted.status).toBe(0);
    // The function's log line, then what it returned to the provider framework.
    const [log, response] = deleted.stdout.split('\n');
    expect(JSON.parse(log)).toEqual({ request: 'Delete', warning: expect.stringMatching(/^indexes left in place: the cache has no vector search/) });
    expect(JSON.parse(response)).toEqual({
      PhysicalResourceId: 'sem/vector-indexes',
      Data: { Actions: expect.stringMatching(/^indexes left in place: the cache has no vector search/) },
    });
  });

  test('the bundled health watch reads INFO on every primary as that user and reports a cache without search the same way', () => {
    const watch = invoke('watch', {});
    expect(watch.status).toBe(1);
    expect(watch.error).toMatch(/^the cache has no vector search/);
  });
});

describeWithSearch('on valkey-search', () => {
  describe('FT.INFO, the plan and the search health on a standalone engine', () => {
    let server: RedisServer;
    let client: Redis;
    beforeAll(async () => {
      server = await startRedis({ engine: 'valkey-search' });
      client = admin(server.port);
    }, 60_000);
    afterAll(async () => {
      client?.disconnect();
      await server?.stop();
    });
    afterEach(async () => {
      for (const name of await client.call('FT._LIST') as string[]) await client.call('FT.DROPINDEX', name);
      await client.flushall();
    });
    const create = (c: Redis, spec: VectorIndexSpec) => c.call(...createIndexArguments(spec) as [string, ...string[]]);

    test.each([2, 3] as const)('under RESP%i FT.INFO reads back as the declaration: HNSW with its parameters and TAG fields, FLAT', async (protocol) => {
      const c = admin(server.port, false, { protocol });
      try {
        await create(c, QA);
        await create(c, FLAT);
        const observed = parseFtInfo(await c.call('FT.INFO', 'qa-idx'));
        expect(observed).toEqual({
          name: 'qa-idx', keyType: 'HASH', keyPrefixes: ['sem:h:'],
          vectorFields: [{ field: 'vec', algorithm: 'HNSW', dimensions: 1536, distanceMetric: 'COSINE', m: 16, efConstruction: 200, efRuntime: 100 }],
          // Attribute order in FT.INFO is not the declaration's (it changed between runs): compared as a set.
          tagFields: expect.arrayContaining(['tenant', 'model']), otherFields: [], numDocs: 0, indexingFailures: 0,
          backfillInProgress: expect.any(Boolean), backfillCompleteFraction: expect.any(Number), state: expect.stringMatching(/^(ready|backfill_in_progress)$/),
        });
        expect(indexDifferences(QA, observed)).toEqual([]);
        expect(indexDifferences(FLAT, parseFtInfo(await c.call('FT.INFO', 'flat-idx')))).toEqual([]);
      } finally {
        c.disconnect();
      }
    });

    test('FT.INFO of indexed keys: documents counted, a key of the wrong vector size counted in both num_docs and indexing failures', async () => {
      const small: VectorIndexSpec = { ...QA, dimensions: 4 };
      await create(client, small);
      for (let i = 0; i < 5; i++) await client.hset(`sem:h:${i}`, { vec: Buffer.from(new Float32Array([1, i, 0, 0]).buffer), tenant: 't', model: 'm' });
      await client.hset('sem:h:bad', { vec: Buffer.alloc(8), tenant: 't', model: 'm' });
      const observed = parseFtInfo(await client.call('FT.INFO', 'qa-idx'));
      // num_docs counts the key whose vector could not be indexed as well; hash_indexing_failures counts it alone.
      expect(observed).toMatchObject({ numDocs: 6, indexingFailures: 1 });
    });

    test('each difference from the declaration is one line naming both values', async () => {
      await create(client, { ...QA, dimensions: 768, m: 32, keyPrefixes: ['old:'], tagFields: ['tenant'] });
      expect(indexDifferences(QA, parseFtInfo(await client.call('FT.INFO', 'qa-idx')))).toEqual([
        'keyPrefixes: declared ["sem:h:"], the index has ["old:"]',
        'dimensions: declared 1536, the index has 768',
        'm: declared 16, the index has 32',
        'tagFields: declared ["tenant","model"], the index has ["tenant"]',
      ]);
    });

    test('the plan applied: created, left alone, refused or recreated (keys kept), rolled back, and only its own indexes dropped', async () => {
      const changed: VectorIndexSpec = { ...QA, dimensions: 768 };
      const dims = async () => parseFtInfo(await client.call('FT.INFO', 'qa-idx')).vectorFields[0].dimensions;
      expect(await applyIndexes(client, [QA], 'refuse')).toEqual([{ kind: 'create', index: 'qa-idx' }]);
      expect(await applyIndexes(client, [QA], 'refuse')).toEqual([{ kind: 'unchanged', index: 'qa-idx' }]);
      await client.hset('sem:h:kept', { vec: Buffer.alloc(768 * 4), tenant: 't', model: 'm' });

      const refused = applyIndexes(client, [changed], 'refuse', { indexes: [QA], changePolicy: 'refuse' });
      await expect(refused).rejects.toThrow(IndexChangeRefused);
      await expect(refused).rejects.toThrow(/vector index qa-idx exists with another definition[\s\S]*dimensions: declared 768, the index has 1536[\s\S]*vectorIndexChangePolicy: RECREATE/);
      expect(await dims()).toBe(1536);

      expect(await applyIndexes(client, [changed], 'recreate', { indexes: [QA], changePolicy: 'refuse' }))
        .toEqual([{ kind: 'recreate', index: 'qa-idx', differences: ['dimensions: declared 768, the index has 1536'] }]);
      expect(await dims()).toBe(768);
      expect(await client.exists('sem:h:kept')).toBe(1);

      // CloudFormation rolls the update back: the old properties (policy REFUSE) arrive as new, the failed ones as old.
      expect(await applyIndexes(client, [QA], 'refuse', { indexes: [changed], changePolicy: 'recreate' }))
        .toEqual([{ kind: 'recreate', index: 'qa-idx', differences: ['dimensions: declared 1536, the index has 768'] }]);
      expect(await dims()).toBe(1536);
      // Not a rollback: the index is not what the previous (RECREATE) declaration made, so REFUSE holds.
      await expect(applyIndexes(client, [{ ...QA, m: 8 }], 'refuse', { indexes: [changed], changePolicy: 'recreate' })).rejects.toThrow(IndexChangeRefused);

      await create(client, { ...QA, name: 'theirs', keyPrefixes: ['theirs:'] });
      expect(await applyIndexes(client, [], 'refuse', { indexes: [QA], changePolicy: 'refuse' })).toEqual([{ kind: 'drop', index: 'qa-idx' }]);
      expect(await client.call('FT._LIST')).toEqual(['theirs']);
      expect(await client.exists('sem:h:kept')).toBe(1);
    });

    test('search health: the figures are what INFO search and FT.INFO say on the same server', async () => {
      await client.config('SET', 'maxmemory', String(64 * 1024 * 1024));
      await create(client, { ...QA, dimensions: 4 });
      await create(client, { ...FLAT, dimensions: 4 });
      for (let i = 0; i < 7; i++) await client.hset(`sem:h:${i}`, { vec: Buffer.from(new Float32Array([1, i, 0, 0]).buffer), tenant: 't', model: 'm' });
      for (let i = 0; i < 3; i++) await client.hset(`a:${i}`, { vec: Buffer.from(new Float32Array([i, 1, 0, 0]).buffer) });
      // Right after FT.CREATE an index reports a short backfill even over no keys; the figures are compared once it ends.
      for (const until = Date.now() + 5000; Date.now() < until;) {
        const states = await Promise.all(['qa-idx', 'flat-idx'].map(async (name) => parseFtInfo(await client.call('FT.INFO', name)).backfillInProgress));
        if (!states.includes(true)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [node] = await searchHealth(client);
      const info = String(await client.info('search'));
      const used = Number(/search_used_memory_bytes:(\d+)/.exec(info)![1]);
      expect(node.maxmemoryBytes).toBe(64 * 1024 * 1024);
      expect(node.searchMemoryBytes).toBe(used);
      expect(node.indexes.map((i) => [i.name, i.numDocs]).sort()).toEqual([['flat-idx', 3], ['qa-idx', 7]]);
      const metrics = Object.fromEntries(searchHealthMetrics([node]).map((m) => [m.name, m.value]));
      // Search memory and documents are ElastiCache's own per-node metrics (SearchUsedMemoryBytes,
      // SearchTotalIndexedDocuments; docs/aws-facts.md, "CloudWatch metrics"): the function publishes only the rest.
      expect(metrics).toEqual({
        SearchBackfillInProgress: 0, SearchBackfillPausedByOom: 0, SearchBackfillCompletePercent: 100, SearchIndexingFailures: 0,
      });
      await client.config('SET', 'maxmemory', '0');
    });
  });

  describe('the bundled function on a TLS cluster with the coordinator, as CloudFormation drives it', () => {
    let cluster: RedisCluster;
    let moto: Moto;
    let secretArn: string;
    beforeAll(async () => {
      [cluster, moto] = await Promise.all([startCluster({ tls: true, engine: 'valkey-search', replicas: 0 }), startMoto()]);
      secretArn = await indexManager(cluster.ports, moto, true);
    }, 90_000);
    afterAll(async () => { await Promise.all([cluster?.stop(), moto?.stop()]); });

    const invoke = (exportName: 'onEvent' | 'watch', event: unknown) => invokeBundle(exportName, event, { port: cluster.ports[0], secretArn, moto });
    const doc = (indexes: VectorIndexSpec[], changePolicy: 'refuse' | 'recreate' = 'refuse') => ({ Document: JSON.stringify({ version: 1, changePolicy, indexes }) });
    const actions = (r: { status: number | null; stdout: string; error: string }) => {
      if (r.status !== 0) throw new Error(`the function failed: ${r.error}`);
      return JSON.parse(r.stdout.split('\n').pop()!).Data.Actions as string;
    };
    /** FT.INFO of an index on every primary, as the dimensions each holds (undefined where it is missing). */
    const onEveryPrimary = async (name: string) => Promise.all(cluster.ports.map(async (port) => {
      const c = admin(port, true);
      try {
        const names = await c.call('FT._LIST') as string[];
        return names.includes(name) ? parseFtInfo(await c.call('FT.INFO', name)).vectorFields[0].dimensions : undefined;
      } finally {
        c.disconnect();
      }
    }));
    const changed: VectorIndexSpec = { ...QA, dimensions: 768 };
    const id = 'sem/vector-indexes/Indexes';
    const adminCluster = () => new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], { redisOptions: { tls: { ca: fs.readFileSync(tlsCertificates().ca) } } });

    test('Create, Update unchanged, Update refused, Update recreated, its rollback, and Delete, read back on every primary', async () => {
      const created = invoke('onEvent', { RequestType: 'Create', LogicalResourceId: 'Indexes', ResourceProperties: doc([QA]) });
      expect(actions(created)).toBe('create qa-idx');
      expect(JSON.parse(created.stdout.split('\n').pop()!).PhysicalResourceId).toBe(id);
      expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);
      expect(actions(invoke('onEvent', { RequestType: 'Update', PhysicalResourceId: id, ResourceProperties: doc([QA]), OldResourceProperties: doc([QA]) })))
        .toBe('unchanged qa-idx');

      const refused = invoke('onEvent', { RequestType: 'Update', PhysicalResourceId: id, ResourceProperties: doc([changed]), OldResourceProperties: doc([QA]) });
      expect(refused.status).toBe(1);
      expect(refused.error).toMatch(/^vector index qa-idx exists with another definition, and the change policy is REFUSE/);
      expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);

      expect(actions(invoke('onEvent', { RequestType: 'Update', PhysicalResourceId: id, ResourceProperties: doc([changed], 'recreate'), OldResourceProperties: doc([QA]) })))
        .toBe('recreate qa-idx');
      expect(await onEveryPrimary('qa-idx')).toEqual([768, 768, 768]);
      // A later resource failed: CloudFormation sends the old properties back, and the function restores them.
      expect(actions(invoke('onEvent', { RequestType: 'Update', PhysicalResourceId: id, ResourceProperties: doc([QA]), OldResourceProperties: doc([changed], 'recreate') })))
        .toBe('recreate qa-idx');
      expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);

      expect(actions(invoke('onEvent', { RequestType: 'Delete', PhysicalResourceId: id, ResourceProperties: doc([QA]) }))).toBe('drop qa-idx');
      expect(await onEveryPrimary('qa-idx')).toEqual([undefined, undefined, undefined]);
    });

    test('a Create that failed is retried once its cause is gone, and then succeeds', async () => {
      const c = admin(cluster.ports[0], true);
      try {
        // Someone else's index of the same name and another definition: the first attempt is refused, nothing changes.
        await c.call(...createIndexArguments(changed) as [string, ...string[]]);
        const first = invoke('onEvent', { RequestType: 'Create', ResourceProperties: doc([QA]) });
        expect(first.status).toBe(1);
        expect(first.error).toMatch(/dimensions: declared 1536, the index has 768/);
        await c.call('FT.DROPINDEX', 'qa-idx');
        expect(actions(invoke('onEvent', { RequestType: 'Create', ResourceProperties: doc([QA]) }))).toBe('create qa-idx');
        expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);
      } finally {
        await c.call('FT.DROPINDEX', 'qa-idx').catch(() => undefined);
        c.disconnect();
        const all = adminCluster();
        await all.del(indexOwnerKey(QA));
        all.disconnect();
      }
    });

    test('a logical id that changes: the new resource takes the index over, and the old one\'s Delete leaves it', async () => {
      const oldId = 'sem/vector-indexes/Indexes';
      const newId = 'sem/vector-indexes/IndexesRenamed';
      expect(actions(invoke('onEvent', { RequestType: 'Create', LogicalResourceId: 'Indexes', ResourceProperties: doc([QA]) }))).toBe('create qa-idx');
      // CloudFormation creates the renamed resource first, then deletes the old one.
      expect(actions(invoke('onEvent', { RequestType: 'Create', LogicalResourceId: 'IndexesRenamed', ResourceProperties: doc([QA]) }))).toBe('unchanged qa-idx');
      expect(actions(invoke('onEvent', { RequestType: 'Delete', PhysicalResourceId: oldId, ResourceProperties: doc([QA]) })))
        .toBe(`left qa-idx (owned by ${newId})`);
      expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);
      // The resource that owns it drops it, and its record with it.
      expect(actions(invoke('onEvent', { RequestType: 'Delete', PhysicalResourceId: newId, ResourceProperties: doc([QA]) }))).toBe('drop qa-idx');
      expect(await onEveryPrimary('qa-idx')).toEqual([undefined, undefined, undefined]);
      const c = adminCluster();
      try {
        expect(await c.exists(indexOwnerKey(QA))).toBe(0);
      } finally {
        c.disconnect();
      }
    });

    test('a user not yet in the group: the function retries the refused login within its wait, then works; past it, it says why', async () => {
      const sm = new SecretsManagerClient(moto.clientConfig);
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'late-user', SecretString: JSON.stringify({ username: 'late-user', password: 'late-password-0123456789' }) }));
      const late = (env: Record<string, string>) => invokeBundle('onEvent', { RequestType: 'Create', LogicalResourceId: 'Indexes', ResourceProperties: doc([QA]) }, { port: cluster.ports[0], secretArn: ARN!, moto, user: 'late-user', env });
      // No such user at all: refused at once without a wait, and after the wait with the attempts counted.
      expect(late({ [LOGIN_WAIT_ENV]: '0' }).error).toMatch(/WRONGPASS/);
      const refused = late({ [LOGIN_WAIT_ENV]: '3' });
      expect(refused.status).toBe(1);
      expect(refused.error).toMatch(/WRONGPASS[\s\S]*the login was still refused after \d+ attempts over \d+ s: is the function's user in the cache's user group\?/);
      // The user appears 2 s after the function starts (as a user group change is applied): the Create goes through.
      const rules = indexManagerAccess(['sem:h:']).toString();
      const cli = cluster.ports.map((port) => `valkey-cli --tls --cacert ${tlsCertificates().ca} -p ${port} ACL SETUSER late-user '>late-password-0123456789' ${rules.replace(/\|/g, '\\|')} >/dev/null`).join('; ');
      const joining = spawn('sh', ['-c', `sleep 2; ${cli}`], { stdio: 'ignore' });
      const joined = new Promise((resolve) => joining.once('exit', resolve));
      const created = late({ [LOGIN_WAIT_ENV]: '30' });
      await joined;
      expect(actions(created)).toBe('create qa-idx');
      expect(created.stdout).toMatch(/"waiting":"the function's user cannot log in yet/);
      expect(await onEveryPrimary('qa-idx')).toEqual([1536, 1536, 1536]);
      expect(actions(invoke('onEvent', { RequestType: 'Delete', PhysicalResourceId: id, ResourceProperties: doc([QA]) }))).toBe('drop qa-idx');
    });

    test('the health watch writes one EMF line whose figures are what FT.INFO and INFO say on the primaries', async () => {
      const small: VectorIndexSpec = { ...QA, dimensions: 4 };
      const c = adminCluster();
      try {
        await c.call(...createIndexArguments(small) as [string, ...string[]]);
        for (let i = 0; i < 12; i++) await c.hset(`sem:h:{${i}}`, { vec: Buffer.from(new Float32Array([1, i, 0, 0]).buffer), tenant: 't', model: 'm' });
        const watched = invoke('watch', {});
        expect(watched.status).toBe(0);
        const record = JSON.parse(watched.stdout.split('\n')[0]);
        let docs = 0;
        for (const node of c.nodes('master')) docs += parseFtInfo(await node.call('FT.INFO', 'qa-idx')).numDocs;
        expect(docs).toBe(12);
        expect(record).toMatchObject({ Cache: 'sem', SearchIndexingFailures: 0, SearchBackfillPausedByOom: 0, SearchBackfillCompletePercent: 100 });
        expect(Object.keys(record).filter((k) => k.startsWith('Search')).sort())
          .toEqual(['SearchBackfillCompletePercent', 'SearchBackfillInProgress', 'SearchBackfillPausedByOom', 'SearchIndexingFailures']);
      } finally {
        await c.call('FT.DROPINDEX', 'qa-idx').catch(() => undefined);
        for (const node of c.nodes('master')) for (const key of await node.keys('sem:h:*')) await node.unlink(key);
        c.disconnect();
      }
    });
  });
});
