/**
 * The semantic cache on real servers: the bucketed index on redis-server 7 (standalone) and a valkey-server 8 cluster
 * (3 + 3), with recall, hit ratio and false hits asserted on seeded embeddings. The vector-search index runs against
 * the real engine in vector-search.test.ts.
 */
import { Cluster, Redis } from 'ioredis';
import { Rng } from '../../lib/loadgen/random';
import { randomUnitVector, vectorNear } from '../../lib/loadgen/workloads/embeddings';
import { BucketedIndex, SemanticCache, TtlPolicyError, TtlWriter } from '../../lib/client';
import { tagNamespace } from '../../lib/client/semantic/bucketed-index';
import { connect, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';

const DIMENSIONS = 64;
const POLICY = { defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true };

/** Seeded embeddings: random unit "intent" centres, and paraphrases at an exact cosine similarity to a centre. */
function embeddings(seed: number) {
  const rng = new Rng(seed);
  return { random: () => randomUnitVector(rng, DIMENSIONS), near: (centre: Float32Array, similarity: number) => vectorNear(rng, centre, similarity) };
}

type Topology = { name: string; start: () => Promise<{ client: Redis | Cluster; stop: () => Promise<void> }> };
const TOPOLOGIES: Topology[] = [
  { name: 'redis-server 7, standalone', start: async () => {
    const server: RedisServer = await startRedis();
    const client = connect(server.port);
    return { client, stop: async () => { client.disconnect(); await server.stop(); } };
  } },
  { name: 'valkey-server 8, 3 + 3 cluster', start: async () => {
    const cluster: RedisCluster = await startCluster({ engine: 'valkey' });
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
    return { client, stop: async () => { client.disconnect(); await cluster.stop(); } };
  } },
];

describe.each(TOPOLOGIES)('bucketed semantic cache on $name', ({ start }) => {
  let client: Redis | Cluster;
  let stop: () => Promise<void>;
  beforeAll(async () => { ({ client, stop } = await start()); }, 60_000);
  afterAll(async () => { await stop(); });

  const cache = (prefix: string, threshold = 0.9) => new SemanticCache(client, new TtlWriter(client, POLICY), { dimensions: DIMENSIONS, keyPrefix: prefix, threshold });

  test('paraphrases at similarity 0.95 hit their own answer at the recall the LSH predicts; hard negatives at 0.8 never hit', async () => {
    const sem = cache('sem1:');
    const { random, near } = embeddings(7);
    const centres = Array.from({ length: 200 }, random);
    for (const [i, c] of centres.entries()) await sem.store(c, `answer ${i}`, { tenant: 't1' });
    let hits = 0;
    let wrong = 0;
    for (const [i, c] of centres.entries()) {
      const r = await sem.lookup(near(c, 0.95), { tenant: 't1' });
      if (r.hit) { hits++; if (r.answer !== `answer ${i}`) wrong++; }
    }
    const expected = (sem.index as BucketedIndex).hyperplanes.recallAt(0.95);
    expect(expected).toBeCloseTo(0.962, 2);
    // Exact search would find every centre (nearest, at 0.95 >= 0.9): the recall is the share the buckets found.
    expect(wrong).toBe(0);
    expect(hits / 200).toBeGreaterThanOrEqual(expected - 0.06);
    // Near but different intents: never an answer, whatever the buckets hold.
    let falseHits = 0;
    for (const c of centres.slice(0, 100)) if ((await sem.lookup(near(c, 0.8), { tenant: 't1' })).hit) falseHits++;
    expect(falseHits).toBe(0);
    const stats = sem.stats();
    expect(stats.lookups).toBe(300);
    expect(stats.hits).toBe(hits);
    // The nearest similarities sit where they were made: 0.95 (bin 19) and 0.8 (bin 16), none elsewhere above 0.5.
    expect(stats.nearestSimilarity[19] + stats.nearestSimilarity[18]).toBeGreaterThanOrEqual(hits);
    expect(stats.nearestSimilarity.slice(10, 15).reduce((a, b) => a + b, 0)).toBe(0);
  }, 120_000);

  test('an entry stored under one embedding model never answers a query tagged with another', async () => {
    const sem = cache('sem2:');
    const { random } = embeddings(11);
    const v = random();
    await sem.store(v, 'from model v1', { tenant: 't1', embeddingModel: 'v1' });
    expect(await sem.lookup(v, { tenant: 't1', embeddingModel: 'v1' })).toMatchObject({ hit: true, answer: 'from model v1' });
    expect(await sem.lookup(v, { tenant: 't1', embeddingModel: 'v2' })).toEqual({ hit: false, similarity: null });
    expect(await sem.lookup(v, { tenant: 't2', embeddingModel: 'v1' })).toEqual({ hit: false, similarity: null });
  });

  test('every key carries the TTL policy\'s TTL; without a TTL an entry is refused', async () => {
    const sem = cache('sem3:');
    const v = embeddings(13).random();
    const id = await sem.store(v, 'answer', { tenant: 't1' });
    for (const key of [`sem3:e:{${id}}:v`, `sem3:e:{${id}}:a`]) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(540_000 - 5_000);
      expect(ttl).toBeLessThanOrEqual(660_000);
    }
    const namespace = tagNamespace({ tenant: 't1' });
    const signatures = (sem.index as BucketedIndex).hyperplanes.signatures(v);
    for (const [table, signature] of signatures.entries()) expect(await client.pttl(`sem3:b:${namespace}:${table}:${signature}`)).toBeGreaterThan(500_000);
    const noPolicy = new SemanticCache(client, new TtlWriter(client, undefined), { dimensions: DIMENSIONS, keyPrefix: 'sem3:' });
    await expect(noPolicy.store(v, 'answer')).rejects.toBeInstanceOf(TtlPolicyError);
  });

  test('metrics: one embedded-metric-format record per everyLookups lookups, and on flushMetrics()', async () => {
    const lines: string[] = [];
    const sem = new SemanticCache(client, new TtlWriter(client, POLICY), {
      dimensions: DIMENSIONS, keyPrefix: 'sem5:', metrics: { cacheName: 'ectk-inference', everyLookups: 3, emit: (line) => lines.push(line) },
    });
    const { random, near } = embeddings(19);
    const v = random();
    await sem.store(v, 'answer');
    for (const q of [near(v, 0.99), random(), near(v, 0.98), near(v, 0.97)]) await sem.lookup(q);
    expect(lines).toHaveLength(1);
    sem.flushMetrics();
    sem.flushMetrics();
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: unknown[] } });
    expect(first._aws.CloudWatchMetrics).toEqual([{
      Namespace: 'ElastiCacheToolkit/SemanticCache', Dimensions: [['Cache']],
      Metrics: [
        { Name: 'SemanticLookups', Unit: 'Count' }, { Name: 'SemanticHits', Unit: 'Count' },
        { Name: 'SemanticHitRatio', Unit: 'Percent' }, { Name: 'SemanticLookupLatency', Unit: 'Milliseconds' },
      ],
    }]);
    expect(Math.abs(first._aws.Timestamp - Date.now())).toBeLessThan(60_000);
    expect(first).toMatchObject({ Cache: 'ectk-inference', SemanticLookups: 3, SemanticHits: 2 });
    expect(first.SemanticHitRatio).toBeCloseTo(200 / 3, 10);
    expect(first.SemanticLookupLatency).toHaveLength(3);
    expect((first.SemanticLookupLatency as number[]).every((ms) => ms > 0 && ms < 1000)).toBe(true);
    expect(second).toMatchObject({ SemanticLookups: 1, SemanticHits: 1, SemanticHitRatio: 100 });
  });

  test('an expired entry is a miss, and its id leaves the buckets it was found in', async () => {
    const sem = cache('sem4:');
    const v = embeddings(17).random();
    const id = await sem.store(v, 'short-lived', { tenant: 't1' }, { ttlSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1300));
    expect(await sem.lookup(v, { tenant: 't1' })).toEqual({ hit: false, similarity: null });
    const namespace = tagNamespace({ tenant: 't1' });
    const buckets = (sem.index as BucketedIndex).hyperplanes.signatures(v).map((s, t) => `sem4:b:${namespace}:${t}:${s}`);
    for (const bucket of buckets) expect(await client.sismember(bucket, id)).toBe(0);
  });

  test('a bucket gets its member and its TTL in one transaction: no moment exists where it holds an id and no TTL', async () => {
    // What the server executed, seen by MONITOR on every primary: each SADD sits between a MULTI and an EXEC together
    // with both PEXPIREs of its bucket, so a client killed between two commands cannot leave a bucket without a TTL.
    // Every primary connected first: MONITOR on a node the cluster client has not connected yet sees nothing.
    if (client instanceof Cluster) await Promise.all(client.nodes('master').map((n) => n.ping()));
    const nodes = client instanceof Cluster ? client.nodes('master') : [client];
    expect(nodes).toHaveLength(client instanceof Cluster ? 3 : 1);
    const seen: string[][] = [];
    const monitors = await Promise.all(nodes.map((n) => n.monitor()));
    // Per connection a transaction's commands arrive in order; the client id in the MONITOR line tells connections apart.
    monitors.forEach((m) => m.on('monitor', (_time: string, args: string[], source: string) => seen.push([source, ...args.map(String)])));
    try {
      await cache('sem5:').store(embeddings(23).random(), 'answer', { tenant: 't1' });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      for (const m of monitors) m.disconnect();
    }
    const sadds = seen.filter(([, command]) => command.toLowerCase() === 'sadd');
    expect(sadds).toHaveLength(10);
    for (const sadd of sadds) {
      const [source, , bucket] = sadd;
      const own = seen.filter(([s]) => s === source).map(([, command, ...rest]) => [command.toLowerCase(), ...rest]);
      const at = own.findIndex((c) => c[0] === 'sadd' && c[1] === bucket);
      expect(own[at - 1]?.[0]).toBe('multi');
      expect(own.slice(at + 1, at + 4).map((c) => c.join(' '))).toEqual([
        expect.stringMatching(new RegExp(`^pexpire ${bucket.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d+ NX$`)),
        expect.stringMatching(/^pexpire \S+ \d+ GT$/),
        'exec',
      ]);
    }
    for (const [, , bucket] of sadds) expect(await client.pttl(bucket)).toBeGreaterThan(0);
  });
});

describe('semantic cache input', () => {
  const client = {} as Redis;
  const ttl = new TtlWriter(client, POLICY);
  test.each<[object, RegExp]>([
    [{ dimensions: 1, keyPrefix: 'sem:' }, /dimensions: invalid value 1: a whole number from 2 to 32768/],
    [{ dimensions: 8, keyPrefix: '' }, /keyPrefix: invalid value "": a non-empty prefix/],
    [{ dimensions: 8, keyPrefix: 'sem:*' }, /keyPrefix: invalid value "sem:\*"/],
    [{ dimensions: 8, keyPrefix: 'sem:', threshold: 1.5 }, /threshold: invalid value 1\.5: a cosine similarity above 0 and at most 1/],
    [{ dimensions: 8, keyPrefix: 'sem:', metrics: { cacheName: 'c', everyLookups: 101 } }, /metrics\.everyLookups: invalid value 101: a whole number from 1 to 100/],
  ])('%j is refused', (options, message) => {
    expect(() => new SemanticCache(client, ttl, options as never)).toThrow(message);
  });

  test('an embedding of the wrong size or without direction is refused before anything is sent', async () => {
    const sem = new SemanticCache(client, ttl, { dimensions: 4, keyPrefix: 'sem:' });
    await expect(sem.lookup([1, 2, 3])).rejects.toThrow('embedding: 3 dimensions; this cache holds 4');
    await expect(sem.store([0, 0, 0, 0], 'a')).rejects.toThrow('embedding: a zero vector or one with NaN/Infinity has no direction');
  });
});
