import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Cluster } from 'ioredis';
import { main } from '../../lib/cli/main';
import { Io } from '../../lib/cli/io';
import { KeyAnalysis } from '../../lib/ops/analyze';
import { DrillResult } from '../../lib/ops/failover';
import { startMoto } from '../support/moto';
import { connect, digestOf, RedisCluster, RedisServer, startCluster, startRedis } from '../support/redis';

async function ectk(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, tty: false, stdinTty: false, ask: async () => '' };
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((t) => { err += String(t); return true; });
  try {
    return { code: await main(['node', 'ectk', ...args], { io }), out, err };
  } finally {
    stderr.mockRestore();
  }
}

/**
 * A dataset whose answers are known exactly: 300 `user:` strings of 1,000 bytes without TTL, 200 `sess:` hashes with a
 * 30-minute TTL, 100 `rank:` zsets with a 2-day TTL, and one 200 KB `blob:big` string with a 30 s TTL.
 */
async function seed(write: (cmds: Array<[string, ...Array<string | number>]>) => Promise<void>): Promise<void> {
  const cmds: Array<[string, ...Array<string | number>]> = [];
  for (let i = 0; i < 300; i++) cmds.push(['set', `user:${i}`, 'u'.repeat(1000)]);
  for (let i = 0; i < 200; i++) cmds.push(['hset', `sess:${i}`, 'a', '1', 'b', '2'], ['expire', `sess:${i}`, 1800]);
  for (let i = 0; i < 100; i++) cmds.push(['zadd', `rank:${i}`, 1, 'x', 2, 'y'], ['expire', `rank:${i}`, 2 * 86400]);
  cmds.push(['set', 'blob:big', 'b'.repeat(200_000), 'EX', 30]);
  await write(cmds);
}

const digests = (ports: number[]) => Promise.all(ports.map(digestOf));

describe('ectk analyze on a standalone server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const admin = connect(server.port);
    await seed(async (cmds) => { await admin.pipeline(cmds).exec(); });
    admin.disconnect();
  });
  afterAll(async () => { await server.stop(); });

  test('a full sample gives the exact answers, writes nothing (DEBUG DIGEST unchanged) and keeps to its rate', async () => {
    const before = await digests([server.port]);
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--sample', '1000', '--max-ops-per-sec', '1500', '--json']);
    expect(run.code).toBe(0);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a).toMatchObject({ primaries: 1, total_keys: 601, sampled: 601 });
    expect(a.ttl).toEqual({ none: 300, under_1m: 1, '1m_1h': 200, '1h_1d': 0, over_1d: 100 });
    expect(a.prefixes.map((p) => [p.prefix, p.keys, p.no_ttl]).sort()).toEqual([['blob:', 1, 0], ['rank:', 100, 0], ['sess:', 200, 0], ['user:', 300, 300]]);
    // Most memory first: 300 KB of user strings, then the 200 KB blob.
    expect(a.prefixes.slice(0, 2).map((p) => p.prefix)).toEqual(['user:', 'blob:']);
    expect(a.biggest[0]).toMatchObject({ key: 'blob:big', type: 'string' });
    expect(a.biggest[0].bytes).toBeGreaterThan(200_000);
    // The whole keyspace was sampled: the estimate is exact and its margin zero.
    expect(a.estimate.no_ttl_share).toBeCloseTo(300 / 601, 10);
    expect(a.estimate.no_ttl_share_error).toBe(0);
    expect(a.estimate.memory_bytes).toBe(a.prefixes.reduce((n, p) => n + p.bytes, 0));
    expect(a.estimate.memory_bytes_error).toBe(0);
    // 1 DBSIZE + SCANs + 3 per key at 1,500/s: the run cannot be faster than its budget allows.
    expect(a.commands).toBeGreaterThanOrEqual(1 + 601 * 3);
    expect(a.duration_s).toBeGreaterThanOrEqual((a.commands - 400) / 1500);
    expect(a.ops_per_sec).toBeLessThanOrEqual(1500 * 1.05);
    expect(await digests([server.port])).toEqual(before);
  });

  test('a partial sample estimates the whole keyspace with a margin that covers the truth', async () => {
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--sample', '200', '--max-ops-per-sec', '100000', '--json']);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a.sampled).toBe(200);
    expect(a.estimate.no_ttl_share_error).toBeGreaterThan(0);
    expect(Math.abs(a.estimate.no_ttl_share - 300 / 601)).toBeLessThanOrEqual(a.estimate.no_ttl_share_error * 1.5);
  });

  describe('against a TTL policy', () => {
    const analyze = (...extra: string[]) => ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--sample', '1000', '--max-ops-per-sec', '100000', ...extra]);
    const contractFile = (ttlPolicy?: object) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-contract-')), 'contract.json');
      const contract = {
        version: 1, cacheName: 'seeded', flavour: 'cluster', endpoint: '127.0.0.1', port: server.port, region: 'us-east-1', tls: true, clusterMode: true,
        users: [{ userName: 'app', authentication: 'iam' }], ...(ttlPolicy ? { ttlPolicy } : {}),
      };
      // As `aws ssm get-parameter` prints it: the document is the parameter's Value.
      fs.writeFileSync(file, JSON.stringify({ Parameter: { Name: '/ectk/seeded/connection', Type: 'String', Value: JSON.stringify(contract) } }));
      return file;
    };

    test('--require-ttl --max-ttl 1d: the seeded keys that break it, counted exactly, and exit 1', async () => {
      const run = await analyze('--require-ttl', '--max-ttl', '1d', '--json');
      expect(run.code).toBe(1);
      const a = JSON.parse(run.out) as KeyAnalysis;
      // 300 user: strings have no TTL; 100 rank: zsets live 2 days; sess: (30 min) and blob:big (30 s) keep the policy.
      expect(a.ttl_policy).toMatchObject({ source: 'flags', require_ttl: true, max_ttl_s: 86400, no_ttl_keys: 300, over_max_keys: 100, broken: true });
      expect(a.ttl_policy!.examples).toHaveLength(10);
      expect(a.ttl_policy!.examples.every((e) => (e.breaks === 'no-ttl' ? e.key.startsWith('user:') : e.key.startsWith('rank:')))).toBe(true);
    });

    test('the contract\'s policy is the one checked (a file as aws ssm get-parameter prints it), with the table saying so', async () => {
      const kept = await analyze('--contract', contractFile({ defaultTtlSeconds: 600, jitter: 0.1, maxTtlSeconds: 3 * 86400, requireTtl: false }));
      expect(kept.code).toBe(0);
      expect(kept.out).toMatch(/TTL policy \(the contract of seeded: no TTL above 259200 s\): kept by every sampled key/);
      const broken = await analyze('--contract', contractFile({ defaultTtlSeconds: 600, jitter: 0.1, maxTtlSeconds: 3600, requireTtl: true }));
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/BROKEN by 300 sampled key\(s\) without TTL and 100 above the maximum/);
      expect(broken.out).toMatch(/user:\d+\s+no-ttl\s+-1/);
    });

    test('--contract names the cache\'s SSM parameter: read through the standard chain (here moto_server over HTTP)', async () => {
      const moto = await startMoto();
      const saved = { ...process.env };
      try {
        Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.clientConfig.region, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
        const document = JSON.parse((JSON.parse(fs.readFileSync(contractFile({ defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true }), 'utf8')) as { Parameter: { Value: string } }).Parameter.Value);
        await new SSMClient(moto.clientConfig).send(new PutParameterCommand({ Name: '/ectk/seeded/connection', Type: 'String', Value: JSON.stringify(document) }));
        const run = await analyze('--contract', '/ectk/seeded/connection', '--json');
        expect(run.code).toBe(1);
        expect((JSON.parse(run.out) as KeyAnalysis).ttl_policy).toMatchObject({ source: 'the contract of seeded', require_ttl: true, no_ttl_keys: 300, over_max_keys: 0 });
      } finally {
        process.env = saved;
        await moto.stop();
      }
    });

    test.each<[string[], RegExp]>([
      [['--max-ttl', '0s'], /--max-ttl: invalid value "0s"/],
      [['--contract', 'no-such-file.json'], /--contract: invalid value "no-such-file.json": a JSON file: .*: no such file \(looked for \/.*no-such-file\.json\)/],
    ])('bad policy flags are refused before anything is read: %j', async (extra, message) => {
      const run = await analyze(...extra);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(message);
    });

    test('a contract with a policy and a policy flag at once is refused, naming both', async () => {
      const run = await analyze('--contract', contractFile({ defaultTtlSeconds: 600, jitter: 0.1, requireTtl: true }), '--max-ttl', '1h');
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/--max-ttl: invalid value "1h": the contract of seeded has a TTL policy, which is the one checked; leave the flag out/);
    });
  });

  test('the table output lists prefixes, TTL buckets and the biggest keys', async () => {
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--max-ops-per-sec', '100000']);
    expect(run.out).toMatch(/^601 keys on 1 primary; sampled 601/);
    expect(run.out).toMatch(/user:\s+300\s+\d+\s+300/);
    expect(run.out).toMatch(/blob:big\s+string/);
  });
});

describe('ectk analyze loses its server', () => {
  test('it says which target was lost, in its own words, and exits 3', async () => {
    const server = await startRedis();
    const admin = connect(server.port);
    await seed(async (cmds) => { await admin.pipeline(cmds).exec(); });
    admin.disconnect();
    // Slow enough (100 commands/s) that the kill lands in the middle of the analysis.
    const run = ectk(['analyze', '--endpoint', `redis://127.0.0.1:${server.port}`, '--max-ops-per-sec', '100']);
    await new Promise((r) => setTimeout(r, 1500));
    server.process.kill('SIGKILL');
    const result = await run;
    await server.stop();
    expect(result.code).toBe(3);
    expect(result.err).toMatch(new RegExp(`^ectk: lost the connection to redis://127\\.0\\.0\\.1:${server.port} during the analysis \\((connection|timeout): .+\\); nothing was changed`));
  }, 30000);
});

describe('ectk analyze and the local failover drill on a 3-primary/3-replica cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startCluster();
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }]);
    await seed(async (cmds) => { for (const [cmd, ...args] of cmds) await client.call(cmd, ...args); });
    // Replicas must hold the seeded data before the tests take their "before" digests of every node.
    for (const primary of client.nodes('master')) expect(await primary.call('WAIT', '1', '10000')).toBe(1);
    client.disconnect();
  });
  afterAll(async () => { await cluster.stop(); });

  test('--slots on Redis OSS 7 says per-slot figures need Valkey 8 and which server answered', async () => {
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--slots', '--sample', '10', '--max-ops-per-sec', '100000', '--json']);
    expect(run.code).toBe(0);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a.slots).toMatchObject({ available: false });
    expect((a.slots as { reason: string }).reason).toMatch(/^per-slot figures need CLUSTER SLOT-STATS \(Valkey 8\.0 or later\); Redis 7\.\d+\.\d+ answered: .*unknown subcommand/i);
  });

  test('analyze covers every primary and leaves every node unchanged', async () => {
    const before = await digests(cluster.ports);
    const run = await ectk(['analyze', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--sample', '1000', '--max-ops-per-sec', '100000', '--json']);
    expect(run.code).toBe(0);
    const a = JSON.parse(run.out) as KeyAnalysis;
    expect(a).toMatchObject({ primaries: 3, total_keys: 601, sampled: 601 });
    expect(a.ttl.none).toBe(300);
    expect(await digests(cluster.ports)).toEqual(before);
  });

  test('failover-drill --endpoint --cluster: a replica becomes primary, the timeline is reported, load during the drill recovers', async () => {
    const run = await ectk(['failover-drill', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--shard', '0001', '--yes',
      '--loadtest', `redis://127.0.0.1:${cluster.ports[0]}`, '--loadtest-duration', '8s', '--json']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const d = JSON.parse(run.out) as DrillResult & { load: { ops: number; errors: number; recovered_after_s: number | null } };
    expect(d.completed).toBe(true);
    expect(d.failover_s).toBeGreaterThanOrEqual(0);
    const messages = d.timeline.map((e) => e.message);
    expect(messages[0]).toMatch(/^CLUSTER FAILOVER on replica 127\.0\.0\.1:\d+ of primary 127\.0\.0\.1:\d+$/);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/is now primary$/), expect.stringMatching(/is now replica$/), 'cluster_state:ok']));
    // The shard's old primary really is a replica now.
    const oldPrimary = /of primary 127\.0\.0\.1:(\d+)/.exec(messages[0])![1];
    const c = connect(Number(oldPrimary));
    expect((await c.role())[0]).toBe('slave');
    c.disconnect();
    expect(d.load.ops).toBeGreaterThan(1000);
    // A coordinated CLUSTER FAILOVER may cost a few requests or none; either way the load ends clean.
    if (d.load.errors > 0) expect(d.load.recovered_after_s).not.toBeNull();
    // The load's keys are gone from every node, the new primary included.
    expect((d.load as unknown as { keys_deleted: number }).keys_deleted).toBeGreaterThan(0);
    for (const port of cluster.ports) {
      const node = connect(port);
      expect([port, await node.keys('ectk:drill:*')]).toEqual([port, []]);
      node.disconnect();
    }
  }, 60_000);

  test('a shard that does not exist is a usage error naming the shards there are', async () => {
    const run = await ectk(['failover-drill', '--endpoint', `redis://127.0.0.1:${cluster.ports[0]}`, '--cluster', '--shard', '0009', '--yes']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--shard: invalid value "0009": the cluster has 3 shards \(0001 to 0003\)/);
  });
});

describe('ectk --help', () => {
  test.each(['status', 'alarms', 'snapshot', 'failover-drill', 'analyze', 'runbook'])('%s --help documents the command and exits 0', async (command) => {
    let help = '';
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((t) => { help += String(t); return true; });
    try {
      expect((await ectk([command, '--help'])).code).toBe(0);
    } finally {
      stdout.mockRestore();
    }
    expect(help).toMatch(new RegExp(`^Usage: ectk ${command} `));
  });
});

describe('ectk runbook', () => {
  test('lists every runbook and prints one', async () => {
    const list = await ectk(['runbook']);
    // A warning and its critical tier share a runbook, which lists both severities.
    expect(list.out).toMatch(/memory-high\s+warning, critical\s/);
    expect(list.out).toMatch(/slo-breach\s+critical\s/);
    const one = await ectk(['runbook', 'evictions']);
    expect(one.out.startsWith('# evictions\n')).toBe(true);
    // The alarm id an engineer reads in the page finds the shared runbook.
    const tier = await ectk(['runbook', 'memory-critical']);
    expect(tier.out.startsWith('# memory-high\n')).toBe(true);
    const bad = await ectk(['runbook', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/runbook id: invalid value "nope": known runbooks are authentication-failures, authorization-failures, cache-unhealthy, .* \(or the id of an alarm that links one\)/);
  });
});
