/**
 * `connect()`: a ready client for a cache bound with `cache.bind()`, from its connection contract. IAM users sign a
 * fresh token on every connect and reconnect and re-authenticate before ElastiCache's 12-hour limit; password users
 * read their secret from Secrets Manager on every connect; TLS and cluster mode always; reads from replicas (the
 * serverless reader port) when asked; timeouts and reconnection with exponential backoff and jitter; writes that follow
 * the cache's TTL policy. Never imports aws-cdk-lib.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { Cluster } from 'ioredis';
import { CacheUserSpec, ConnectionContract } from '../catalog/connection';
import { UsageError } from '../catalog/errors';
import { ContractSource, loadContract } from './contract-source';
import { CredentialOptions, passwordSource } from './passwords';
import { readyOrExplain } from './connect-failure';
import { createRedisClient, RedisClientSettings } from './redis-client';
import { TtlWriter } from './ttl-writer';

/** How `connect()` behaves; every field has a documented default. */
export interface ConnectOptions extends ContractSource, CredentialOptions {
  /** Which of the contract's users to connect as. @default the contract's only user (a contract with several needs one named) */
  readonly user?: string;
  /**
   * Send reads to replicas: `reader` connects to the serverless reader port (READONLY, same-AZ reads) or, on a
   * node-based cache, reads from replicas. Replica reads are eventually consistent.
   * @default false - `reader` is the primary client
   */
  readonly readFromReplicas?: boolean;
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** A command that takes longer fails with "Command timed out". @default 1000 */
  readonly commandTimeoutMs?: number;
  /** Times a command is retried on a lost connection before it fails. @default 2 */
  readonly maxRetriesPerRequest?: number;
  /** IAM users: re-authenticate every connection this often, within ElastiCache's 12 hours. @default 11 hours */
  readonly reauthenticateEveryMs?: number;
  /** Extra TLS settings, e.g. the CA of a private test server. @default the system's trusted CAs */
  readonly tls?: { readonly ca?: string | Buffer };
  /**
   * Receives the client's connection errors after `connect()` returned (a node lost, a reconnect refused): the client
   * keeps reconnecting on its own, and commands meanwhile fail within `commandTimeoutMs`. Errors are never left
   * unhandled.
   * @default one line on stderr (`console.warn`) per new message, repeated only after the client was ready again
   */
  readonly onError?: (error: Error) => void;
}

export interface CacheConnection {
  /** The client for writes (and reads unless `readFromReplicas`): ioredis Cluster, routed by slot. */
  readonly client: Cluster;
  /** The client for reads: a replica-reading one with `readFromReplicas`, else `client`. */
  readonly reader: Cluster;
  readonly contract: ConnectionContract;
  readonly user: CacheUserSpec;
  /**
   * Writes that follow the cache's TTL policy; on a Global Datastore secondary every write is refused (ReadOnlyCacheError)
   * with where writes go.
   */
  readonly ttl: TtlWriter;
  /** True on a Global Datastore secondary: it serves reads only; `contract.globalSecondary` says where writes go. */
  readonly readOnly: boolean;
  /** Closes every connection (QUIT) and stops re-authentication. */
  close(): Promise<void>;
}

/** ElastiCache drops an IAM-authenticated connection after 12 hours unless it re-authenticates (docs/aws-facts.md, "Auth"). */
export const IAM_CONNECTION_LIMIT_MS = 12 * 3600_000;
/** Re-authenticate an hour before ElastiCache would drop the connection. */
const DEFAULTS = { connectTimeoutMs: 2000, commandTimeoutMs: 1000, maxRetriesPerRequest: 2, reauthenticateEveryMs: IAM_CONNECTION_LIMIT_MS - 3600_000 } as const;

/**
 * Reconnection delay: exponential backoff with full jitter, 50 ms doubling to at most 2 s, as ElastiCache's client
 * guidance recommends (ElastiCache guide, "Cluster client discovery and exponential backoff").
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(2000, 50 * 2 ** Math.min(attempt, 10)));
}

/** The contract's user to connect as: the one named, or its only one. */
export function pickUser(contract: ConnectionContract, name: string | undefined): CacheUserSpec {
  if (name === undefined) {
    if (contract.users.length === 1) return contract.users[0];
    throw new UsageError('user', null, `the contract of ${contract.cacheName} has several users; name one of ${contract.users.map((u) => u.userName).join(', ')}`);
  }
  const user = contract.users.find((u) => u.userName === name);
  if (!user) throw new UsageError('user', name, `one of the contract's users: ${contract.users.map((u) => u.userName).join(', ')}`);
  return user;
}

/**
 * Connects to the cache of a contract (from `contract`, `parameterName` or `ECTK_CACHE_CONTRACT`) as one of its users,
 * and waits until the client is ready. Throws `UsageError` for a bad contract or user, and `UnreachableError` (with
 * the server's or the socket's reason) when the cache cannot be reached, refuses the user or is not ready within three
 * connect timeouts; nothing keeps retrying.
 */
export async function connect(options: ConnectOptions = {}): Promise<CacheConnection> {
  const contract = await loadContract(options, () => new SSMClient({ ...options.awsClientConfig }));
  const user = pickUser(contract, options.user);
  const password = passwordSource(contract, user, options);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const open = async (port: number, readOnly: boolean): Promise<Cluster> => {
    const settings: RedisClientSettings = {
      host: contract.endpoint,
      port,
      // The toolkit provisions caches in cluster mode only (the contract's clusterMode is always true).
      cluster: contract.clusterMode,
      username: user.userName,
      passwordSource: password,
      tls: { ...(options.tls?.ca ? { ca: options.tls.ca } : {}) },
      connectTimeoutMs,
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? DEFAULTS.maxRetriesPerRequest,
      // Each command goes out when it is issued, as ioredis was measured for this choice (docs/BENCHMARKS.md §9).
      autoPipelining: false,
      readFromReplicas: readOnly,
      reconnectDelayMs: (times) => backoffMs(times),
    };
    const client = createRedisClient(settings) as Cluster;
    // A seed connection, the slot map, one connection per node and the ready check: a few connect timeouts at most.
    await readyOrExplain(client, { cacheName: contract.cacheName, settings, deadlineMs: 3 * connectTimeoutMs });
    ownErrors(client, contract.cacheName, options.onError);
    return client;
  };
  const client = await open(contract.port, false);
  let reader = client;
  if (options.readFromReplicas) {
    // Serverless: the reader port serves READONLY reads from the client's AZ; node-based: ioredis reads from replicas.
    reader = await open(contract.readerPort ?? contract.port, true).catch(async (e: Error) => { await client.quit(); throw e; });
  }
  const reauth = user.authentication === 'iam' ? setInterval(() => void reauthenticate([client, reader], user.userName, password), options.reauthenticateEveryMs ?? DEFAULTS.reauthenticateEveryMs) : undefined;
  reauth?.unref();
  return {
    client, reader, contract, user, readOnly: contract.globalSecondary !== undefined,
    ttl: new TtlWriter(client, contract.ttlPolicy, Math.random, readOnlyReason(contract)),
    close: async () => {
      clearInterval(reauth);
      await Promise.all([...new Set([client, reader])].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Why a contract's cache takes no writes, naming where they go; undefined for a cache that takes them. */
export function readOnlyReason(contract: ConnectionContract): string | undefined {
  const g = contract.globalSecondary;
  return g && `${contract.cacheName} is a read-only Global Datastore secondary (${g.globalReplicationGroupId}) in ${contract.region}: ` +
    `write to the primary, ${g.primaryReplicationGroupId} (${g.primaryEndpoint}:${g.primaryPort}) in ${g.primaryRegion}`;
}

/**
 * The client's 'error' events, which ioredis prints as "[ioredis] Unhandled error event" stack traces when nobody
 * listens: to the application's hook, or one line per new message.
 */
function ownErrors(client: Cluster, cacheName: string, onError: ((error: Error) => void) | undefined): void {
  let last: string | undefined;
  client.on('ready', () => { last = undefined; });
  client.on('error', (error: Error & { lastNodeError?: Error }) => {
    if (onError) {
      onError(error);
      return;
    }
    const message = error.lastNodeError ? `${error.message} (${error.lastNodeError.message})` : error.message;
    if (message === last) return;
    last = message;
    console.warn(`ectk connect: ${cacheName}: ${message}; reconnecting, commands fail meanwhile`);
  });
}

/**
 * Sends AUTH with a fresh token on every open node connection, which extends an IAM connection by 12 hours. A node
 * that refuses it is disconnected, so that it reconnects (with a fresh token of its own) instead of being dropped.
 */
async function reauthenticate(clients: Cluster[], userName: string, password: () => Promise<string>): Promise<void> {
  for (const node of new Set(clients.flatMap((c) => c.nodes('all')))) {
    if (node.status !== 'ready') continue;
    try {
      await node.call('AUTH', userName, await password());
    } catch {
      node.disconnect(true);
    }
  }
}
