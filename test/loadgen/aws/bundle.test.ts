import * as fs from 'fs';
import * as path from 'path';
import { buildContract, loadgenAclRules } from '../../../lib/catalog/connection';
import { CacheFlavour } from '../../../lib/catalog/metrics';
import { BUILT_IN_WORKLOADS } from '../../../lib/catalog/workloads';
import { buildLambdaBundle } from '../../../lib/constructs/lambda-bundle';
import { Rng } from '../../../lib/loadgen/random';
import { workloadFactory } from '../../../lib/loadgen/workloads';
import { tempDir } from '../../support/cdk';
import { connect, RedisCluster, startCluster, tlsCertificates } from '../../support/redis';

const root = path.join(__dirname, '..', '..', '..');

describe('the Lambda bundle', () => {
  const outdir = tempDir('ectk-bundle-');
  buildLambdaBundle(root, outdir);
  // What the Lambda meets in AWS: a TLS cluster with its confined user on every node.
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startCluster({ tls: true, replicas: 0 });
    for (const port of cluster.ports) {
      const admin = connect(port, true);
      await admin.call('ACL', 'SETUSER', 'loadgen', 'reset', 'on', '>pw', ...loadgenAclRules('ectk:slo:'));
      admin.disconnect();
    }
  });
  afterAll(async () => { await cluster.stop(); });

  test('holds the handlers, the worker-thread entry and the vector-index function, minified with source maps, and no CDK', () => {
    expect(fs.readdirSync(outdir).sort()).toEqual(['index.js', 'index.js.map', 'vector-indexes.js', 'vector-indexes.js.map', 'worker-thread.js', 'worker-thread.js.map']);
    const text = fs.readFileSync(path.join(outdir, 'index.js'), 'utf8');
    expect(text).not.toMatch(/aws-cdk-lib|require\("constructs"\)/);
    const indexes = fs.readFileSync(path.join(outdir, 'vector-indexes.js'), 'utf8');
    expect(indexes).not.toMatch(/aws-cdk-lib|require\("constructs"\)/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const indexFunction = require(path.join(outdir, 'vector-indexes.js')) as Record<string, unknown>;
    for (const name of ['onEvent', 'watch']) expect(typeof indexFunction[name]).toBe('function');
    // node-redis (the pipelined closed loop only) stays out: a lazy require, none of its code inside.
    expect(text).toContain('require("@redis/client")');
    expect(text).not.toContain('The client is offline');
    // Minified: long lines (template literals keep a few line breaks).
    expect(text.length / text.split('\n').length).toBeGreaterThan(1000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(outdir, 'index.js')) as Record<string, unknown>;
    for (const name of ['handler', 'capacity', 'aggregate', 'gate']) expect(typeof bundle[name]).toBe('function');
  });

  test('the bundled handler runs a check on two worker threads from the bundle alone', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(outdir, 'index.js')) as typeof import('../../../lib/loadgen/aws/handler');
    const check = { cacheName: 'c', profile: 'get-set', rate: 400, durationSeconds: 1, warmupSeconds: 0.2, slo: 'errors<1%', keyspace: 100, valueSize: [10, 10], keyPrefix: 'ectk:slo:', connections: 1, threads: 2, workers: 1 };
    const contract = buildContract({ cacheName: 'c', flavour: CacheFlavour.CLUSTER, endpoint: '127.0.0.1', port: cluster.ports[0], region: 'us-east-1' },
      [{ userName: 'loadgen', authentication: 'password', passwordSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:pw' }]);
    const env = { ECTK_CACHE_CONTRACT: JSON.stringify(contract), ECTK_SLO_CHECK: JSON.stringify(check) };
    const result = await bundle.runCheck({ publish: false }, { getRemainingTimeInMillis: () => 60_000 }, {
      env, password: async () => 'pw', cloudWatch: () => { throw new Error('not used'); }, s3: () => { throw new Error('not used'); }, log: () => undefined,
      tlsCaFile: tlsCertificates().ca,
    });
    expect(result).toMatchObject({ threads: 2, errors: 0, slo: { passed: true } });
    expect(result.ops).toBeGreaterThan(300);
  });
});

describe('the catalog of profiles', () => {
  test('gives every built-in profile a factory that builds it', () => {
    for (const { name } of BUILT_IN_WORKLOADS) {
      const workload = workloadFactory(name)({ keyspace: 1, keyPattern: 'uniform', valueSize: [1, 1], ttlSeconds: 1, ttlJitter: 0, ratio: [1, 1], keyPrefix: 'x:', rng: new Rng(1) });
      expect([name, typeof workload.operation]).toEqual([name, 'function']);
    }
  });
});
