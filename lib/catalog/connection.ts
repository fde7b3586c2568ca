/**
 * The connection contract: what a client needs to reach a cache. Constructs write it (Lambda environment variables
 * and an SSM parameter); run-time clients (load generator, ops CLI) read it.
 */

import { CacheFlavour } from './metrics';

/** Environment variable names set by `cache.bind(fn)`. */
export const CONNECTION_ENV = {
  cacheName: 'ECTK_CACHE_NAME',
  flavour: 'ECTK_CACHE_FLAVOUR',
  engine: 'ECTK_CACHE_ENGINE',
  endpoint: 'ECTK_CACHE_ENDPOINT',
  port: 'ECTK_CACHE_PORT',
  tls: 'ECTK_CACHE_TLS',
  clusterMode: 'ECTK_CACHE_CLUSTER_MODE',
  user: 'ECTK_CACHE_USER',
  authentication: 'ECTK_CACHE_AUTH_MODE',
  passwordSecretArn: 'ECTK_CACHE_PASSWORD_SECRET_ARN',
  region: 'ECTK_CACHE_REGION',
  ttlDefaultSeconds: 'ECTK_TTL_DEFAULT_SECONDS',
  ttlJitter: 'ECTK_TTL_JITTER',
  ttlMaxSeconds: 'ECTK_TTL_MAX_SECONDS',
  ttlRequired: 'ECTK_TTL_REQUIRED',
} as const;

export type UserAuthenticationMode = 'iam' | 'password';

export interface TtlPolicySpec {
  readonly defaultTtlSeconds: number;
  /** Fraction in [0, 0.5]: each TTL is drawn from default × (1 ± jitter). */
  readonly jitter: number;
  readonly maxTtlSeconds?: number;
  readonly requireTtl: boolean;
}

export interface CacheUserSpec {
  readonly userName: string;
  readonly authentication: UserAuthenticationMode;
  /** Secrets Manager secret holding `{"username", "password"}` for password users. */
  readonly passwordSecretArn?: string;
}

/** The JSON document written to the cache's SSM parameter. */
export interface ConnectionContract {
  readonly cacheName: string;
  readonly flavour: CacheFlavour;
  readonly engine: string;
  readonly engineVersion: string;
  readonly endpoint: string;
  readonly port: number;
  /** Always true: the toolkit only provisions caches with TLS in transit. */
  readonly tls: true;
  /** Always true: serverless caches and the toolkit's replication groups run in cluster mode. */
  readonly clusterMode: true;
  readonly users: readonly CacheUserSpec[];
  readonly ttlPolicy?: TtlPolicySpec;
}

/**
 * Commands every cluster-mode client runs to learn the slot map: CLUSTER SLOTS (ioredis, node-redis), CLUSTER SHARDS
 * (newer clients) and CLUSTER INFO. They are in the `@slow` category only, so `+@read +@write` alone breaks every
 * cluster-mode client (docs/aws-facts.md, "Auth"); confined users get them explicitly.
 */
export const CLUSTER_CLIENT_COMMANDS = ['cluster|slots', 'cluster|shards', 'cluster|info'] as const;

/**
 * What the load generator's RBAC user needs, besides its key prefix: the command categories its profiles use and the
 * few single commands outside them (INFO for the client's ready check, TIME inside the rate-limiter script, CLUSTER
 * SLOTS/SHARDS for cluster routing). Dangerous commands stay denied. Tests run every profile as such a user.
 */
export const LOADGEN_ACCESS = {
  allowCategories: ['read', 'write', 'keyspace', 'scripting', 'transaction', 'connection'],
  denyCategories: ['dangerous'],
  allowCommands: ['info', 'time', ...CLUSTER_CLIENT_COMMANDS],
} as const;

/** Renders an access string (Redis ACL rules) confining a user to a key prefix with `LOADGEN_ACCESS`. */
export function loadgenAclRules(keyPrefix: string): string[] {
  return [
    `~${keyPrefix}*`,
    '-@all',
    ...LOADGEN_ACCESS.allowCategories.map((c) => `+@${c}`),
    ...LOADGEN_ACCESS.denyCategories.map((c) => `-@${c}`),
    ...LOADGEN_ACCESS.allowCommands.map((c) => `+${c}`),
  ];
}
