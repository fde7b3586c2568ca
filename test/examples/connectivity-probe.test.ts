/**
 * The connectivity probe as the reference app deploys it: its esbuild bundle, run by a plain `node` child whose only
 * inputs are environment variables (the contract as `cache.bind()` sets it, the AWS settings a Lambda has), against a
 * real 3 + 3 TLS cluster with ACL users and Secrets Manager served by moto_server.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { exampleBundle } from '../../bin/example-bundle';
import { CONTRACT_ENV } from '../../lib/catalog/connection';
import { Moto, startMoto } from '../support/moto';
import { connect as admin, freePort, RedisCluster, startCluster, tlsCertificates } from '../support/redis';

let cluster: RedisCluster;
let moto: Moto;
let bundle: string;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  [cluster, moto] = await Promise.all([startCluster({ tls: true }), startMoto()]);
  bundle = path.join(exampleBundle('connectivity-probe'), 'index.js');
  for (const port of cluster.ports) {
    const c = admin(port, true);
    // What AccessString.forKeyPrefix gives an app, with the cluster commands a cluster client needs.
    await c.call('ACL', 'SETUSER', 'probe-app', 'reset', 'on', '>probe-password-0123456789', '~app:*', '+@read', '+@write', '+@connection', '+cluster|slots', '+cluster|shards', '+cluster|info', '+info');
    // The same without CLUSTER INFO, which the cluster client's ready check runs.
    await c.call('ACL', 'SETUSER', 'probe-noinfo', 'reset', 'on', '>probe-password-0123456789', '~app:*', '+@read', '+@write', '+@connection', '+cluster|slots', '+cluster|shards');
    c.disconnect();
  }
  const sm = new SecretsManagerClient(moto.clientConfig);
  for (const [name, password] of [['right', 'probe-password-0123456789'], ['stale', 'rotated-away-0123456789']]) {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: `probe-${name}`, SecretString: JSON.stringify({ username: 'probe-app', password }) }));
    secrets[name] = ARN!;
  }
}, 60_000);
afterAll(async () => { await Promise.all([cluster?.stop(), moto?.stop()]); });

function contract(port: number, user: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1, cacheName: 'probed', flavour: 'cluster', endpoint: '127.0.0.1', port, region: 'us-east-1', tls: true, clusterMode: true,
    users: [{ userName: 'probe-app', ...user }],
  });
}

/** Invokes the bundled handler in a child process, as Lambda would, and returns what it resolved to. */
function invoke(contractJson: string): Record<string, unknown> {
  const script = `require(${JSON.stringify(bundle)}).handler().then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(e.message); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8', timeout: 30_000,
    env: {
      PATH: process.env.PATH, [CONTRACT_ENV]: contractJson,
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: moto.endpoint,
      // The test servers' private CA; a real cache's certificate is signed by a public one.
      NODE_EXTRA_CA_CERTS: tlsCertificates().ca,
    },
  });
  if (result.status !== 0) throw new Error(`the probe failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('the connectivity probe bundle', () => {
  test('a password user whose secret is right: reachable, authenticated, with the connect and PING times; the process ends (nothing left open)', () => {
    const r = invoke(contract(cluster.ports[0], { authentication: 'password', passwordSecretArn: secrets.right }));
    expect(r).toMatchObject({ reachable: true, authenticated: true, cache: 'probed', port: cluster.ports[0], user: 'probe-app', authentication: 'password' });
    expect(r.error).toBeUndefined();
    expect(r.connectMs).toBeGreaterThan(0);
    expect(r.pingMs).toBeGreaterThan(0);
  });

  test('a secret that no longer holds the password: reachable, not authenticated, and the server\'s refusal', () => {
    const r = invoke(contract(cluster.ports[0], { authentication: 'password', passwordSecretArn: secrets.stale }));
    expect(r).toMatchObject({ reachable: true, authenticated: false });
    expect(r.error).toMatch(/^cannot connect to probed at rediss:\/\/127\.0\.0\.1:\d+ as probe-app: WRONGPASS/);
  });

  test('an IAM user signs a token from the function\'s credentials; a server that does not know it refuses the user', () => {
    const r = invoke(contract(cluster.ports[0], { authentication: 'iam' }));
    expect(r).toMatchObject({ reachable: true, authenticated: false, authentication: 'iam' });
    expect(r.error).toMatch(/WRONGPASS/);
  });

  test('a user whose ACL lacks CLUSTER INFO: reachable, not connected, and the permission to add', () => {
    const r = invoke(contract(cluster.ports[0], { userName: 'probe-noinfo', authentication: 'password', passwordSecretArn: secrets.right }));
    expect(r).toMatchObject({ reachable: true, authenticated: false, user: 'probe-noinfo' });
    expect(r.error).toMatch(/not ready after 9000 ms: the user may not run CLUSTER INFO, which a cluster client needs to connect \(NOPERM .*\): add \+cluster\|info to its access string/);
  });

  test('nothing listening: not reachable, with the socket\'s reason, and the process ends (no retries left running)', async () => {
    const closed = await freePort();
    const r = invoke(contract(closed, { authentication: 'password', passwordSecretArn: secrets.right }));
    expect(r).toMatchObject({ reachable: false, authenticated: false, port: closed });
    expect(r.error).toMatch(/TCP connect: ECONNREFUSED/);
  });

  test('a malformed contract is a deployment mistake: the invocation fails and names the field', () => {
    const noName = JSON.parse(contract(cluster.ports[0], { authentication: 'iam' })) as Record<string, unknown>;
    delete noName.cacheName;
    expect(() => invoke(JSON.stringify(noName))).toThrow(/ECTK_CACHE_CONTRACT\.cacheName: invalid value/);
  });
});
