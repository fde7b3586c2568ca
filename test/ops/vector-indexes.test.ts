/**
 * The deploy-time side of vector indexes. No search engine can be installed here, so:
 * - FT.INFO and INFO search are parsed in the shapes valkey-search documents (docs/commands/ft.info.md,
 *   docs/topics/search-observables.md), as RESP2 arrays and as RESP3 maps;
 * - the plan (create, leave alone, refuse or recreate, drop) is tested on those parsed shapes;
 * - against real valkey-server, the function's bundle, run as Lambda runs it (environment only, a TLS cluster, the
 *   password in Secrets Manager served by moto), connects as its user and fails with the reason: no vector search.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CONTRACT_ENV } from '../../lib/catalog/connection';
import { createIndexArguments, parseVectorIndexDocument, VectorIndexSpec } from '../../lib/catalog/vector-index';
import { loadgenBundle } from '../../lib/constructs/loadgen-bundle';
import { VECTOR_INDEX_COMMANDS } from '../../lib/constructs/vector-indexes';
import { parseInfoFields, searchHealthMetrics } from '../../lib/ops/search-health';
import { indexDifferences, parseFtInfo } from '../../lib/ops/vector-index-info';
import { NoVectorSearch } from '../../lib/catalog/errors';
import { applyIndexes, IndexChangeRefused, planIndexes } from '../../lib/ops/vector-indexes';
import { Moto, startMoto } from '../support/moto';
import { connect as admin, RedisCluster, RedisServer, startCluster, startRedis, tlsCertificates } from '../support/redis';

const QA: VectorIndexSpec = {
  name: 'qa-idx', keyPrefixes: ['sem:h:'], vectorField: 'vec', dimensions: 1536, algorithm: 'HNSW', distanceMetric: 'COSINE',
  m: 16, efConstruction: 200, efRuntime: 100, tagFields: ['tenant', 'model'], expectedVectors: 1000, otherFieldBytes: 1024,
};

/** An FT.INFO reply (LOCAL) in the documented RESP2 shape: key/value arrays, nested for the definition and attributes. */
function ftInfoReply(over: { dims?: number; m?: number; state?: string; backfill?: string; prefixes?: string[]; tags?: string[] } = {}): unknown[] {
  const tag = (name: string) => ['identifier', name, 'attribute', name, 'user_indexed_memory', 1200, 'type', 'TAG', 'SEPARATOR', ',', 'CASESENSITIVE', 0, 'SIZE', 10];
  return [
    'index_name', 'qa-idx',
    'index_definition', ['key_type', 'HASH', 'prefixes', over.prefixes ?? ['sem:h:'], 'default_score', '1.0'],
    'attributes', [
      ['identifier', 'vec', 'attribute', 'vec', 'user_indexed_memory', 614400, 'type', 'VECTOR', 'index', [
        'capacity', 10240, 'dimensions', over.dims ?? 1536, 'distance_metric', 'COSINE', 'size', 10, 'data_type', 'FLOAT32',
        'algorithm', ['name', 'HNSW', 'm', over.m ?? 16, 'ef_construction', 200, 'ef_runtime', 100],
      ]],
      ...(over.tags ?? ['tenant', 'model']).map(tag),
    ],
    'num_docs', 10, 'num_records', 30, 'hash_indexing_failures', 2,
    'backfill_in_progress', over.backfill ?? '0', 'backfill_complete_percent', over.backfill === '1' ? '0.25' : '1.000000',
    'mutation_queue_size', '0', 'recent_mutations_queue_delay', '0 sec', 'state', over.state ?? 'ready',
  ];
}

/** The same reply as a RESP3 client may hand it over: maps instead of key/value arrays. */
function asMaps(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply;
  const pairs = reply.length % 2 === 0 && reply.every((v, i) => i % 2 === 1 || typeof v === 'string');
  if (!pairs || reply.length === 0) return reply.map(asMaps);
  const keys = reply.filter((_, i) => i % 2 === 0) as string[];
  if (keys.some((k) => !/^[a-z_A-Z]+$/.test(k))) return reply.map(asMaps);
  return new Map(keys.map((k, i) => [k, asMaps(reply[2 * i + 1])]));
}

describe('FT.INFO, read', () => {
  test('the documented reply gives the declaration\'s parts and the index state; RESP3 maps read the same', () => {
    const observed = parseFtInfo(ftInfoReply());
    expect(observed).toEqual({
      name: 'qa-idx', keyType: 'HASH', keyPrefixes: ['sem:h:'],
      vectorFields: [{ field: 'vec', algorithm: 'HNSW', dimensions: 1536, distanceMetric: 'COSINE', m: 16, efConstruction: 200, efRuntime: 100 }],
      tagFields: ['tenant', 'model'], otherFields: [],
      numDocs: 10, backfillInProgress: false, backfillCompleteFraction: 1, state: 'ready', indexingFailures: 2,
    });
    expect(parseFtInfo(asMaps(ftInfoReply()))).toEqual(observed);
    expect(indexDifferences(QA, observed)).toEqual([]);
  });

  test('each difference from the declaration is one line naming both values', () => {
    expect(indexDifferences(QA, parseFtInfo(ftInfoReply({ dims: 768, m: 32, prefixes: ['old:'], tags: ['tenant'] })))).toEqual([
      'keyPrefixes: declared ["sem:h:"], the index has ["old:"]',
      'dimensions: declared 1536, the index has 768',
      'm: declared 16, the index has 32',
      'tagFields: declared ["tenant","model"], the index has ["tenant"]',
    ]);
  });

  test('a reply of another shape is an error that names the part', () => {
    expect(() => parseFtInfo('OK')).toThrow('FT.INFO: the reply is not a list of key/value pairs: "OK"');
    expect(() => parseFtInfo(['index_name', 'x', 'attributes'])).toThrow(/FT\.INFO: the reply is not a list of key\/value pairs/);
    expect(() => parseFtInfo(['index_name', 'x'])).toThrow('FT.INFO: the reply has no attributes list');
  });
});

describe('the plan', () => {
  const existing = (reply: unknown[]) => new Map([['qa-idx', parseFtInfo(reply)]]);

  test('a missing index is created, a matching one left alone', () => {
    expect(planIndexes([QA], new Map(), 'refuse')).toEqual([{ kind: 'create', index: 'qa-idx' }]);
    expect(planIndexes([QA], existing(ftInfoReply()), 'refuse')).toEqual([{ kind: 'unchanged', index: 'qa-idx' }]);
  });

  test('a changed index is refused with its differences under REFUSE, and recreated under RECREATE', () => {
    const changed = existing(ftInfoReply({ dims: 768 }));
    expect(() => planIndexes([QA], changed, 'refuse')).toThrow(IndexChangeRefused);
    expect(() => planIndexes([QA], changed, 'refuse')).toThrow(/vector index qa-idx exists with another definition[\s\S]*dimensions: declared 1536, the index has 768[\s\S]*vectorIndexChangePolicy: RECREATE/);
    expect(planIndexes([QA], changed, 'recreate')).toEqual([{ kind: 'recreate', index: 'qa-idx', differences: ['dimensions: declared 1536, the index has 768'] }]);
  });

  test('only indexes this declaration held before are dropped when removed from it, never another one', () => {
    const both = new Map([['qa-idx', parseFtInfo(ftInfoReply())], ['theirs', parseFtInfo(ftInfoReply())]]);
    expect(planIndexes([], both, 'refuse', ['qa-idx'])).toEqual([{ kind: 'drop', index: 'qa-idx' }]);
    expect(planIndexes([], both, 'refuse', [])).toEqual([]);
  });

  test('FT.CREATE: HNSW with its parameters and the TAG fields; FLAT with none', () => {
    expect(createIndexArguments(QA)).toEqual(['FT.CREATE', 'qa-idx', 'ON', 'HASH', 'PREFIX', '1', 'sem:h:', 'SCHEMA', 'vec', 'VECTOR', 'HNSW', '12',
      'TYPE', 'FLOAT32', 'DIM', '1536', 'DISTANCE_METRIC', 'COSINE', 'M', '16', 'EF_CONSTRUCTION', '200', 'EF_RUNTIME', '100', 'tenant', 'TAG', 'model', 'TAG']);
    expect(createIndexArguments({ ...QA, algorithm: 'FLAT', distanceMetric: 'L2', m: undefined, efConstruction: undefined, efRuntime: undefined, keyPrefixes: ['a:', 'b:'], tagFields: [] }))
      .toEqual(['FT.CREATE', 'qa-idx', 'ON', 'HASH', 'PREFIX', '2', 'a:', 'b:', 'SCHEMA', 'vec', 'VECTOR', 'FLAT', '6', 'TYPE', 'FLOAT32', 'DIM', '1536', 'DISTANCE_METRIC', 'L2']);
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
});

describe('search health', () => {
  test('INFO fields with or without the module prefix; the metrics take the worst node, the lowest progress, the sums', () => {
    const info = parseInfoFields('# search_memory\r\nsearch_used_memory_bytes:3000000\r\nsearch_number_of_indexes:1\r\n# other\r\nused_memory_bytes:9\r\n');
    expect(info.get('used_memory_bytes')).toBe('9');
    expect(parseInfoFields('search_used_memory_bytes:3000000\n').get('used_memory_bytes')).toBe('3000000');
    const node = (searchMemoryBytes: number, reply: unknown[]) => {
      const i = parseFtInfo(reply);
      return { node: 'n', maxmemoryBytes: 10_000_000, searchMemoryBytes, indexes: [{ name: i.name, state: i.state, backfillInProgress: i.backfillInProgress, backfillCompleteFraction: i.backfillCompleteFraction, numDocs: i.numDocs, indexingFailures: i.indexingFailures }] };
    };
    const metrics = searchHealthMetrics([node(1_000_000, ftInfoReply()), node(3_500_000, ftInfoReply({ backfill: '1', state: 'backfill_paused_by_oom' }))]);
    expect(Object.fromEntries(metrics.map((m) => [m.name, m.value]))).toEqual({
      SearchIndexMemoryPercent: 35, SearchBackfillInProgress: 1, SearchBackfillPausedByOom: 1, SearchBackfillCompletePercent: 25,
      SearchIndexingFailures: 4, SearchDocuments: 20,
    });
    expect(Object.fromEntries(searchHealthMetrics([node(0, ftInfoReply())]).map((m) => [m.name, m.value]))).toMatchObject({ SearchBackfillInProgress: 0, SearchBackfillPausedByOom: 0, SearchBackfillCompletePercent: 100 });
  });
});

describe('against real valkey-server (no search module)', () => {
  let server: RedisServer;
  let cluster: RedisCluster;
  let moto: Moto;
  let secretArn: string;
  beforeAll(async () => {
    [server, cluster, moto] = await Promise.all([startRedis({ engine: 'valkey' }), startCluster({ tls: true, engine: 'valkey' }), startMoto()]);
    // The construct's user, minus the FT commands this server does not have (ACL SETUSER refuses unknown commands).
    const commands = VECTOR_INDEX_COMMANDS.filter((c) => !c.startsWith('ft.')).map((c) => `+${c}`);
    for (const port of cluster.ports) {
      const c = admin(port, true);
      await c.call('ACL', 'SETUSER', 'index-manager', 'reset', 'on', '>index-password-0123456789', '~sem:h:*', '+@connection', '-@dangerous', ...commands);
      c.disconnect();
    }
    const sm = new SecretsManagerClient(moto.clientConfig);
    ({ ARN: secretArn } = await sm.send(new CreateSecretCommand({ Name: 'index-manager', SecretString: JSON.stringify({ username: 'index-manager', password: 'index-password-0123456789' }) })) as { ARN: string });
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

  /** Runs one export of the function's bundle in a child process, as Lambda would. */
  function invoke(exportName: 'onEvent' | 'watch', event: unknown): { status: number | null; stdout: string; error: string } {
    const bundle = path.join(loadgenBundle().directory, 'vector-indexes.js');
    const script = `require(${JSON.stringify(bundle)}).${exportName}(${JSON.stringify(event)}).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write('\\nerror: ' + e.message); process.exit(1); })`;
    const contract = JSON.stringify({
      version: 1, cacheName: 'sem', flavour: 'cluster', endpoint: '127.0.0.1', port: cluster.ports[0], region: 'us-east-1', tls: true, clusterMode: true,
      users: [{ userName: 'index-manager', authentication: 'password', passwordSecretArn: secretArn }],
    });
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8', timeout: 30_000,
      env: {
        PATH: process.env.PATH, [CONTRACT_ENV]: contract, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: moto.endpoint, NODE_EXTRA_CA_CERTS: tlsCertificates().ca,
      },
    });
    // What the handler threw (the AWS SDK may print a Node version notice before it).
    return { status: result.status, stdout: result.stdout, error: result.stderr.split('\nerror: ').pop()! };
  }

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
