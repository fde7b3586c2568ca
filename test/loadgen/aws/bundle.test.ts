import * as fs from 'fs';
import * as path from 'path';
import { loadgenAclRules } from '../../../lib/catalog/connection';
import { PROFILES } from '../../../lib/catalog/slo-check';
import { buildLoadgenBundle } from '../../../lib/constructs/loadgen-bundle';
import { Rng } from '../../../lib/loadgen/random';
import { WORKLOADS } from '../../../lib/loadgen/workloads';
import { tempDir } from '../../support/cdk';
import { connect, RedisServer, startRedis } from '../../support/redis';

const root = path.join(__dirname, '..', '..', '..');

describe('the Lambda bundle', () => {
  const outdir = tempDir('ectk-bundle-');
  buildLoadgenBundle(root, outdir);
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
    const admin = connect(server.port);
    await admin.call('ACL', 'SETUSER', 'loadgen', 'reset', 'on', '>pw', ...loadgenAclRules('ectk:slo:'));
    admin.disconnect();
  });
  afterAll(async () => { await server.stop(); });

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
    const check = { profile: 'get-set', rate: 400, durationSeconds: 1, warmupSeconds: 0.2, slo: 'errors<1%', keyspace: 100, valueSize: [10, 10], keyPrefix: 'ectk:slo:', connections: 1, threads: 2, workers: 1 };
    const env = {
      ECTK_CACHE_NAME: 'c', ECTK_CACHE_FLAVOUR: 'cluster', ECTK_CACHE_ENDPOINT: '127.0.0.1', ECTK_CACHE_PORT: String(server.port), ECTK_CACHE_TLS: 'false',
      ECTK_CACHE_CLUSTER_MODE: 'false', ECTK_CACHE_USER: 'loadgen', ECTK_CACHE_AUTH_MODE: 'password', ECTK_SLO_CHECK: JSON.stringify(check),
    };
    const result = await bundle.runCheck({ publish: false }, { getRemainingTimeInMillis: () => 60_000 }, {
      env, password: async () => 'pw', cloudWatch: () => { throw new Error('not used'); }, s3: () => { throw new Error('not used'); }, log: () => undefined,
    });
    expect(result).toMatchObject({ threads: 2, errors: 0, slo: { passed: true } });
    expect(result.ops).toBeGreaterThan(300);
  });
});

describe('the catalog of profiles', () => {
  test('names exactly the load generator profiles, with the figures each one measures', () => {
    expect(Object.keys(PROFILES).sort()).toEqual(Object.keys(WORKLOADS).sort());
    for (const [name, factory] of Object.entries(WORKLOADS)) {
      const workload = factory({ keyspace: 1, keyPattern: 'uniform', valueSize: [1, 1], ttlSeconds: 1, ttlJitter: 0, ratio: [1, 1], keyPrefix: 'x:', rng: new Rng(1) });
      expect([name, [...workload.figures]]).toEqual([name, [...PROFILES[name].figures]]);
    }
  });
});
