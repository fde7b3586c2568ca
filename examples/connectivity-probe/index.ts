/**
 * The connectivity probe: proves that a function bound with `cache.bind(fn, { user })` reaches its cache and
 * authenticates as its user, through `connect()` exactly as an application does (contract from the environment, TLS,
 * cluster mode, an IAM token or the user's secret). Invoke it after a deploy, or when an application cannot connect:
 * the answer says which step failed.
 *
 * `{ reachable, authenticated, cache, endpoint, port, user, authentication, connectMs, pingMs, error? }`:
 * - reachable and authenticated: the network, the user and its credentials are right;
 * - reachable, not authenticated: the cache answered and refused the user (`error` is the server's reply);
 * - not reachable: `error` names the socket's failure (a security group, subnets, DNS).
 */
import { performance } from 'perf_hooks';
import { CacheConnectError, CacheConnection, connect, ConnectOptions, loadContract, pickUser } from '../../lib/client';

export interface ProbeResult {
  readonly reachable: boolean;
  readonly authenticated: boolean;
  readonly cache: string;
  readonly endpoint: string;
  readonly port: number;
  readonly user: string;
  readonly authentication: string;
  /** Connect, TLS, authentication and the cluster's slot map, in ms. */
  readonly connectMs?: number;
  /** One PING round trip once connected, in ms. */
  readonly pingMs?: number;
  readonly error?: string;
}

/** Probes the cache of the contract in `options` (by default the function's environment). */
export async function probe(options: ConnectOptions = {}): Promise<ProbeResult> {
  // A malformed or missing contract, or a user it does not have, is a deployment mistake: it throws.
  const contract = await loadContract(options);
  const user = pickUser(contract, options.user);
  const about = { cache: contract.cacheName, endpoint: contract.endpoint, port: contract.port, user: user.userName, authentication: user.authentication };
  const started = performance.now();
  let connection: CacheConnection;
  try {
    // Three connect timeouts (9 s) at most: well inside the function's timeout, so the answer always comes back.
    connection = await connect({ connectTimeoutMs: 3000, ...options, contract });
  } catch (e) {
    if (!(e instanceof CacheConnectError)) throw e;
    // The cache's own refusal means the network path works and the user or its credentials do not.
    return { reachable: e.serverAnswered, authenticated: false, ...about, error: e.message };
  }
  try {
    const connectMs = round(performance.now() - started);
    const pingStarted = performance.now();
    await connection.client.ping();
    return { reachable: true, authenticated: true, ...about, connectMs, pingMs: round(performance.now() - pingStarted) };
  } catch (e) {
    return { reachable: true, authenticated: true, ...about, error: `PING: ${(e as Error).message}` };
  } finally {
    await connection.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export const handler = async (): Promise<ProbeResult> => probe();
