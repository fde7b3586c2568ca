/**
 * The connection contract, read once: a good document parses to itself; a malformed one, or one from a newer toolkit,
 * is refused with the source and the field named, the value and what is allowed.
 */
import { CONTRACT_VERSION, ConnectionContract, flatEnvironment, parseContract } from '../../lib/catalog/connection';
import { readOnlyReason } from '../../lib/client/connect';

const good: ConnectionContract = {
  version: 1,
  cacheName: 'infer',
  flavour: 'serverless' as ConnectionContract['flavour'],
  engine: 'valkey',
  engineVersion: '8.2',
  endpoint: 'infer-abc.serverless.use1.cache.amazonaws.com',
  port: 6379,
  readerPort: 6380,
  region: 'us-east-1',
  tls: true,
  clusterMode: true,
  users: [{ userName: 'infer-app', authentication: 'iam' }, { userName: 'infer-batch', authentication: 'password', passwordSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:batch' }],
  ttlPolicy: { defaultTtlSeconds: 600, jitter: 0.1, maxTtlSeconds: 3600, requireTtl: true },
};

describe('the connection contract', () => {
  test('a good document parses to itself, from JSON text or an object', () => {
    expect(parseContract(JSON.stringify(good), 'ECTK_CACHE_CONTRACT')).toEqual(good);
    expect(parseContract(good, 'contract')).toEqual(good);
    const { ttlPolicy, readerPort, engine, engineVersion, ...minimal } = good;
    expect(parseContract(minimal, 'contract')).toEqual(minimal);
    expect([ttlPolicy, readerPort, engine, engineVersion]).not.toContain(undefined);
  });

  test.each<[string, unknown, string]>([
    ['not JSON', '{"version": 1,', 'ECTK_CACHE_CONTRACT: invalid value "{\\"version\\": 1,": a JSON connection contract written by cdk-elasticache-toolkit'],
    ['an array', '[]', 'ECTK_CACHE_CONTRACT: invalid value []: a connection contract object'],
    ['no version', { ...good, version: undefined }, 'ECTK_CACHE_CONTRACT.version: invalid value null: a whole number from 1 (this run time reads version 1)'],
    ['a newer version', { ...good, version: CONTRACT_VERSION + 1 }, 'ECTK_CACHE_CONTRACT.version: invalid value 2: at most 1: the contract was written by a newer cdk-elasticache-toolkit; upgrade cdk-elasticache-toolkit-runtime to read it'],
    ['a port out of range', { ...good, port: 70000 }, 'ECTK_CACHE_CONTRACT.port: invalid value 70000: a port from 1 to 65535'],
    ['a port as text', { ...good, port: '6379' }, 'ECTK_CACHE_CONTRACT.port: invalid value "6379": a port from 1 to 65535'],
    ['TLS off', { ...good, tls: false }, 'ECTK_CACHE_CONTRACT.tls: invalid value false: true: the toolkit provisions caches with TLS only'],
    ['an unknown flavour', { ...good, flavour: 'memcached' }, 'ECTK_CACHE_CONTRACT.flavour: invalid value "memcached": serverless or cluster'],
    ['no users', { ...good, users: [] }, 'ECTK_CACHE_CONTRACT.users: invalid value []: a list of at least one user'],
    ['a user without authentication', { ...good, users: [{ userName: 'x' }] }, 'ECTK_CACHE_CONTRACT.users[0].authentication: invalid value null: iam or password'],
    ['a password user without its secret', { ...good, users: [good.users[0], { userName: 'y', authentication: 'password' }] }, 'ECTK_CACHE_CONTRACT.users[1].passwordSecretArn: invalid value null: the ARN of the secret holding the password'],
    ['a jitter above 0.5', { ...good, ttlPolicy: { ...good.ttlPolicy, jitter: 0.9 } }, 'ECTK_CACHE_CONTRACT.ttlPolicy.jitter: invalid value 0.9: a fraction from 0 to 0.5'],
    ['a secondary without where writes go', { ...good, globalSecondary: { globalReplicationGroupId: 'ldgnf-s', primaryReplicationGroupId: 's', primaryRegion: 'us-east-1', primaryPort: 6379 } },
      'ECTK_CACHE_CONTRACT.globalSecondary.primaryEndpoint: invalid value null: the primary\'s endpoint address, a non-empty string'],
    ['a maximum TTL below the default', { ...good, ttlPolicy: { ...good.ttlPolicy, maxTtlSeconds: 60 } }, 'ECTK_CACHE_CONTRACT.ttlPolicy.maxTtlSeconds: invalid value 60: whole seconds, at least defaultTtlSeconds (600)'],
  ])('%s is refused with the field named', (_, input, message) => {
    expect(() => parseContract(typeof input === 'string' ? input : JSON.stringify(input), 'ECTK_CACHE_CONTRACT')).toThrow(message);
  });

  test('a Global Datastore secondary\'s contract carries where writes go, and reads back the same', () => {
    const { readerPort, ...cluster } = good;
    expect(readerPort).toBe(6380);
    const withoutReader: ConnectionContract = {
      ...cluster, flavour: 'cluster' as ConnectionContract['flavour'], cacheName: 'sessions-eu', region: 'eu-west-1',
      globalSecondary: { globalReplicationGroupId: 'ldgnf-sessions', primaryReplicationGroupId: 'sessions', primaryRegion: 'us-east-1', primaryEndpoint: 'clustercfg.sessions.abc.use1.cache.amazonaws.com', primaryPort: 6379 },
    };
    expect(parseContract(JSON.stringify(withoutReader), 'contract')).toEqual(withoutReader);
    expect(readOnlyReason(withoutReader)).toBe('sessions-eu is a read-only Global Datastore secondary (ldgnf-sessions) in eu-west-1: ' +
      'write to the primary, sessions (clustercfg.sessions.abc.use1.cache.amazonaws.com:6379) in us-east-1');
    expect(readOnlyReason(good)).toBeUndefined();
  });

  test('the flat variables come from the same document, for its first user', () => {
    const bound = { ...good, users: [good.users[1]] };
    expect(flatEnvironment(bound)).toEqual({
      ECTK_CACHE_NAME: 'infer', ECTK_CACHE_FLAVOUR: 'serverless', ECTK_CACHE_ENGINE: 'valkey',
      ECTK_CACHE_ENDPOINT: 'infer-abc.serverless.use1.cache.amazonaws.com', ECTK_CACHE_PORT: '6379', ECTK_CACHE_TLS: 'true',
      ECTK_CACHE_CLUSTER_MODE: 'true', ECTK_CACHE_USER: 'infer-batch', ECTK_CACHE_AUTH_MODE: 'password',
      ECTK_CACHE_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:batch', ECTK_CACHE_REGION: 'us-east-1',
      ECTK_TTL_DEFAULT_SECONDS: '600', ECTK_TTL_JITTER: '0.1', ECTK_TTL_REQUIRED: 'true', ECTK_TTL_MAX_SECONDS: '3600',
    });
  });
});
