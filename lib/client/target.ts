import * as fs from 'fs';
import * as net from 'net';
import type * as NodeRedis from '@redis/client';
import { Cluster, Redis } from 'ioredis';
import { createRedisClient, RedisClient } from './redis-client';
import { Endpoint } from './endpoint';
import { UnreachableError, UsageError } from '../catalog/errors';

/** A connection to the target: one node, or a cluster client that routes by slot and follows MOVED/ASK. */
export type Client = RedisClient;

export interface TargetOptions {
  readonly endpoint: Endpoint;
  /** Cluster mode: slot routing, MOVED/ASK handled by the client. */
  readonly cluster: boolean;
  /** CA bundle for TLS. */
  readonly tlsCaFile?: string;
  /** Skip certificate verification (tests, tunnels). */
  readonly tlsInsecure?: boolean;
  /** Send read commands to replicas (cluster mode). */
  readonly readFromReplicas?: boolean;
  /** A request that takes longer fails as a timeout. */
  readonly timeoutMs: number;
  /**
   * Called for the password on every connect and reconnect (IAM auth tokens are valid 15 minutes, so a reconnect must
   * sign a new one: docs/aws-facts.md, "Auth"); overrides the endpoint's password.
   */
  readonly passwordSource?: () => Promise<string>;
}

/** The TLS settings of a target; `undefined` for a redis:// endpoint. */
export function tlsOf(t: TargetOptions): { ca?: Buffer; rejectUnauthorized: boolean } | undefined {
  if (!t.endpoint.tls) return undefined;
  return { ...(t.tlsCaFile ? { ca: fs.readFileSync(t.tlsCaFile) } : {}), rejectUnauthorized: !t.tlsInsecure };
}

/**
 * A client tuned for load generation: commands time out after `timeoutMs`, are not retried (a failure is counted,
 * not hidden), and the connection reconnects on its own with a short backoff.
 *
 * `autoPipelining` batches the commands of one tick into one write: right for a closed loop, which keeps many
 * operations going. The open-loop scheduler sends each request when it is due, and there ioredis' auto-pipelining
 * only costs: a Pipeline object per tick, about 2 KB of garbage per request and the GC pauses that come with it
 * (p99 at 5,000 ops/s 1.7 ms with it, 0.4-0.7 ms without: docs/BENCHMARKS.md §8).
 * @default autoPipelining true
 */
export function createClient(t: TargetOptions, options: { readonly autoPipelining?: boolean } = {}): Client {
  const client = createRedisClient({
    host: t.endpoint.host,
    port: t.endpoint.port,
    cluster: t.cluster,
    username: t.endpoint.username,
    password: t.endpoint.password,
    passwordSource: t.passwordSource,
    tls: tlsOf(t),
    commandTimeoutMs: t.timeoutMs,
    connectTimeoutMs: Math.max(t.timeoutMs, 2000),
    maxRetriesPerRequest: 0,
    autoPipelining: options.autoPipelining ?? true,
    readFromReplicas: t.readFromReplicas,
    reconnectDelayMs: t.cluster ? (times) => Math.min(100 * times, 1000) : (times) => Math.min(50 * times, 500),
  });
  quietConnectionErrors(client);
  return client;
}

/**
 * A lost connection surfaces as failed commands, which the engine counts by kind; without a listener ioredis would
 * also print "[ioredis] Unhandled error event" with a stack trace for every reconnect attempt.
 */
function quietConnectionErrors(client: Client): void {
  client.on('error', () => undefined);
}

/**
 * A standalone connection for the closed loop's pipelined path: commands issued together go out in one write and
 * their replies are matched in order. It is node-redis with its per-command timeout off (that timer costs more than
 * the command; the engine times out a whole batch with one timer instead), no retries of failed commands, and
 * automatic reconnection with the same backoff as `createClient` (docs/decisions/0006).
 */
export interface PipelineConnection {
  send(args: ReadonlyArray<string | Buffer>): Promise<unknown>;
  close(): void;
}

/** Opens a pipeline connection, or fails with exit code 3 and the socket's reason if it cannot connect in time. */
export async function openPipelineConnection(t: TargetOptions): Promise<PipelineConnection> {
  // Loaded on first use: the Lambda bundle leaves it out (its SLO checks are open loop), see LAMBDA_BUNDLE_EXTERNAL.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createClient: createNodeRedis } = require('@redis/client') as typeof NodeRedis;
  const tls = tlsOf(t);
  const client = createNodeRedis({
    socket: {
      host: t.endpoint.host,
      port: t.endpoint.port,
      connectTimeout: Math.max(t.timeoutMs, 2000),
      reconnectStrategy: (times: number) => Math.min(50 * times, 500),
      // SNI names a host; an IP address is not a server name (RFC 6066), and Node.js deprecates sending one.
      ...(tls ? { tls: true as const, ...tls, ...(net.isIP(t.endpoint.host) ? {} : { servername: t.endpoint.host }) } : {}),
    },
    ...(t.passwordSource ? {
      credentialsProvider: {
        type: 'async-credentials-provider' as const,
        credentials: async () => ({ username: t.endpoint.username, password: await t.passwordSource!() }),
      },
    } : { username: t.endpoint.username, password: t.endpoint.password }),
    RESP: 2,
    commandOptions: { timeout: 0 },
  });
  // Once connected, socket errors surface as failed commands, which the engine counts; before, they say why not.
  let socketError: Error | undefined;
  client.on('error', (e: Error) => { socketError = e; });
  try {
    await withTimeout(client.connect(), Math.max(t.timeoutMs, 2000), 'connecting');
  } catch (e) {
    client.destroy();
    throw unreachable(t, e as Error, socketError);
  }
  return {
    send: (args) => client.sendCommand(args as Array<string | Buffer>),
    close: () => client.destroy(),
  };
}

/** Connects and PINGs, or fails with exit code 3 and the reason. */
export async function connectOrFail(client: Client, t: TargetOptions): Promise<void> {
  const host = `${t.endpoint.host}:${t.endpoint.port}`;
  let socketError: Error | undefined;
  const onError = (e: Error) => { socketError = e; };
  client.on('error', onError);
  try {
    await withTimeout(client.connect(), Math.max(t.timeoutMs, 5000), `connecting to ${host}`);
    const pong = await withTimeout(client.ping(), Math.max(t.timeoutMs, 5000), `PING ${host}`);
    if (pong !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(pong)}`);
  } catch (e) {
    client.disconnect();
    // Reached, but the user may not even PING: a permission problem to fix in the ACL, not an unreachable server.
    if (/^NOPERM/.test((e as Error).message)) {
      throw new UsageError('ACL', t.endpoint.username ?? 'default',
        `the user may not run PING, which every client sends to connect: add "+ping" (or "+@connection") to its access string`);
    }
    throw unreachable(t, e as Error, socketError);
  } finally {
    client.off('error', onError);
  }
}

/** Exit code 3, naming the target and why: the socket's error says more than the rejection of connect() does. */
function unreachable(t: TargetOptions, error: Error, socketError: Error | undefined): UnreachableError {
  const reason = socketError && socketError.message !== error.message ? `${error.message} (${socketError.message})` : error.message;
  return new UnreachableError(`cannot reach ${t.endpoint.tls ? 'rediss' : 'redis'}://${t.endpoint.host}:${t.endpoint.port}${t.cluster ? ' (cluster mode)' : ''}: ${reason}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The primaries: every node of a cluster that holds slots, or the single server. */
export function primaries(client: Client): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Whether an EXECABORT was caused by a denied command: ioredis keeps the queued commands' errors in `previousErrors`. */
function deniedInTransaction(error: unknown): boolean {
  const previous = (error as { previousErrors?: unknown[] } | null)?.previousErrors ?? [];
  return previous.some((e) => /^NOPERM|permission/i.test(e instanceof Error ? e.message : String(e)));
}

/** Sorts an error into the kinds the report counts. */
export function errorKind(error: unknown): string {
  // ioredis' cluster client gives up after its redirections with the last error inside: that error is the kind.
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Too many Cluster redirections\. Last error: (ReplyError: )?/, '');
  if (/timed out/i.test(message)) return 'timeout';
  if (/^OOM/.test(message)) return 'oom';
  if (/^MOVED|^ASK/.test(message)) return 'moved';
  if (/^READONLY/.test(message)) return 'readonly';
  if (/^CLUSTERDOWN|^TRYAGAIN/.test(message)) return 'clusterdown';
  if (/^LOADING/.test(message)) return 'loading';
  if (/^NOPERM/.test(message)) return 'noperm';
  // A transaction discarded because a command queued in it was denied: the denial is the cause.
  if (/^EXECABORT/.test(message) && deniedInTransaction(error)) return 'noperm';
  if (/^(NOAUTH|WRONGPASS)/.test(message)) return 'auth';
  // ioredis and node-redis (pipelined closed loop) word connection failures differently.
  if (/Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|Stream isn't writeable|max retries|offline queue|Failed to refresh slots|Socket closed unexpectedly|The client is (closed|offline)|Connection timeout/i.test(message)) return 'connection';
  return 'other';
}
