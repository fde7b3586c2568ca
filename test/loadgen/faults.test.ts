import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { LoadTestResult, runLoadTest } from '../../lib/loadgen/run';
import { tempDir } from '../support/cdk';
import { config } from '../support/loadtest';
import { connect, keysOn, RedisCluster, startCluster, startRedis } from '../support/redis';

const root = path.join(__dirname, '..', '..');

/** The dataset digest of every primary, sorted: equal before and after means every key outside the run is unchanged. */
async function primaryDigests(ports: number[]): Promise<string[]> {
  const digests: string[] = [];
  for (const port of ports) {
    const c = connect(port);
    try {
      if ((await c.role() as unknown[])[0] === 'master') digests.push(String(await c.call('DEBUG', 'DIGEST')));
    } catch {
      // a node that is down holds nothing now
    } finally {
      c.disconnect();
    }
  }
  return digests.sort();
}

describe('the server is lost mid-run', () => {
  test('the CLI still prints and writes the result, warns how many keys may remain and when they expire, no stack traces', async () => {
    const server = await startRedis();
    const json = path.join(tempDir('ectk-lost-'), 'result.json');
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(root, 'lib', 'cli', 'ectk.ts'), 'loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`,
      '--rate', '500', '--duration', '3s', '--warmup', '0', '--ttl', '5m', '--ttl-jitter', '0.2', '--json', json], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 2000));
    server.process.kill('SIGKILL');
    const code = await exited;
    await server.stop();
    expect(code).toBe(0);
    expect(stdout).toMatch(/errors\s+\d+ \([\d.]+ %\): (connection|timeout)/);
    expect(stdout).toMatch(/WARNING\s+cleanup could not finish \(.+\): an unknown number of keys of the run may remain under ectk:slo:[0-9a-f]+:; every one carries a TTL and expires within 360 s/);
    expect(stderr).toMatch(/ectk: warning: cleanup could not finish/);
    expect(stderr).not.toMatch(/Unhandled error event|at .+\.js:\d+/);
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as LoadTestResult;
    expect(result.errors).toBeGreaterThan(0);
    expect(result.ops).toBe(1500);
    expect(result.cleanup_warning).toContain('expires within 360 s');
  }, 60000);
});

describe('a primary of a 3+3 cluster dies mid-run', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startCluster();
    // Data that is not the run's, spread over every shard by a cluster client.
    const app = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], { lazyConnect: true });
    await app.connect();
    for (let i = 0; i < 30; i++) await app.set(`app:k${i}`, `value ${i}`);
    app.disconnect();
  }, 120000);
  afterAll(async () => { await cluster?.stop(); });

  test('cleanup follows the cluster as it is at the end: 0 keys of the run on every node, other data unchanged, a result', async () => {
    const before = await primaryDigests(cluster.ports);
    const probe = connect(cluster.ports[0]);
    const nodes = (await probe.cluster('NODES') as string).split('\n').filter(Boolean);
    probe.disconnect();
    const primary = nodes.find((l) => l.includes('master') && !l.includes('myself'))!;
    const victimPort = Number(/127\.0\.0\.1:(\d+)@/.exec(primary)![1]);
    const victim = cluster.nodes.find((n) => n.port === victimPort)!;
    const entry = cluster.ports.find((p) => p !== victimPort)!;

    const run = runLoadTest(config(entry, { durationMs: 6000, rate: 500, keyspace: 2000 }, { cluster: true }));
    await new Promise((r) => setTimeout(r, 1500));
    victim.process.kill('SIGKILL');
    const result = await run;
    expect(result.errors).toBeGreaterThan(0);
    expect(result.keys_deleted).toBeGreaterThan(0);
    expect(result.cleanup_warning).toBeUndefined();
    const survivors = cluster.ports.filter((p) => p !== victimPort);
    for (const port of survivors) expect([port, await keysOn(port, 'ectk:slo:*')]).toEqual([port, []]);
    // The promoted replica holds the victim's data: the primaries' digests are the ones before the run.
    expect(await primaryDigests(survivors)).toEqual(before);
  }, 120000);
});
