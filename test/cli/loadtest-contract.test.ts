/**
 * `ectk loadtest --contract/--cache`: the target comes from the connection contract (a file, or the cache's SSM
 * parameter through the standard chain, here moto_server), the password user's password from Secrets Manager; against
 * a real 3 + 3 TLS cluster with the user's ACL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Cluster } from 'ioredis';
import { tempDir } from '../support/cdk';
import { ectk } from '../support/cli';
import { Moto, startMoto } from '../support/moto';
import { connect, RedisCluster, startCluster, tlsCertificates } from '../support/redis';

let cluster: RedisCluster;
let moto: Moto;
let dir: string;
let contractFile: string;
const saved = { ...process.env };

beforeAll(async () => {
  [cluster, moto] = await Promise.all([startCluster({ tls: true }), startMoto()]);
  dir = tempDir('ectk-contract-');
  for (const port of cluster.ports) {
    const c = connect(port, true);
    await c.call('ACL', 'SETUSER', 'batch', 'reset', 'on', '>batch-password-0123456789', '~ectk:slo:*', '+@all');
    c.disconnect();
  }
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const { ARN } = await new SecretsManagerClient(moto.clientConfig).send(new CreateSecretCommand({
    Name: 'local-batch', SecretString: JSON.stringify({ username: 'batch', password: 'batch-password-0123456789' }),
  }));
  const contract = {
    version: 1, cacheName: 'local', flavour: 'cluster', endpoint: '127.0.0.1', port: cluster.ports[0], region: 'us-east-1', tls: true, clusterMode: true,
    users: [{ userName: 'batch', authentication: 'password', passwordSecretArn: ARN }],
    ttlPolicy: { defaultTtlSeconds: 600, jitter: 0.1, maxTtlSeconds: 3600, requireTtl: true },
  };
  contractFile = path.join(dir, 'contract.json');
  fs.writeFileSync(contractFile, JSON.stringify(contract));
  await new SSMClient(moto.clientConfig).send(new PutParameterCommand({ Name: '/ectk/local/connection', Type: 'String', Value: JSON.stringify(contract) }));
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([cluster?.stop(), moto?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (...target: string[]) => ectk('loadtest', ...target, '--tls-ca', tlsCertificates().ca, '--rate', '200', '--duration', '1s', '--warmup', '0s',
  '--slo', 'errors<1%', '--json', path.join(dir, 'result.json'));

describe('ectk loadtest from the contract', () => {
  test.each([
    ['--contract <file>', () => ['--contract', contractFile]],
    ['--cache <name> (its SSM parameter)', () => ['--cache', 'local']],
  ])('%s: no endpoint or password pasted, the SLO met as the contract\'s user, and no key left', async (_, target) => {
    const result = await run(...target());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/against rediss:\/\/batch@127\.0\.0\.1:\d+ \(open loop/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8')) as { ops: number; errors: number };
    expect(json.errors).toBe(0);
    expect(json.ops).toBeGreaterThan(150);
    for (const port of cluster.ports) {
      const c = connect(port, true);
      try {
        expect(await c.keys('ectk:slo:*')).toEqual([]);
      } finally {
        c.disconnect();
      }
    }
  }, 60_000);

  test.each<[string[], RegExp]>([
    [['--endpoint', 'rediss://127.0.0.1:1', '--cache', 'local'], /--cache: invalid value "local": give exactly one of --endpoint, --contract or --cache/],
    [[], /^ectk: target: none given: name the cache with one of --endpoint redis\[s\]:\/\/host:port, --cache NAME or --contract FILE\|PARAMETER$/m],
    [['--endpoint', 'rediss://127.0.0.1:1', '--user', 'batch'], /--user: invalid value "batch": picks a user of a contract/],
    [['--cache', 'local', '--user', 'nobody'], /user: invalid value "nobody": one of the contract's users: batch/],
    // A path is read as a file and said to be missing, not taken for an SSM parameter name.
    [['--contract', '/tmp/ectk-no-such-dir/contract.json'], /--contract: invalid value "\/tmp\/ectk-no-such-dir\/contract\.json": a JSON file: .*: no such file \(looked for \/tmp\/ectk-no-such-dir\/contract\.json\)/],
    [['--contract', '/tmp'], /--contract: invalid value "\/tmp": a JSON file: .*: this is a directory, not a file/],
  ])('bad target flags are refused, naming the flag: %j', async (target, message) => {
    const result = await run(...target);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('--cache whose parameter cannot be read: the parameter, the Region and why (missing, or SSM out of reach), exit 3', async () => {
    const missing = await run('--cache', 'nothing-here');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cannot read the connection contract from SSM parameter \/ectk\/nothing-here\/connection in us-east-1: it does not exist there/);
    // --region reads the parameter where it is asked to: the contract of `local` exists in us-east-1 only.
    const elsewhere = await run('--cache', 'local', '--region', 'eu-west-3');
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toMatch(/SSM parameter \/ectk\/local\/connection in eu-west-3: it does not exist there/);
    const analyzed = await ectk('analyze', '--cache', 'local', '--region', 'eu-west-3');
    expect([analyzed.code, analyzed.stderr]).toEqual([3, expect.stringMatching(/SSM parameter \/ectk\/local\/connection in eu-west-3: it does not exist there/)]);
    // --endpoint-url too: here an address where nothing listens.
    const nowhere = await run('--cache', 'local', '--endpoint-url', 'http://127.0.0.1:1');
    expect(nowhere.code).toBe(3);
    expect(nowhere.stderr).toMatch(/ECONNREFUSED/);
    const endpoint = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    try {
      const away = await run('--cache', 'local');
      expect(away.code).toBe(3);
      expect(away.stderr).toMatch(/cannot read the connection contract from SSM parameter \/ectk\/local\/connection in us-east-1: .*ECONNREFUSED.* \(SSM out of reach: check the Region, the network and the endpoint\)/);
    } finally {
      process.env.AWS_ENDPOINT_URL = endpoint;
    }
  }, 60_000);
});

describe('ectk analyze from the contract', () => {
  test('--cache: every primary analysed as the contract\'s user, keys held to the contract\'s TTL policy, exit 1 when broken', async () => {
    const seed = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] }], {
      redisOptions: { tls: { ca: fs.readFileSync(tlsCertificates().ca) } }, dnsLookup: (address, callback) => callback(null, address),
    });
    try {
      // Under the user's prefix, spread over the shards: 3 without a TTL, 2 above the 1-hour maximum, 4 that keep the policy.
      for (let i = 0; i < 3; i++) await seed.set(`ectk:slo:seed:none:${i}`, 'v');
      for (let i = 0; i < 2; i++) await seed.set(`ectk:slo:seed:long:${i}`, 'v', 'EX', 7200);
      for (let i = 0; i < 4; i++) await seed.set(`ectk:slo:seed:ok:${i}`, 'v', 'EX', 600);
      const result = await ectk('analyze', '--cache', 'local', '--tls-ca', tlsCertificates().ca, '--json');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { primaries: number; total_keys: number; ttl_policy: Record<string, unknown> };
      expect(report.primaries).toBe(3);
      expect(report.total_keys).toBe(9);
      expect(report.ttl_policy).toMatchObject({ source: 'the contract of local', require_ttl: true, max_ttl_s: 3600, no_ttl_keys: 3, over_max_keys: 2, broken: true });
    } finally {
      const keys = (await Promise.all(seed.nodes('master').map((n) => n.keys('ectk:slo:seed:*')))).flat();
      for (const key of keys) await seed.del(key);
      seed.disconnect();
    }
  }, 60_000);
});
