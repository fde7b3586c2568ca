/**
 * The one place an ioredis client is built, for applications (`connect()`), the load generator, `ectk analyze` and
 * the failover drill: the TLS settings, cluster options, authentication on every connect and reconnection pacing are
 * decided here once. Callers choose the tuning that differs (timeouts, retries, auto-pipelining), each for a reason
 * their own module states. Never imports aws-cdk-lib.
 */
import * as net from 'net';
import { Cluster, ClusterOptions, Command, Redis, RedisOptions } from 'ioredis';
import { passwordOnEveryConnect } from './password-on-connect';

/** A connection to a cache: one node, or a cluster client that routes by slot and follows MOVED/ASK. */
export type RedisClient = Redis | Cluster;

export interface RedisClientSettings {
  readonly host: string;
  readonly port: number;
  /** Cluster mode: slot routing, MOVED/ASK handled by the client. */
  readonly cluster: boolean;
  readonly username?: string;
  /** A fixed password; `passwordSource` overrides it. */
  readonly password?: string;
  /**
   * Called for the password on every connect and reconnect of every node connection: IAM auth tokens are valid
   * 15 minutes, so a reconnect must sign a new one, and a rotated secret is read again (docs/aws-facts.md, "Auth").
   */
  readonly passwordSource?: () => Promise<string>;
  /** TLS settings; `undefined` connects in plain text. */
  readonly tls?: { readonly ca?: string | Buffer; readonly rejectUnauthorized?: boolean };
  readonly connectTimeoutMs: number;
  /** A command that takes longer fails with "Command timed out". */
  readonly commandTimeoutMs: number;
  /** Times a command is retried on a lost connection before it fails. */
  readonly maxRetriesPerRequest: number;
  /** Batch the commands of one event-loop tick into one write. */
  readonly autoPipelining: boolean;
  /** Cluster mode: send read commands to replicas. */
  readonly readFromReplicas?: boolean;
  /** Delay before reconnect attempt `n` (1-based), in ms; `null` gives up. */
  readonly reconnectDelayMs: (attempt: number) => number | null;
}

/** Builds a client that connects when asked (`lazyConnect`): call `connect()` on it. */
export function createRedisClient(s: RedisClientSettings): RedisClient {
  const node: RedisOptions = {
    username: s.username,
    password: s.password,
    tls: s.tls ? {
      ...(s.tls.ca ? { ca: s.tls.ca } : {}),
      rejectUnauthorized: s.tls.rejectUnauthorized ?? true,
      // SNI names a host; an IP address is not a server name (RFC 6066), and Node.js deprecates sending one.
      ...(net.isIP(s.host) ? {} : { servername: s.host }),
    } : undefined,
    connectTimeout: s.connectTimeoutMs,
    commandTimeout: s.commandTimeoutMs,
    maxRetriesPerRequest: s.maxRetriesPerRequest,
    enableOfflineQueue: true,
    enableAutoPipelining: s.autoPipelining,
  };
  if (!s.cluster) {
    const redis = new Redis({ host: s.host, port: s.port, ...node, retryStrategy: s.reconnectDelayMs, lazyConnect: true });
    return s.passwordSource ? passwordOnEveryConnect(redis, s.passwordSource) : redis;
  }
  const options: ClusterOptions = {
    // Node connections of a cluster client do not reconnect on their own: clusterRetryStrategy paces reconnection.
    redisOptions: node,
    scaleReads: s.readFromReplicas ? 'slave' : 'master',
    enableAutoPipelining: s.autoPipelining,
    enableOfflineQueue: true,
    lazyConnect: true,
    // ElastiCache endpoints and their TLS certificates name hosts, not the addresses a DNS lookup returns.
    dnsLookup: (address, callback) => callback(null, address),
    clusterRetryStrategy: s.reconnectDelayMs,
    slotsRefreshTimeout: s.connectTimeoutMs,
  };
  const cluster = new Cluster([{ host: s.host, port: s.port }], options);
  boundFromIssue(cluster, s.commandTimeoutMs);
  // Every node connection the cluster opens (and the duplicates it makes to refresh slots) gets a fresh password.
  const source = s.passwordSource;
  if (source) cluster.on('+node', (redis: Redis) => passwordOnEveryConnect(redis, source));
  return cluster;
}

/**
 * A cluster client holds commands in its own queue while it (re)connects, and only a node connection starts a
 * command's timer, so a command issued while every node is gone would wait for as long as reconnection takes. Start
 * the timer when the command is issued instead: every command, queued or sent, retried or not, settles within
 * `timeoutMs` (a node connection's `commandTimeout` then finds the timer running and adds none).
 */
function boundFromIssue(cluster: Cluster, timeoutMs: number): void {
  const send = cluster.sendCommand.bind(cluster);
  cluster.sendCommand = ((command: Command, ...rest: unknown[]) => {
    command.setTimeout(timeoutMs);
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as Cluster['sendCommand'];
}
