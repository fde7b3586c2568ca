/**
 * Real redis-server (Redis OSS 7) and valkey-server (Valkey 8) processes for tests, on free loopback ports: standalone,
 * TLS, and a 3-primary/3-replica cluster. Every process is stopped by `stop()`; a test file calls it in afterAll.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { COORDINATOR_PORT_OFFSET, requireSearchEngine } from './search';

export interface RedisServer {
  readonly port: number;
  /** The running server process (a new one after `restart()`). */
  readonly process: ChildProcess;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /**
   * Starts the server again after it was killed, on the same port and directory (a cluster node rejoins from its
   * nodes.conf), and waits until it answers PING.
   */
  restart(): Promise<void>;
}

export interface TlsFiles { readonly ca: string; readonly cert: string; readonly key: string }

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port whose cluster bus port (+10000) is free too, and the search coordinator's gRPC port (+20294) when asked.
 */
export async function freePort(withCoordinator = false): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * (withCoordinator ? 15000 : 25000));
    if (await portFree(port) && await portFree(port + 10000) && (!withCoordinator || await portFree(port + COORDINATOR_PORT_OFFSET))) return port;
  }
  throw new Error('no free port pair found');
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let tlsFiles: TlsFiles | undefined;

/** A CA and a server certificate for 127.0.0.1/localhost, made once per test process with openssl. */
export function tlsCertificates(): TlsFiles {
  if (tlsFiles) return tlsFiles;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-tls-'));
  const f = (name: string) => path.join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ectk-test-ca', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'));
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext.cnf'), '-out', f('server.crt'));
  tlsFiles = { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
  return tlsFiles;
}

/**
 * The server to run: Redis OSS (`redis-server`, Debian), Valkey (`valkey-server`, Debian bookworm-backports), or
 * Valkey with the valkey-search module (test/support/search.ts finds it; tests that use it skip where it cannot run).
 */
export type Engine = 'redis' | 'valkey' | 'valkey-search';

/** Both engines the toolkit provisions, for tests that must hold on each. */
export const ENGINES: readonly Engine[] = ['redis', 'valkey'];

export interface StartOptions {
  readonly tls?: boolean;
  readonly cluster?: boolean;
  readonly port?: number;
  readonly args?: string[];
  /** @default 'redis' */
  readonly engine?: Engine;
}

export async function startRedis(options: StartOptions = {}): Promise<RedisServer> {
  const engine = options.engine ?? 'redis';
  const search = engine === 'valkey-search' ? requireSearchEngine() : undefined;
  const port = options.port ?? await freePort(search !== undefined && options.cluster);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-redis-'));
  const args: string[] = [];
  if (search) {
    // Module arguments on the command line would be read as server options: the module line goes in a config file.
    fs.writeFileSync(path.join(dir, 'search.conf'), `loadmodule ${search.module}${options.cluster ? ' --use-coordinator' : ''}\n`);
    args.push(path.join(dir, 'search.conf'));
  }
  args.push(
    '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'local',
    '--loglevel', 'warning', '--protected-mode', 'no',
  );
  if (options.tls) {
    const t = tlsCertificates();
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', t.cert, '--tls-key-file', t.key,
      '--tls-ca-cert-file', t.ca, '--tls-auth-clients', 'no', '--tls-cluster', options.cluster ? 'yes' : 'no',
      // Replicas of a TLS-only cluster sync over TLS too (there is no plain port).
      '--tls-replication', options.cluster ? 'yes' : 'no');
  } else {
    args.push('--port', String(port));
  }
  if (options.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000');
  args.push(...(options.args ?? []));
  const launch = async () => {
    const child = spawn(search?.server ?? `${engine}-server`, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitFor(async () => {
      const client = connect(port, options.tls);
      try {
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    }, `redis-server on ${port}`);
    return { child, exited };
  };
  let running = await launch();
  return {
    port,
    get process() { return running.child; },
    stop: async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
      await running.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      if (running.child.exitCode === null && running.child.signalCode === null) throw new Error(`the server on ${port} is still running`);
      await running.exited;
      running = await launch();
    },
  };
}

/** A plain admin connection to one server (no retries), for fixtures and assertions. */
export function connect(port: number, tls = false, extra: Record<string, unknown> = {}): Redis {
  const client = new Redis({
    host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: true,
    tls: tls ? { ca: fs.readFileSync(tlsCertificates().ca) } : undefined, ...extra,
  });
  // Failures surface as rejected commands; the event would only print "Unhandled error event" noise.
  client.on('error', () => undefined);
  return client;
}

/** The keys matching a pattern on one server (KEYS is fine on a test fixture, never on a real cache). */
export async function keysOn(port: number, pattern: string, tls = false): Promise<string[]> {
  const c = connect(port, tls);
  try {
    return await c.keys(pattern);
  } finally {
    c.disconnect();
  }
}

/** DEBUG DIGEST of one server's dataset: equal digests, equal data. */
export async function digestOf(port: number): Promise<string> {
  const c = connect(port);
  try {
    return String(await c.call('DEBUG', 'DIGEST'));
  } finally {
    c.disconnect();
  }
}

export interface RedisCluster {
  readonly nodes: RedisServer[];
  readonly ports: number[];
  stop(): Promise<void>;
}

/**
 * Three primaries with `replicas` replicas each (`redis-cli --cluster create`), all slots covered. The search engine's
 * cluster runs the module's coordinator on every node, as ElastiCache's cluster-mode caches do.
 * @param replicas default 1
 */
export async function startCluster(options: { tls?: boolean; engine?: Engine; replicas?: 0 | 1 } = {}): Promise<RedisCluster> {
  const replicas = options.replicas ?? 1;
  const nodes: RedisServer[] = [];
  for (let i = 0; i < 3 * (1 + replicas); i++) nodes.push(await startRedis({ cluster: true, tls: options.tls, engine: options.engine }));
  const ports = nodes.map((n) => n.port);
  const tlsArgs = options.tls ? ['--tls', '--cacert', tlsCertificates().ca] : [];
  const cli = options.engine === 'redis' || options.engine === undefined ? 'redis-cli' : 'valkey-cli';
  execFileSync(cli, [...tlsArgs, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { stdio: 'pipe' });
  await waitFor(async () => {
    for (const port of ports) {
      const c = connect(port, options.tls);
      try {
        const info = await c.cluster('INFO') as string;
        if (!info.includes('cluster_state:ok')) return false;
        const role = await c.role() as unknown[];
        if (role[0] === 'slave' && role[3] !== 'connected') return false;
      } finally {
        c.disconnect();
      }
    }
    return true;
  }, 'the cluster to be ok with replicas in sync', 30000);
  return { nodes, ports, stop: async () => { await Promise.all(nodes.map((n) => n.stop())); } };
}
