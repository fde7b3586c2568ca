/**
 * The connection contract: what a client needs to reach a cache. Constructs write it (Lambda environment variables
 * and an SSM parameter); run-time clients (load generator, ops CLI) read it.
 */

import { UsageError } from './errors';
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

/** The SSM parameter a cache writes its contract to; the CLI's `--cache <name>` reads it. */
export const contractParameterName = (cacheName: string): string => `/ectk/${cacheName}/connection`;

/** The version of the connection contract this toolkit writes; readers refuse a newer one by name. */
export const CONTRACT_VERSION = 1;

/** Environment variable holding the contract (JSON) in a function bound with `cache.bind()`. */
export const CONTRACT_ENV = 'ECTK_CACHE_CONTRACT';

/**
 * The reader port of a serverless cache: reads sent there (after READONLY) are served from the client's Availability
 * Zone when possible (ElastiCache guide, "Overall best practices"; docs/aws-facts.md, "Connections").
 */
export const SERVERLESS_READER_PORT = 6380;

/**
 * The connection contract: one versioned JSON document, written by the constructs to the cache's SSM parameter (every
 * user) and to each bound function's `ECTK_CACHE_CONTRACT` (the bound user), and read once by `parseContract`.
 */
/**
 * A Global Datastore secondary's contract says so, and where writes go: the primary's replication group, Region and
 * endpoint (a secondary is read-only; docs/aws-facts.md, "Global Datastore").
 */
export interface GlobalSecondarySpec {
  readonly globalReplicationGroupId: string;
  readonly primaryReplicationGroupId: string;
  readonly primaryRegion: string;
  readonly primaryEndpoint: string;
  readonly primaryPort: number;
}

export interface ConnectionContract {
  readonly version: number;
  readonly cacheName: string;
  readonly flavour: CacheFlavour;
  /** `valkey` or `redis`; absent for an imported cache that did not say. */
  readonly engine?: string;
  readonly engineVersion?: string;
  readonly endpoint: string;
  readonly port: number;
  /** Serverless caches: the port that serves reads from the client's Availability Zone (`SERVERLESS_READER_PORT`). */
  readonly readerPort?: number;
  readonly region: string;
  /** Always true: the toolkit only provisions caches with TLS in transit. */
  readonly tls: true;
  /** Always true: serverless caches and the toolkit's replication groups run in cluster mode. */
  readonly clusterMode: true;
  readonly users: readonly CacheUserSpec[];
  readonly ttlPolicy?: TtlPolicySpec;
  /** Present on a Global Datastore secondary: it is read-only, and this says where writes go. */
  readonly globalSecondary?: GlobalSecondarySpec;
}

/** What a cache says about itself in its contract, besides its users (the rest is the same for every cache). */
export type ContractCache = Pick<ConnectionContract, 'cacheName' | 'flavour' | 'engine' | 'engineVersion' | 'endpoint' | 'port' | 'region' | 'ttlPolicy' | 'globalSecondary'>;

/**
 * The one writer of the contract: the cache's SSM parameter (every user) and a bound function's `ECTK_CACHE_CONTRACT`
 * (the bound user) are both this document. Fields that would be undefined are left out, so the rendered JSON holds no
 * nulls that `parseContract` would refuse.
 */
export function buildContract(cache: ContractCache, users: readonly CacheUserSpec[]): ConnectionContract {
  return {
    version: CONTRACT_VERSION,
    cacheName: cache.cacheName,
    flavour: cache.flavour,
    ...(cache.engine ? { engine: cache.engine } : {}),
    ...(cache.engineVersion ? { engineVersion: cache.engineVersion } : {}),
    endpoint: cache.endpoint,
    port: cache.port,
    ...(cache.flavour === CacheFlavour.SERVERLESS ? { readerPort: SERVERLESS_READER_PORT } : {}),
    region: cache.region,
    tls: true,
    clusterMode: true,
    users: users.map((u) => ({ userName: u.userName, authentication: u.authentication, ...(u.passwordSecretArn ? { passwordSecretArn: u.passwordSecretArn } : {}) })),
    ...(cache.ttlPolicy ? { ttlPolicy: cache.ttlPolicy } : {}),
    ...(cache.globalSecondary ? { globalSecondary: cache.globalSecondary } : {}),
  };
}

type Json = Record<string, unknown>;

function field<T>(doc: Json, name: string, source: string, check: (v: unknown) => v is T, allowed: string, optional = false): T | undefined {
  const value = doc[name];
  if (value === undefined && optional) return undefined;
  if (!check(value)) throw new UsageError(`${source}.${name}`, value ?? null, allowed);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const isTrue = (v: unknown): v is true => v === true;
const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => values.includes(v as T);

function parseUser(doc: unknown, source: string): CacheUserSpec {
  if (doc === null || typeof doc !== 'object') throw new UsageError(source, doc ?? null, 'a user: {"userName", "authentication", "passwordSecretArn"?}');
  const d = doc as Json;
  const userName = field(d, 'userName', source, isString, 'the user name, a non-empty string')!;
  const authentication = field(d, 'authentication', source, oneOf(['iam', 'password'] as const), 'iam or password')!;
  const passwordSecretArn = field(d, 'passwordSecretArn', source, isString, 'the ARN of the secret holding the password', authentication === 'iam');
  return { userName, authentication, ...(passwordSecretArn ? { passwordSecretArn } : {}) };
}

function parseGlobalSecondary(doc: unknown, source: string): GlobalSecondarySpec {
  if (doc === null || typeof doc !== 'object') {
    throw new UsageError(source, doc ?? null, 'a Global Datastore secondary: {"globalReplicationGroupId", "primaryReplicationGroupId", "primaryRegion", "primaryEndpoint", "primaryPort"}');
  }
  const d = doc as Json;
  return {
    globalReplicationGroupId: field(d, 'globalReplicationGroupId', source, isString, 'the global datastore id, a non-empty string')!,
    primaryReplicationGroupId: field(d, 'primaryReplicationGroupId', source, isString, 'the primary replication group id, a non-empty string')!,
    primaryRegion: field(d, 'primaryRegion', source, isString, 'the primary\'s AWS Region, a non-empty string')!,
    primaryEndpoint: field(d, 'primaryEndpoint', source, isString, 'the primary\'s endpoint address, a non-empty string')!,
    primaryPort: field(d, 'primaryPort', source, isPort, 'a port from 1 to 65535')!,
  };
}

function parseTtlPolicy(doc: unknown, source: string): TtlPolicySpec {
  if (doc === null || typeof doc !== 'object') throw new UsageError(source, doc ?? null, 'a TTL policy: {"defaultTtlSeconds", "jitter", "maxTtlSeconds"?, "requireTtl"}');
  const d = doc as Json;
  const seconds = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
  const defaultTtlSeconds = field(d, 'defaultTtlSeconds', source, seconds, 'whole seconds above 0')!;
  const jitter = field(d, 'jitter', source, (v): v is number => typeof v === 'number' && v >= 0 && v <= 0.5, 'a fraction from 0 to 0.5')!;
  const maxTtlSeconds = field(d, 'maxTtlSeconds', source, (v): v is number => seconds(v) && v >= defaultTtlSeconds,
    `whole seconds, at least defaultTtlSeconds (${defaultTtlSeconds})`, true);
  const requireTtl = field(d, 'requireTtl', source, (v): v is boolean => typeof v === 'boolean', 'true or false')!;
  return { defaultTtlSeconds, jitter, ...(maxTtlSeconds === undefined ? {} : { maxTtlSeconds }), requireTtl };
}

/**
 * The one reading of a connection contract: JSON text or an object, from `source` (the variable, parameter or file it
 * came from, which every error names with the field). A contract from a newer toolkit is refused with what to upgrade.
 */
export function parseContract(input: unknown, source: string): ConnectionContract {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch {
      throw new UsageError(source, input.length > 80 ? `${input.slice(0, 80)}...` : input, 'a JSON connection contract written by cdk-elasticache-toolkit (cache.bind() or the cache\'s SSM parameter)');
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(source, doc ?? null, 'a connection contract object');
  const d = doc as Json;
  const version = field(d, 'version', source, (v): v is number => Number.isInteger(v) && (v as number) >= 1, `a whole number from 1 (this run time reads version ${CONTRACT_VERSION})`)!;
  if (version > CONTRACT_VERSION) {
    throw new UsageError(`${source}.version`, version, `at most ${CONTRACT_VERSION}: the contract was written by a newer cdk-elasticache-toolkit; upgrade cdk-elasticache-toolkit-runtime to read it`);
  }
  const users = d.users;
  if (!Array.isArray(users) || users.length === 0) throw new UsageError(`${source}.users`, users ?? null, 'a list of at least one user');
  const ttlPolicy = d.ttlPolicy === undefined ? undefined : parseTtlPolicy(d.ttlPolicy, `${source}.ttlPolicy`);
  const flavour = field(d, 'flavour', source, oneOf(Object.values(CacheFlavour)), Object.values(CacheFlavour).join(' or '))!;
  const engine = field(d, 'engine', source, oneOf(['valkey', 'redis'] as const), 'valkey or redis', true);
  const engineVersion = field(d, 'engineVersion', source, isString, 'the engine version, a string', true);
  const readerPort = field(d, 'readerPort', source, isPort, 'a port from 1 to 65535', true);
  const globalSecondary = d.globalSecondary === undefined ? undefined : parseGlobalSecondary(d.globalSecondary, `${source}.globalSecondary`);
  return {
    version,
    cacheName: field(d, 'cacheName', source, isString, 'the cache name, a non-empty string')!,
    flavour,
    ...(engine ? { engine } : {}),
    ...(engineVersion ? { engineVersion } : {}),
    endpoint: field(d, 'endpoint', source, isString, 'the endpoint address, a non-empty string')!,
    port: field(d, 'port', source, isPort, 'a port from 1 to 65535')!,
    ...(readerPort ? { readerPort } : {}),
    region: field(d, 'region', source, isString, 'the AWS Region, a non-empty string')!,
    tls: field(d, 'tls', source, isTrue, 'true: the toolkit provisions caches with TLS only')!,
    clusterMode: field(d, 'clusterMode', source, isTrue, 'true: the toolkit provisions caches in cluster mode only')!,
    users: users.map((u, i) => parseUser(u, `${source}.users[${i}]`)),
    ...(ttlPolicy ? { ttlPolicy } : {}),
    ...(globalSecondary ? { globalSecondary } : {}),
  };
}

/**
 * The flat variables `cache.bind()` sets beside `ECTK_CACHE_CONTRACT` (for shell users), made from the same contract;
 * the bound user is the contract's only one.
 */
export function flatEnvironment(contract: ConnectionContract): Record<string, string> {
  const user = contract.users[0];
  const env: Record<string, string> = {
    [CONNECTION_ENV.cacheName]: contract.cacheName,
    [CONNECTION_ENV.flavour]: contract.flavour,
    [CONNECTION_ENV.endpoint]: contract.endpoint,
    [CONNECTION_ENV.port]: String(contract.port),
    [CONNECTION_ENV.tls]: String(contract.tls),
    [CONNECTION_ENV.clusterMode]: String(contract.clusterMode),
    [CONNECTION_ENV.user]: user.userName,
    [CONNECTION_ENV.authentication]: user.authentication,
    [CONNECTION_ENV.region]: contract.region,
  };
  if (contract.engine) env[CONNECTION_ENV.engine] = contract.engine;
  if (user.passwordSecretArn) env[CONNECTION_ENV.passwordSecretArn] = user.passwordSecretArn;
  if (contract.ttlPolicy) {
    env[CONNECTION_ENV.ttlDefaultSeconds] = String(contract.ttlPolicy.defaultTtlSeconds);
    env[CONNECTION_ENV.ttlJitter] = String(contract.ttlPolicy.jitter);
    env[CONNECTION_ENV.ttlRequired] = String(contract.ttlPolicy.requireTtl);
    if (contract.ttlPolicy.maxTtlSeconds !== undefined) env[CONNECTION_ENV.ttlMaxSeconds] = String(contract.ttlPolicy.maxTtlSeconds);
  }
  return env;
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
