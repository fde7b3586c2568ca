/**
 * VectorSearchIndex and the SemanticCache on it, against valkey-search 1.0.3 (test/support/search.ts finds it):
 * standalone and a 3-primary cluster with the module's coordinator, under RESP2 and RESP3. The reply shapes the
 * parser relies on are pinned here on the engine's own replies (docs/aws-facts.md, "Vector search on the engine").
 */
import Redis, { Cluster } from 'ioredis';
import { Rng } from '../../lib/loadgen/random';
import { primaries } from '../../lib/client/target';
import { randomUnitVector, vectorNear } from '../../lib/loadgen/workloads/embeddings';
import { SemanticCache, TtlWriter, VectorSearchIndex } from '../../lib/client';
import { parseSearchReply } from '../../lib/client/semantic/vector-search-index';
import { toBytes } from '../../lib/client/semantic/vectors';
import { indexDifferences, parseFtInfo } from '../../lib/ops/vector-index-info';
import { connect, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';
import { describeWithSearch } from '../support/search';

const DIMENSIONS = 32;
const POLICY = { defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true };
const TAGS = { tenant: 'acme-eu', embeddingModel: 'titan.v2' };

type Topology = { name: string; cluster: boolean; protocol: 2 | 3 };
const TOPOLOGIES: Topology[] = [
  { name: 'standalone, RESP3', cluster: false, protocol: 3 },
  { name: 'standalone, RESP2', cluster: false, protocol: 2 },
  { name: '3-primary cluster with the coordinator, RESP3', cluster: true, protocol: 3 },
  { name: '3-primary cluster with the coordinator, RESP2', cluster: true, protocol: 2 },
];

/** Every key under a prefix on every primary, with its remaining TTL in ms. */
async function keysWithTtl(client: Redis | Cluster, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const node of primaries(client)) {
    for (const key of await node.keys(`${prefix}*`)) out.set(key, await node.pttl(key));
  }
  return out;
}

async function unlinkAll(client: Redis | Cluster, prefix: string): Promise<void> {
  for (const node of primaries(client)) for (const key of await node.keys(`${prefix}*`)) await node.unlink(key);
}

describeWithSearch('vector search on valkey-search', () => {
  describe.each(TOPOLOGIES)('$name', ({ cluster: clustered, protocol }) => {
    let server: RedisServer | undefined;
    let cluster: RedisCluster | undefined;
    let client: Redis | Cluster;
    beforeAll(async () => {
      if (clustered) {
        cluster = await startCluster({ engine: 'valkey-search', replicas: 0 });
        client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], { redisOptions: { protocol } });
      } else {
        server = await startRedis({ engine: 'valkey-search' });
        client = connect(server.port, false, { protocol });
      }
    }, 60_000);
    afterAll(async () => {
      client?.disconnect();
      await Promise.all([server?.stop(), cluster?.stop()]);
    });

    /**
     * What a query sees of a write just made: on a standalone node, the write at once (HSET returns once it is
     * indexed); through a cluster's coordinator, not always at once (75-90 % of writes were visible to the next query
     * here), so a cluster test waits, bounded, for the write it needs.
     */
    async function visible<T>(query: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
      const until = Date.now() + 5000;
      for (;;) {
        const value = await query();
        if (ready(value)) return value;
        if (!clustered) throw new Error(`a standalone node did not show a write at once: ${JSON.stringify(value)}`);
        if (Date.now() > until) throw new Error(`the cluster did not show a write within 5 s: ${JSON.stringify(value)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    test('create: every primary has the index, and FT.INFO reads back as the declaration', async () => {
      const index = new VectorSearchIndex('c1:', DIMENSIONS, { tagFields: ['tenant', 'embeddingModel'] });
      await index.create(client);
      for (const node of primaries(client)) {
        expect((await node.call('FT._LIST') as unknown[]).map(String)).toContain('c1:idx');
        const observed = parseFtInfo(await node.call('FT.INFO', 'c1:idx'));
        expect(indexDifferences(index.spec(), observed)).toEqual([]);
        expect(observed).toMatchObject({ keyType: 'HASH', keyPrefixes: ['c1:h:'], numDocs: 0, indexingFailures: 0 });
        // Right after FT.CREATE the engine reports a (short) backfill, even over no keys.
        expect(['ready', 'backfill_in_progress']).toContain(observed.state);
      }
      await expect(index.create(client)).rejects.toThrow('Index c1:idx already exists.');
      await index.drop(client);
      for (const node of primaries(client)) expect(await node.call('FT._LIST')).toEqual([]);
    });

    test('lookups: paraphrases hit their own answer at their similarity; near misses and other tags do not; every key has a TTL', async () => {
      const index = new VectorSearchIndex('c2:', DIMENSIONS, { tagFields: ['tenant', 'embeddingModel'] });
      await index.create(client);
      const sem = new SemanticCache(client, new TtlWriter(client, POLICY), { dimensions: DIMENSIONS, keyPrefix: 'c2:', threshold: 0.9, index });
      const rng = new Rng(5);
      const centres = Array.from({ length: 60 }, () => randomUnitVector(rng, DIMENSIONS));
      for (const [i, c] of centres.entries()) await sem.store(c, `answer ${i}`, TAGS);
      await visible(() => index.nearest(client, centres[59], TAGS), (m) => m?.answer === 'answer 59');

      for (const [i, c] of centres.entries()) {
        const found = await sem.lookup(vectorNear(rng, c, 0.95), TAGS);
        expect(found).toEqual({ hit: true, answer: `answer ${i}`, similarity: expect.closeTo(0.95, 4) });
      }
      // Below the threshold: no answer, but the nearest similarity is reported (an entry with these tags exists).
      const near = await sem.lookup(vectorNear(rng, centres[0], 0.8), TAGS);
      expect(near.hit).toBe(false);
      expect(near.similarity).toBeLessThan(0.9);
      // Another tag namespace holds nothing: no nearest entry at all. The tag values carry '-' and '.', escaped.
      expect(await sem.lookup(centres[0], { ...TAGS, embeddingModel: 'titan.v1' })).toEqual({ hit: false, similarity: null });
      expect(sem.stats()).toMatchObject({ lookups: 62, hits: 60 });

      const keys = await keysWithTtl(client, 'c2:');
      expect(keys.size).toBe(60);
      for (const ttl of keys.values()) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(660_000);
      }
      await index.drop(client);
      await unlinkAll(client, 'c2:');
    });

    test('an index without tag fields queries every entry (no empty filter, which valkey-search refuses)', async () => {
      const index = new VectorSearchIndex('c3:', DIMENSIONS, { tagFields: [] });
      expect(index.searchCommand(randomUnitVector(new Rng(1), DIMENSIONS), {})[2]).toBe('*=>[KNN 1 @vec $q EF_RUNTIME 100]');
      await index.create(client);
      const v = randomUnitVector(new Rng(2), DIMENSIONS);
      await index.add(client, { id: 'one', vector: v, answer: 'first', tags: {}, ttlMs: 60_000 });
      expect(await visible(() => index.nearest(client, v, {}), (m) => m?.answer === 'first'))
        .toEqual({ id: 'one', similarity: expect.closeTo(1, 5), answer: 'first' });
      // An upsert: the same id written again answers with the new answer, and the index still holds one document.
      await index.add(client, { id: 'one', vector: v, answer: 'second', tags: {}, ttlMs: 60_000 });
      expect(await visible(() => index.nearest(client, v, {}), (m) => m?.answer === 'second')).toMatchObject({ id: 'one', answer: 'second' });
      const docs = await Promise.all(primaries(client).map(async (n) => parseFtInfo(await n.call('FT.INFO', 'c3:idx')).numDocs));
      expect(docs.reduce((a, b) => a + b, 0)).toBe(1);
      // The engine's own refusal of an empty filter, which the toolkit's queries never send.
      await expect(client.call('FT.SEARCH', 'c3:idx', '()=>[KNN 1 @vec $q]', 'PARAMS', '2', 'q', toBytes(v), 'DIALECT', '2'))
        .rejects.toThrow('Invalid filter expression: `()`. Unexpected character at position 2');
      await expect(client.call('FT.SEARCH', 'c3:idx', '*=>[KNN 1 @vec $q]', 'PARAMS', '2', 'q', Buffer.alloc(8), 'DIALECT', '2'))
        .rejects.toThrow(`query vector blob size (8) does not match index's expected size (${DIMENSIONS * 4})`);
      await index.drop(client);
      await client.unlink('c3:h:one');
    });

    test('a FLAT index: FT.INFO says FLAT, the query carries no EF_RUNTIME, and the nearest entry is exact', async () => {
      expect(() => new VectorSearchIndex('c5:', 4, { tagFields: [], algorithm: 'FLAT', efRuntime: 50 }))
        .toThrow('efRuntime: HNSW parameters; a FLAT index takes none (leave them out, or use algorithm HNSW)');
      const index = new VectorSearchIndex('c5:', DIMENSIONS, { tagFields: ['tenant'], algorithm: 'FLAT' });
      await index.create(client);
      expect(parseFtInfo(await primaries(client)[0].call('FT.INFO', 'c5:idx')).vectorFields[0].algorithm).toBe('FLAT');
      const rng = new Rng(9);
      const entries = Array.from({ length: 30 }, () => randomUnitVector(rng, DIMENSIONS));
      for (const [i, v] of entries.entries()) await index.add(client, { id: `e${i}`, vector: v, answer: `a${i}`, tags: { tenant: 't' }, ttlMs: 60_000 });
      const query = vectorNear(rng, entries[17], 0.9);
      expect(index.searchCommand(query, { tenant: 't' })[2]).toBe('(@tenant:{t})=>[KNN 1 @vec $q]');
      expect(await visible(() => index.nearest(client, query, { tenant: 't' }), (m) => m?.id === 'e17')).toMatchObject({ answer: 'a17', similarity: expect.closeTo(0.9, 4) });
      await index.drop(client);
      await unlinkAll(client, 'c5:');
    });

    test('the reply: scores are bulk strings; a cluster returns its merged KNN list farthest first; the parser takes the nearest', async () => {
      const index = new VectorSearchIndex('c4:', 4, { tagFields: [] });
      await index.create(client);
      const unit = (x: number, y: number) => { const n = Math.hypot(x, y); return new Float32Array([x / n, y / n, 0, 0]); };
      // Enough entries that a cluster holds some on every shard.
      for (let i = 0; i < 24; i++) await index.add(client, { id: `e${i}`, vector: unit(1, i / 10), answer: `a${i}`, tags: {}, ttlMs: 60_000 });
      await visible(() => index.nearest(client, unit(1, 2.3), {}), (m) => m?.id === 'e23');
      const reply = await client.call('FT.SEARCH', 'c4:idx', '*=>[KNN 3 @vec $q]', 'PARAMS', '2', 'q', toBytes(unit(1, 0)),
        'RETURN', '2', '__vec_score', 'answer', 'DIALECT', '2') as unknown[];
      expect(reply[0]).toBe(3);
      const scores = [2, 4, 6].map((i) => (reply[i] as unknown[])[1]);
      for (const score of scores) expect(typeof score).toBe('string');
      const distances = scores.map(Number);
      const ascending = [...distances].sort((a, b) => a - b);
      // valkey-search 1.0.3's coordinator merges farthest first (fixed upstream later); a standalone node sorts nearest first.
      expect(distances).toEqual(clustered ? [...ascending].reverse() : ascending);
      expect(parseSearchReply(reply, 'c4:')).toEqual({ id: 'e0', similarity: expect.closeTo(1, 5), answer: 'a0' });
      expect(await index.nearest(client, unit(1, 0.52), {})).toMatchObject({ id: 'e5' });
      await index.drop(client);
      await unlinkAll(client, 'c4:');
    });
  });

  describe('an ACL user confined to its prefix (standalone)', () => {
    let server: RedisServer;
    let admin: Redis;
    beforeAll(async () => {
      server = await startRedis({ engine: 'valkey-search' });
      admin = connect(server.port);
      // The reference app's application user (bin/app.ts), as ElastiCache would set it.
      await admin.call('ACL', 'SETUSER', 'app', '>app-password-0123456789',
        ...'on ~sem:* +@read +@write +@connection -@dangerous +ft.search +cluster|slots +cluster|shards +cluster|info'.split(' '));
      // The same prefix with FT.SEARCH granted by name only, without a category of it (@read, @search).
      await admin.call('ACL', 'SETUSER', 'named', 'on', '>named-password-0123456789', '~sem:*', '+@connection', '+ft.search');
    }, 60_000);
    afterAll(async () => {
      admin?.disconnect();
      await server?.stop();
    });

    test('queries its own prefix\'s index, and is refused on an index over another prefix or without a category of FT.SEARCH', async () => {
      const own = new VectorSearchIndex('sem:', 4, { tagFields: [] });
      const other = new VectorSearchIndex('other:', 4, { tagFields: [] });
      await own.create(admin);
      await other.create(admin);
      const v = new Float32Array([1, 0, 0, 0]);
      await own.add(admin, { id: 'x', vector: v, answer: 'mine', tags: {}, ttlMs: 60_000 });
      await other.add(admin, { id: 'y', vector: v, answer: 'theirs', tags: {}, ttlMs: 60_000 });
      const app = connect(server.port, false, { username: 'app', password: 'app-password-0123456789', enableReadyCheck: false });
      try {
        expect(await own.nearest(app, v, {})).toMatchObject({ answer: 'mine' });
        // valkey-search checks the user's key patterns against the index's prefixes (its docs, "ACL").
        await expect(other.nearest(app, v, {})).rejects.toThrow("The user doesn't have a permission to execute a command");
        await expect(other.drop(app)).rejects.toThrow("The user doesn't have a permission to execute a command");
        // FT._LIST (@read) names every index, whatever the prefix: names are not data.
        expect((await app.call('FT._LIST') as string[]).sort()).toEqual(['other:idx', 'sem:idx']);
      } finally {
        app.disconnect();
      }
      // valkey-search 1.0.3 admits a user to an index's keys only when its rules name a category of the command:
      // a grant by name alone is refused even on its own prefix (why the toolkit's users carry @read / @write).
      const named = connect(server.port, false, { username: 'named', password: 'named-password-0123456789', enableReadyCheck: false });
      try {
        await expect(own.nearest(named, v, {})).rejects.toThrow("The user doesn't have a permission to execute a command");
      } finally {
        named.disconnect();
      }
    });
  });
});
