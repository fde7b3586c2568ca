/**
 * Why a cluster client did not become ready, in words an engineer can act on. ioredis reports a refused socket as
 * "None of startup nodes is available" and retries a failed ready check (CLUSTER INFO) forever without an error, so
 * `connect()` waits with a deadline, stops the client, and finds the reason itself.
 */
import * as net from 'net';
import { Cluster, Redis } from 'ioredis';
import { UnreachableError } from '../catalog/errors';
import { createRedisClient, RedisClientSettings } from './redis-client';

/** `connect()` could not make a ready client; `serverAnswered` tells a refusal by the cache from a network failure. */
export class CacheConnectError extends UnreachableError {
  constructor(message: string, public readonly serverAnswered: boolean) {
    super(message);
    this.name = 'CacheConnectError';
  }
}

export interface ConnectTarget {
  /** The cache, for the message. */
  readonly cacheName: string;
  /** Settings of the client being connected; a diagnosis opens one node connection with the same ones. */
  readonly settings: RedisClientSettings;
  /** How long the client may take to be ready: connect, TLS, AUTH, slot map and ready check. */
  readonly deadlineMs: number;
}

/** Connects `client`; on failure or at the deadline it is disconnected and `UnreachableError` says why. */
export async function readyOrExplain(client: Cluster, target: ConnectTarget): Promise<void> {
  let nodeError: Error | undefined;
  const onError = (e: Error & { lastNodeError?: Error }) => { nodeError = e.lastNodeError ?? nodeError; };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => { timer = setTimeout(() => resolve('deadline'), target.deadlineMs); });
  try {
    const outcome = await Promise.race([client.connect().then(() => 'ready' as const), deadline]);
    if (outcome === 'ready') return;
    client.disconnect();
    const check = await readyCheckReason(target.settings);
    throw failure(target, `not ready after ${target.deadlineMs} ms: ${check.reason}`, check.answered);
  } catch (e) {
    if (e instanceof CacheConnectError) throw e;
    client.disconnect();
    const reason = nodeError ?? (e as Error);
    // A refusal is the server's reply; a socket failure is worded "Connection is closed.": a TCP connect says why.
    if (serverReply(reason.message)) throw failure(target, reason.message, true);
    throw failure(target, `${reason.message} (TCP connect: ${await tcpProbe(target.settings)})`, false);
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}

function failure(t: ConnectTarget, why: string, serverAnswered: boolean): CacheConnectError {
  return new CacheConnectError(`cannot connect to ${t.cacheName} at rediss://${t.settings.host}:${t.settings.port} as ${t.settings.username}: ${why}`, serverAnswered);
}

function serverReply(message: string): boolean {
  return /^(WRONGPASS|NOAUTH|NOPERM|ERR|LOADING|CLUSTERDOWN)/.test(message);
}

/** The cluster client's ready check, run once on the seed node: CLUSTER INFO must be allowed and report `ok`. */
async function readyCheckReason(settings: RedisClientSettings): Promise<{ reason: string; answered: boolean }> {
  const node = createRedisClient({ ...settings, cluster: false, maxRetriesPerRequest: 0, reconnectDelayMs: () => null }) as Redis;
  node.on('error', () => undefined);
  try {
    await node.connect();
    const info = String(await node.call('CLUSTER', 'INFO'));
    const state = /cluster_state:(\w+)/.exec(info)?.[1];
    return { answered: true, reason: state === 'ok' ? 'the cluster reports ok; the node connections were too slow (raise connectTimeoutMs)' : `the cluster reports cluster_state:${state}` };
  } catch (e) {
    const message = (e as Error).message;
    if (/^NOPERM/.test(message)) return { answered: true, reason: `the user may not run CLUSTER INFO, which a cluster client needs to connect (${message}): add +cluster|info to its access string` };
    return serverReply(message) ? { answered: true, reason: message } : { answered: false, reason: `${message} (TCP connect: ${await tcpProbe(settings)})` };
  } finally {
    node.disconnect();
  }
}

/** What a plain TCP connect to the address gives: "ok ...", or the socket's error code (ECONNREFUSED, ENOTFOUND, ...). */
function tcpProbe(settings: RedisClientSettings): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: settings.host, port: settings.port, timeout: settings.connectTimeoutMs });
    const done = (result: string) => { socket.destroy(); resolve(result); };
    socket.once('connect', () => done('ok, so TLS or the server refused the connection'));
    socket.once('timeout', () => done(`no answer in ${settings.connectTimeoutMs} ms (a security group or route drops it)`));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}
