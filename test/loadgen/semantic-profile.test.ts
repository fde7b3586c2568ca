/**
 * The semantic-cache load profile on real servers (redis-server 7 standalone, valkey-server 8 cluster): the generator
 * knows each query's true intent, so the semantic hit ratio and the false-hit ratio are measured, held to SLO terms,
 * and every key of the run is deleted afterwards.
 */
import { Cluster } from 'ioredis';
import { parseSlo } from '../../lib/catalog/slo';
import { LoadTestResult, runLoadTest } from '../../lib/loadgen/run';
import { connect, keysOn, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';
import { config } from '../support/loadtest';
import { ectk } from '../support/cli';
import { NoVectorSearch } from '../../lib/catalog/errors';
import { primaries } from '../../lib/client/target';
import { describeWithSearch } from '../support/search';

/** What a run leaves on every primary: its keys (none expected) and the FT indexes (none expected). */
async function leftOn(port: number, cluster: boolean): Promise<{ keys: string[]; indexes: string[] }> {
  const admin = cluster ? new Cluster([{ host: '127.0.0.1', port }]) : connect(port);
  try {
    if (cluster) await new Promise((resolve) => (admin as Cluster).once('ready', resolve));
    const nodes = primaries(admin);
    return {
      keys: (await Promise.all(nodes.map((n) => n.keys('ectk:slo:*')))).flat(),
      indexes: (await Promise.all(nodes.map((n) => n.call('FT._LIST') as Promise<string[]>))).flat(),
    };
  } finally {
    admin.disconnect();
  }
}

function expectSemanticFigures(r: LoadTestResult): void {
  expect(r.errors).toBe(0);
  expect(r.counts.hits + r.counts.misses).toBe(r.ops);
  // Repeated intents are answered from the cache, but not every paraphrase reaches the threshold of its stored twin.
  expect(r.hit_ratio).toBeGreaterThan(0.3);
  expect(r.hit_ratio).toBeLessThan(1);
  // Hard negatives as near as negations get another intent's answer now and then: counted, never hidden.
  expect(r.counts.falseHits).toBeGreaterThan(0);
  expect(r.counts.falseHits).toBeLessThan(r.counts.hits);
  expect(r.false_hit_ratio).toBeCloseTo(r.counts.falseHits / r.counts.hits, 12);
  expect(r.slo!.checks.map((c) => c.term)).toEqual(['hit_ratio>20%', 'false_hit_ratio<0.1%']);
  // A false-hit ratio above 0.1 % breaches the term; the hit ratio term passes.
  expect(r.slo!.checks.map((c) => c.passed)).toEqual([true, false]);
}

describe('semantic-cache profile', () => {
  const run = { profile: 'semantic-cache', rate: 400, durationMs: 3000, warmupMs: 0, keyspace: 100, slo: parseSlo('hit_ratio>20%,false_hit_ratio<0.1%') };

  test('redis-server 7 standalone: hit ratio and false-hit ratio from the ground truth; no key left', async () => {
    const server: RedisServer = await startRedis();
    try {
      const r = await runLoadTest(config(server.port, run));
      expectSemanticFigures(r);
      expect(await keysOn(server.port, 'ectk:slo:*')).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  test('valkey-server 8 cluster (3 + 3): the same, with the buckets spread over the shards', async () => {
    const cluster: RedisCluster = await startCluster({ engine: 'valkey' });
    try {
      const r = await runLoadTest(config(cluster.ports[0], run, { cluster: true }));
      expectSemanticFigures(r);
      const admin = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
      try {
        const left = (await Promise.all(admin.nodes('master').map((n) => n.keys('ectk:slo:*')))).flat();
        expect(left).toEqual([]);
      } finally {
        admin.disconnect();
      }
    } finally {
      await cluster.stop();
    }
  }, 90_000);

  test('on the vector-search index: a cache without search is refused with the reason before any load, and no key is left', async () => {
    // No search engine can be installed here: the run against a live one (FT.CREATE under the run prefix, FT.SEARCH
    // per lookup, FT.DROPINDEX at the end) is untested; this is the refusal a Valkey 8.0 or Redis OSS cache gives.
    const server: RedisServer = await startRedis({ engine: 'valkey' });
    try {
      const refused = runLoadTest(config(server.port, { ...run, semanticIndex: 'vector-search' }));
      await expect(refused).rejects.toThrow(NoVectorSearch);
      await expect(refused).rejects.toThrow(/^the cache has no vector search \(FT\.CREATE: ERR unknown command 'FT\.CREATE'/);
      expect(await keysOn(server.port, '*')).toEqual([]);
      const cli = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--workload', 'semantic-cache', '--semantic-index', 'vector-search', '--rate', '100', '--duration', '1s');
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(/the cache has no vector search \(FT\.CREATE: ERR unknown command/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  test('--semantic-index is checked: its values, and the profile it applies to', async () => {
    const wrong = await ectk('loadtest', '--endpoint', 'redis://127.0.0.1:1', '--workload', 'semantic-cache', '--semantic-index', 'faiss');
    expect([wrong.code, wrong.stderr.trim()]).toEqual([2, 'ectk: --semantic-index: invalid value "faiss": allowed are bucketed, vector-search']);
    const other = await ectk('loadtest', '--endpoint', 'redis://127.0.0.1:1', '--workload', 'get-set', '--semantic-index', 'vector-search');
    expect([other.code, other.stderr.trim()]).toEqual([2, 'ectk: --semantic-index: invalid value "vector-search": applies to --workload semantic-cache only (the workload is get-set)']);
  });

  test('a false_hit_ratio term on a profile that does not measure it is refused before connecting', async () => {
    await expect(runLoadTest(config(1, { profile: 'inference-cache', slo: parseSlo('false_hit_ratio<1%') })))
      .rejects.toThrow('--slo term: invalid value "false_hit_ratio<1%": the inference-cache profile does not measure false_hit_ratio (it measures hit_ratio)');
    expect(() => parseSlo('false_hit_ratio<0')).not.toThrow();
    await expect(runLoadTest(config(1, { profile: 'semantic-cache', slo: parseSlo('false_hit_ratio<0') })))
      .rejects.toThrow('--slo term: invalid value "false_hit_ratio<0": can never be met: a false-hit ratio below 0 can never be measured');
  });
});

describeWithSearch('semantic-cache profile on the vector-search index (valkey-search)', () => {
  const run = {
    profile: 'semantic-cache', semanticIndex: 'vector-search' as const, rate: 300, durationMs: 3000, warmupMs: 0, keyspace: 100,
    slo: parseSlo('hit_ratio>20%,false_hit_ratio<0.1%'),
  };

  test('standalone: the run creates its index, counts hits and false hits from the ground truth, and leaves no key and no index', async () => {
    const server = await startRedis({ engine: 'valkey-search' });
    try {
      const r = await runLoadTest(config(server.port, run));
      expectSemanticFigures(r);
      expect(r.cleanup_warning).toBeUndefined();
      expect(await leftOn(server.port, false)).toEqual({ keys: [], indexes: [] });
    } finally {
      await server.stop();
    }
  }, 60_000);

  test('3-primary cluster with the coordinator: the same, the index on every primary during the run and on none after', async () => {
    const cluster = await startCluster({ engine: 'valkey-search', replicas: 0 });
    try {
      const r = await runLoadTest(config(cluster.ports[0], run, { cluster: true }));
      expectSemanticFigures(r);
      expect(r.cleanup_warning).toBeUndefined();
      expect(await leftOn(cluster.ports[0], true)).toEqual({ keys: [], indexes: [] });
    } finally {
      await cluster.stop();
    }
  }, 90_000);

  test('--keep-data keeps the keys (each with a TTL) and the index, and says how to drop the index', async () => {
    const server = await startRedis({ engine: 'valkey-search' });
    try {
      const r = await runLoadTest(config(server.port, { ...run, durationMs: 1000, keepData: true, runId: 'keepdata' }));
      expect(r.cleanup_warning).toBe('--keep-data: the index ectk:slo:keepdata:sem:idx stays until dropped (FT.DROPINDEX ectk:slo:keepdata:sem:idx); its keys expire by their TTL');
      const admin = connect(server.port);
      try {
        const keys = await admin.keys('ectk:slo:keepdata:*');
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect(await admin.pttl(key)).toBeGreaterThan(0);
        expect(await admin.call('FT._LIST')).toEqual(['ectk:slo:keepdata:sem:idx']);
      } finally {
        admin.disconnect();
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
