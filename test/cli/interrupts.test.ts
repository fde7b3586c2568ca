import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_WORKLOADS } from '../../lib/catalog/workloads';
import { tempDir } from '../support/cdk';
import { connect, keysOn, RedisServer, startCluster, startRedis } from '../support/redis';
import { describeWithSearch } from '../support/search';

const root = path.join(__dirname, '..', '..');

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** `ectk` as a user runs it: its own process group, so a signal reaches it the way Ctrl-C in a terminal does. */
function ectk(args: string[]): { child: ChildProcess; done: Promise<Finished>; stderr: () => string } {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(root, 'lib', 'cli', 'ectk.ts'), ...args], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += String(d); });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const done = new Promise<Finished>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

const runKeys = (port: number) => keysOn(port, 'ectk:slo:*');

/** Waits until the run has written keys and measured for a while: the interrupt then lands mid-run. */
async function midRun(port: number, done: Promise<Finished>): Promise<void> {
  const until = Date.now() + 20000;
  let finished = false;
  void done.then(() => { finished = true; });
  while (Date.now() < until && !finished) {
    if ((await runKeys(port)).length > 0) {
      await new Promise((r) => setTimeout(r, 1500));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the run never wrote a key');
}

describe('ectk loadtest interrupted (Ctrl-C, SIGTERM)', () => {
  let server: RedisServer;
  let dir: string;
  let digest: string;
  beforeAll(async () => {
    server = await startRedis();
    dir = tempDir('ectk-interrupt-');
    // Data that is not the run's: it must be exactly as it was after every interrupt.
    const admin = connect(server.port);
    await admin.set('app:user:1', 'alice');
    await admin.hset('app:cart:1', { item: 'book', qty: '2' });
    digest = String(await admin.call('DEBUG', 'DIGEST'));
    admin.disconnect();
  });
  afterAll(async () => { await server?.stop(); });

  const args = (json: string) => ['loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--workload', 'inference-cache',
    '--rate', '400', '--duration', '60s', '--warmup', '0', '--slo', 'p99<500ms', '--json', json];

  test.each<[NodeJS.Signals, number]>([['SIGINT', 130], ['SIGTERM', 143]])('%s: stops, cleans up, prints and writes the partial result, exits %i', async (signal, exitCode) => {
    const json = path.join(dir, `${signal}.json`);
    const { child, done } = ectk(args(json));
    await midRun(server.port, done);
    process.kill(-child.pid!, signal);
    const finished = await done;
    expect(finished.code).toBe(exitCode);
    expect(finished.stderr).toContain(`ectk: ${signal}: stopping the run, draining requests in flight and deleting its keys`);
    expect(finished.stdout).toMatch(/INTERRUPTED: the figures cover the time until the interrupt/);
    expect(finished.stdout).toMatch(/cleanup\s+\d+ keys deleted/);
    const result = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(result).toMatchObject({ interrupted: true, errors: 0 });
    expect(result.ops).toBeGreaterThan(100);
    expect(result.duration_s).toBeLessThan(30);
    expect(result.keys_deleted).toBeGreaterThan(0);
    expect(await runKeys(server.port)).toEqual([]);
    const admin = connect(server.port);
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);
    admin.disconnect();
  }, 60000);

  test('a second Ctrl-C exits at once, naming the keys that remain and when their TTL expires them', async () => {
    const { child, done, stderr } = ectk([...args(path.join(dir, 'twice.json')), '--ttl', '2m', '--ttl-jitter', '0.1', '--timeout', '5s']);
    await midRun(server.port, done);
    // The server stalls, so the first interrupt has requests to drain; the second arrives while it waits for them.
    const pauser = connect(server.port);
    const pauseEnds = Date.now() + 20000;
    await pauser.call('CLIENT', 'PAUSE', '20000', 'ALL');
    process.kill(-child.pid!, 'SIGINT');
    while (!/stopping the run/.test(stderr())) await new Promise((r) => setTimeout(r, 20));
    process.kill(-child.pid!, 'SIGINT');
    const finished = await done;
    // It exited while the server still held every request (a 20 s pause, lifted only now): it did not wait for the
    // drain the first interrupt began.
    expect(Date.now()).toBeLessThan(pauseEnds);
    await pauser.call('CLIENT', 'UNPAUSE');
    pauser.disconnect();
    expect(finished.code).toBe(130);
    const named = /keys of this run may remain under (ectk:slo:[0-9a-f]+:) and expire within (\d+) s/.exec(finished.stderr);
    expect(named).not.toBeNull();
    expect(Number(named![2])).toBe(132);
    // Whatever remains is the run's, under the prefix it named, and expires within the time it named.
    const admin = connect(server.port);
    for (const key of await runKeys(server.port)) {
      expect(key.startsWith(named![1])).toBe(true);
      const ttl = await admin.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(132);
    }
    for (const key of await runKeys(server.port)) await admin.del(key);
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);
    admin.disconnect();
  }, 60000);
});

// Every key any code path writes carries a TTL, so a process killed with no chance to clean up (kill -9) leaves
// nothing that stays: the probe keys, the data set, the workload's own keys.
describe('ectk loadtest killed (kill -9): every key it left expires', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server?.stop(); });

  test.each(BUILT_IN_WORKLOADS.map((w) => w.name))('%s', async (profile) => {
    const { child, done } = ectk(['loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--workload', profile,
      '--rate', '200', '--duration', '60s', '--warmup', '0']);
    await midRun(server.port, done);
    process.kill(-child.pid!, 'SIGKILL');
    await done;
    const admin = connect(server.port);
    try {
      const left = await runKeys(server.port);
      expect(left.length).toBeGreaterThan(0);
      const withoutTtl = [];
      for (const key of left) if ((await admin.pttl(key)) === -1) withoutTtl.push(key); // -1: no TTL (-2: gone since)
      expect(withoutTtl).toEqual([]);
      for (const key of left) await admin.unlink(key);
    } finally {
      admin.disconnect();
    }
  }, 60000);
});

describeWithSearch('ectk loadtest on the vector-search index, interrupted or losing its server (valkey-search)', () => {
  let dir: string;
  beforeAll(() => { dir = tempDir('ectk-interrupt-search-'); });

  const args = (port: number, json: string, duration: string, ...more: string[]) => ['loadtest', '--endpoint', `redis://127.0.0.1:${port}`,
    '--workload', 'semantic-cache', '--semantic-index', 'vector-search', '--rate', '200', '--duration', duration, '--warmup', '0',
    '--json', json, ...more];

  test('kill -9: every key left carries a TTL (the index, which has none, is the run\'s one leftover)', async () => {
    const server = await startRedis({ engine: 'valkey-search' });
    try {
      const { child, done } = ectk(args(server.port, path.join(dir, 'killed.json'), '60s'));
      await midRun(server.port, done);
      process.kill(-child.pid!, 'SIGKILL');
      await done;
      const admin = connect(server.port);
      const left = await runKeys(server.port);
      expect(left.length).toBeGreaterThan(0);
      const withoutTtl = [];
      for (const key of left) if ((await admin.pttl(key)) === -1) withoutTtl.push(key); // -1: no TTL (-2: gone since)
      expect(withoutTtl).toEqual([]);
      expect((await admin.call('FT._LIST')) as string[]).toHaveLength(1);
      admin.disconnect();
    } finally {
      await server.stop();
    }
  }, 60000);

  test('Ctrl-C: the run stops, deletes its keys, drops its index and exits 130', async () => {
    const server = await startRedis({ engine: 'valkey-search' });
    try {
      const json = path.join(dir, 'sigint.json');
      const { child, done } = ectk(args(server.port, json, '60s'));
      await midRun(server.port, done);
      process.kill(-child.pid!, 'SIGINT');
      const finished = await done;
      expect(finished.code).toBe(130);
      const result = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(result).toMatchObject({ interrupted: true, errors: 0 });
      expect(result.cleanup_warning).toBeUndefined();
      expect(await runKeys(server.port)).toEqual([]);
      const admin = connect(server.port);
      expect(await admin.call('FT._LIST')).toEqual([]);
      admin.disconnect();
    } finally {
      await server.stop();
    }
  }, 60000);

  test('a primary killed mid-run (3 + 3): its replica takes over, the run ends with a result, and no node keeps a key or the index', async () => {
    const cluster = await startCluster({ engine: 'valkey-search', replicas: 1 });
    try {
      const json = path.join(dir, 'killed.json');
      const { done } = ectk(args(cluster.ports[0], json, '8s', '--cluster', '--timeout', '500ms'));
      await midRun(cluster.ports[0], done);
      cluster.nodes[2].process.kill('SIGKILL');
      const finished = await done;
      const result = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(result.errors).toBeGreaterThan(0);
      // Two of three primaries still served: no SLO was given and not every operation failed, so the exit code is 0.
      expect(finished.code).toBe(0);
      for (const port of cluster.ports.filter((_, i) => i !== 2)) {
        expect(await runKeys(port)).toEqual([]);
        const admin = connect(port);
        expect(await admin.call('FT._LIST')).toEqual([]);
        admin.disconnect();
      }
      expect(result.cleanup_warning).toBeUndefined();
    } finally {
      await cluster.stop();
    }
  }, 120000);
});
