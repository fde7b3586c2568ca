import { runLoadTest } from '../../lib/loadgen/run';
import { BUILT_IN_WORKLOADS } from '../../lib/catalog/workloads';
import { config } from '../support/loadtest';
import { connect, RedisCluster, startCluster } from '../support/redis';

describe('load generator against a 3-primary / 3-replica cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => { cluster = await startCluster(); });
  afterAll(async () => { await cluster.stop(); });

  // semantic-cache sends about 40 commands per operation (10 LSH tables, each bucket in its own slot), so 1,000 ops/s
  // would be 40,000 unpipelined commands/s from one thread against six servers on two cores: the generator falls behind
  // (event-loop delay p99 0.14-0.75 s measured) and commands time out under load. It runs at the semantic profile test's
  // 400 ops/s instead.
  const rateOf = (profile: string) => (profile === 'semantic-cache' ? 400 : 1000);

  test.each(BUILT_IN_WORKLOADS.map((w) => w.name))('%s routes by slot without errors and cleans up on every primary', async (profile) => {
    const result = await runLoadTest(config(cluster.ports[0], { profile, rate: rateOf(profile) }, { cluster: true }));
    // With the first message of each kind, a failure here says what the errors were.
    expect({ kinds: result.errors_by_kind, examples: result.error_examples }).toEqual({ kinds: {}, examples: {} });
    expect(result.ops).toBe(rateOf(profile) * 1.5);
    expect(result.keys_deleted).toBeGreaterThan(0);
    let left = 0;
    let primariesWithKeys = 0;
    for (const port of cluster.ports) {
      const node = connect(port);
      const [, keys] = await node.scan('0', 'MATCH', `ectk:slo:${result.run_id}:*`, 'COUNT', 100000);
      left += keys.length;
      node.disconnect();
    }
    expect(left).toBe(0);
    // Keys were spread over the shards: the run deleted keys from more than one primary.
    const check = await runLoadTest(config(cluster.ports[0], { profile, rate: rateOf(profile), keepData: true, durationMs: 500 }, { cluster: true }));
    for (const port of cluster.ports) {
      const node = connect(port);
      if ((await node.role())[0] === 'master') {
        const [, keys] = await node.scan('0', 'MATCH', `ectk:slo:${check.run_id}:*`, 'COUNT', 100000);
        if (keys.length > 0) primariesWithKeys++;
        // --keep-data leaves the keys to their TTL: every one has one (the permission probe's included).
        const withoutTtl = [];
        for (const key of keys) if ((await node.pttl(key)) === -1) withoutTtl.push(key); // -1: no TTL (-2: gone since)
        expect(withoutTtl).toEqual([]);
        for (const key of keys) await node.unlink(key);
      }
      node.disconnect();
    }
    expect(primariesWithKeys).toBeGreaterThan(1);
  });

  test('reads from replicas', async () => {
    const result = await runLoadTest(config(cluster.ports[0], { profile: 'inference-cache' }, { cluster: true }));
    const replicaRun = await runLoadTest({
      ...config(cluster.ports[0], { profile: 'get-set', ratio: [0, 1] }, { cluster: true }),
      target: { ...config(cluster.ports[0], {}, { cluster: true }).target, readFromReplicas: true },
    });
    expect(result.errors).toBe(0);
    expect(replicaRun.errors).toBe(0);
    expect(replicaRun.hit_ratio).toBe(0);
  });

  test('failover mid-run (a primary is killed): errors are counted, the client follows the new primary and recovers', async () => {
    // Find the primary of the slot range that holds most keys: any primary will do; kill the one on ports[0]'s shard.
    const probe = connect(cluster.ports[0]);
    const nodes = (await probe.cluster('NODES') as string).split('\n').filter(Boolean);
    probe.disconnect();
    const primary = nodes.find((l) => l.includes('master') && !l.includes('myself') && !l.includes('fail'))!;
    const primaryPort = Number(/127\.0\.0\.1:(\d+)@/.exec(primary)![1]);
    const victim = cluster.nodes.find((n) => n.port === primaryPort)!;
    const entry = cluster.ports.find((p) => p !== primaryPort)!;

    const run = runLoadTest(config(entry, { durationMs: 9000, rate: 500, keepData: true }, { cluster: true }));
    await new Promise((r) => setTimeout(r, 2000));
    victim.process.kill('SIGKILL');
    const result = await run;
    expect(result.errors).toBeGreaterThan(0);
    expect(Object.keys(result.errors_by_kind).every((k) => ['connection', 'timeout', 'clusterdown', 'moved'].includes(k))).toBe(true);
    expect(result.ops).toBe(4500);
    // Recovered: the last two seconds ran without errors.
    const last = result.series.slice(-2);
    expect(last.every((s) => s.errors === 0 && s.ops > 0)).toBe(true);
  });
});
