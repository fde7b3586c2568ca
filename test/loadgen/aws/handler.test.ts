import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { buildContract, loadgenAclRules } from '../../../lib/catalog/connection';
import { CacheFlavour } from '../../../lib/catalog/metrics';
import { SloCheckSpec } from '../../../lib/catalog/slo-check';
import {
  aggregateResults, cachePassword, CheckOutput, Environment, HandlerDeps, reserveMs, runCapacitySearch, runCheck, runGate, SloBreachedError, workerConfig,
} from '../../../lib/loadgen/aws/handler';
import { batches, metricData } from '../../../lib/loadgen/aws/publish';
import { decode, merge } from '../../../lib/loadgen/histogram';
import { UsageError } from '../../../lib/catalog/errors';
import { Moto, startMoto } from '../../support/moto';
import { startThrottleProxy, ThrottleProxy } from '../../support/throttle-proxy';
import { connect, keysOn, RedisCluster, RedisServer, startCluster, startRedis, tlsCertificates } from '../../support/redis';

const spec: SloCheckSpec = {
  profile: 'inference-cache', rate: 600, durationSeconds: 2, warmupSeconds: 0.3, slo: 'p99<250ms,errors<1%', keyspace: 300,
  valueSize: [100, 400], keyPrefix: 'ectk:slo:', connections: 2, threads: 1, workers: 1,
};

/** What `cache.bind()` and LatencySlo give the function: the contract of a TLS cluster-mode cache, and the check. */
function environment(port: number, overrides: Record<string, string> = {}, check: Partial<SloCheckSpec> = {}): Environment {
  const contract = buildContract({
    cacheName: 'local-cache', flavour: CacheFlavour.CLUSTER, engine: 'redis', endpoint: '127.0.0.1', port, region: 'us-east-1',
    ttlPolicy: { defaultTtlSeconds: 120, jitter: 0.1, requireTtl: false },
  }, [{ userName: 'loadgen', authentication: 'password', passwordSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:loadgen' }]);
  return { ECTK_CACHE_CONTRACT: JSON.stringify(contract), ECTK_SLO_CHECK: JSON.stringify({ cacheName: 'local-cache', ...spec, ...check }), ...overrides };
}

const context = (remainingMs = 120_000) => {
  const end = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => end - Date.now() };
};

function deps(env: Environment, moto?: Moto, lines: string[] = []): HandlerDeps {
  return {
    env,
    password: async () => 'loadgen-secret',
    cloudWatch: () => new CloudWatchClient(moto ? moto.clientConfig : { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    s3: () => new S3Client(moto ? { ...moto.clientConfig, forcePathStyle: true } : { region: 'us-east-1' }),
    log: (line) => lines.push(line),
    tlsCaFile: tlsCertificates().ca,
  };
}

/** The Lambda's RBAC user as ElastiCache would hold it: confined to the load-generator prefix and categories. */
async function addLoadgenUser(port: number, tls = true): Promise<void> {
  const admin = connect(port, tls);
  await admin.call('ACL', 'SETUSER', 'loadgen', 'reset', 'on', '>loadgen-secret', ...loadgenAclRules('ectk:slo:'));
  admin.disconnect();
}

/** A cache as the Lambda meets one in AWS: a TLS cluster (three primaries) with the Lambda's user on every node. */
interface TlsCache {
  /** The node the contract names. */
  readonly port: number;
  readonly cluster: RedisCluster;
  /** The run keys left on every primary. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
}

async function startTlsCache(): Promise<TlsCache> {
  const cluster = await startCluster({ tls: true, replicas: 0 });
  for (const port of cluster.ports) await addLoadgenUser(port);
  return {
    port: cluster.ports[0], cluster, stop: () => cluster.stop(),
    keys: async () => (await Promise.all(cluster.ports.map((p) => keysOn(p, 'ectk:slo:*', true)))).flat(),
  };
}

/**
 * A one-node cluster (every slot on one plain node) behind a throttling proxy that terminates TLS; the node announces
 * the proxy's address, so a cluster client that follows the slot map still goes through the proxy.
 */
async function throttledCache(rate: number): Promise<{ proxy: ThrottleProxy; node: RedisServer }> {
  const node = await startRedis({ cluster: true });
  const { cert, key } = tlsCertificates();
  const proxy = await startThrottleProxy(node.port, rate, { cert, key });
  const admin = connect(node.port);
  try {
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await admin.config('SET', 'cluster-announce-ip', '127.0.0.1');
    await admin.config('SET', 'cluster-announce-port', String(proxy.port));
    for (let i = 0; i < 100 && !String(await admin.cluster('INFO')).includes('cluster_state:ok'); i++) await new Promise((r) => setTimeout(r, 100));
  } finally {
    admin.disconnect();
  }
  await addLoadgenUser(node.port, false);
  return { proxy, node };
}

/** A TLS cache and a moto_server, started before and stopped after the enclosing describe. */
function cacheAndMoto(): () => { cache: TlsCache; moto: Moto } {
  let cache: TlsCache;
  let moto: Moto;
  beforeAll(async () => { [cache, moto] = await Promise.all([startTlsCache(), startMoto()]); });
  afterAll(async () => { await Promise.all([cache.stop(), moto.stop()]); });
  return () => ({ cache, moto });
}



describe('load-generator Lambda handler against a local TLS cluster, as an ACL user confined to the prefix', () => {
  const env = cacheAndMoto();
  let server: TlsCache;
  let moto: Moto;
  beforeAll(() => { ({ cache: server, moto } = env()); });

  test('runs the configured check, returns the loadtest --json shape with the histogram, publishes, cleans up', async () => {
    const lines: string[] = [];
    const result = await runCheck({ run_id: 'gate-1' }, context(), deps(environment(server.port), moto, lines));
    expect(result).toMatchObject({ profile: 'inference-cache', run_id: 'gate-1', mode: 'open-loop', target_rate: 600, errors: 0, cut_short: false });
    // Never above the offered rate by construction; how close to it is the machine's load (docs/BENCHMARKS.md).
    expect(result.achieved_rate).toBeLessThanOrEqual(600);
    expect(result.achieved_rate).toBeGreaterThan(0);
    expect(result.hit_ratio).toBeGreaterThan(0);
    expect(result.slo).toMatchObject({ spec: 'p99<250ms,errors<1%', passed: true });
    expect(decode(result.histogram).totalCount).toBe(result.ops);
    expect(result.series.length).toBeGreaterThanOrEqual(2);
    expect(result.keys_deleted).toBeGreaterThan(0);
    expect(result.publish_error).toBeUndefined();
    // One call per Values datum of the latency (each at most 150 values: docs/aws-facts.md, "Deploy-time limits and traps").
    const calls = batches(metricData(result, 'local-cache', new Date())).length;
    expect(lines).toContain(`published to CloudWatch in ${calls} PutMetricData call(s)`);
    expect(await server.keys()).toEqual([]);
    const stats = await new CloudWatchClient(moto.clientConfig).send(new GetMetricStatisticsCommand({
      Namespace: 'ElastiCacheToolkit/SLO', MetricName: 'Latency', Statistics: ['SampleCount'], Period: 3600,
      Dimensions: [{ Name: 'Cache', Value: 'local-cache' }, { Name: 'Profile', Value: 'inference-cache' }],
      StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000),
    }));
    expect(stats.Datapoints![0].SampleCount).toBe(result.ops);
  });

  test('a breach fails the invocation (deploy gate) after publishing, or is returned as a result (canary)', async () => {
    const env = environment(server.port, {}, { slo: 'p50<1us' });
    const failure = await runCheck({}, context(), deps(env, moto)).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(SloBreachedError);
    expect((failure as Error).message).toMatch(/^SLO breached: p50<1us \(actual [\d.]+\)$/);
    const canary = await runCheck({ fail_on_breach: false }, context(), deps(env, moto));
    expect(canary.slo!.passed).toBe(false);
  });

  test('a short remaining time cuts the run short, leaving time to clean up and return', async () => {
    const remaining = 8000;
    const result = await runCheck({ duration_seconds: 60, publish: false }, context(remaining), deps(environment(server.port)));
    expect(result.cut_short).toBe(true);
    // The measured window ends before the time kept back for the cleanup, by construction.
    expect(result.duration_s * 1000).toBeLessThan(remaining - reserveMs(remaining));
    expect(result.keys_deleted).toBeGreaterThan(0);
    expect(await server.keys()).toEqual([]);
  });

  test('the cache lost near the deadline: the handler still returns its result within the invocation, with the cleanup warning', async () => {
    const lost = await startTlsCache();
    const remaining = 9000;
    const run = runCheck({ duration_seconds: 60, publish: false, fail_on_breach: false }, context(remaining), deps(environment(lost.port)));
    await new Promise((r) => setTimeout(r, 2500));
    for (const node of lost.cluster.nodes) node.process.kill('SIGKILL');
    const result = await run;
    await lost.stop();
    expect(result.duration_s * 1000).toBeLessThan(remaining - reserveMs(remaining));
    expect(result.cut_short).toBe(true);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.cleanup_warning).toMatch(/cleanup could not finish .* keys of the run may remain under ectk:slo:[0-9a-f]+:; every one carries a TTL and expires within 132 s/);
  }, 30000);

  test('CloudWatch out of reach does not change the verdict; the result says so', async () => {
    const result = await runCheck({}, context(), deps(environment(server.port)));
    expect(result.slo!.passed).toBe(true);
    expect(result.publish_error).toMatch(/ECONNREFUSED|connect/);
  });

  test('the ACL confines the Lambda user: a prefix outside its access string is refused before the run, naming the pattern', async () => {
    const result = await runCheck({ fail_on_breach: false, publish: false }, context(), deps(environment(server.port, {}, { keyPrefix: 'other:' })))
      .catch((e: Error) => e);
    // The server refuses the keys under other:...; the preflight says which key pattern the user would need.
    expect(result).toBeInstanceOf(UsageError);
    expect((result as Error).message).toMatch(/the user "loadgen" may not touch the keys under other:[0-9a-f]+:: add "~other:\*" to its access string/);
  });

  test('bad configuration names the variable or field', () => {
    expect(() => workerConfig({}, {}, 60_000)).toThrow(/^ECTK_SLO_CHECK: invalid value null: the function must be bound/);
    expect(() => workerConfig(environment(1, {}, {}), { worker_index: 4, worker_count: 4 }, 60_000)).toThrow('worker_index: invalid value 4: a whole number from 0 to 3');
    expect(() => workerConfig(environment(1), { slo: 'p99<<5' }, 60_000)).toThrow(/--slo term: invalid value "p99<<5"/);
    expect(() => workerConfig(environment(1), { run_id: 'a b' }, 60_000)).toThrow('run_id: invalid value "a b": letters, digits, - and _, at most 80 characters');
    expect(() => workerConfig({ ...environment(1), ECTK_SLO_CHECK: '{' }, {}, 60_000)).toThrow(/ECTK_SLO_CHECK: invalid value "\{": a JSON SLO check/);
    // The document is validated where it enters, by the rules LatencySlo applied at synth.
    expect(() => workerConfig(environment(1, {}, { profile: 'chat' }), {}, 60_000))
      .toThrow(/^ECTK_SLO_CHECK\.profile: invalid value "chat": allowed are get-set, inference-cache/);
    expect(() => workerConfig(environment(1, {}, { keyPrefix: '' }), {}, 60_000)).toThrow(/^ECTK_SLO_CHECK\.keyPrefix: invalid value "": a non-empty prefix/);
    expect(() => workerConfig(environment(1, {}, { valueSize: [100, 10] }), {}, 60_000))
      .toThrow(/^ECTK_SLO_CHECK\.valueSize\[1\]: invalid value 10: allowed is an integer from 100 to/);
  });

  test('a fan-out worker runs its share of the rate under its own run id and does not publish', async () => {
    const config = workerConfig(environment(server.port), { worker_index: 2, worker_count: 4, run_id: 'exec-9' }, 60_000);
    expect(config.rate).toBe(150);
    expect(config.runId).toBe('exec-9-w2');
    // An invocation may run another workload: `workload`, or its deprecated old name `profile`.
    expect(workerConfig(environment(server.port), { workload: 'leaderboard' }, 60_000).profile).toBe('leaderboard');
    expect(workerConfig(environment(server.port), { profile: 'session-store' }, 60_000).profile).toBe('session-store');
    expect(workerConfig(environment(server.port), { workload: 'leaderboard', profile: 'session-store' }, 60_000).profile).toBe('leaderboard');
    const lines: string[] = [];
    const result = await runCheck({ worker_index: 2, worker_count: 4, run_id: 'exec-9', compact: true, fail_on_breach: false }, context(), deps(environment(server.port), moto, lines));
    expect(result.run_id).toBe('exec-9-w2');
    expect(result.series).toEqual([]);
    expect(lines.some((l) => l.includes('published'))).toBe(false);
  });
});

describe('handler in cluster mode', () => {
  let cache: TlsCache;
  beforeAll(async () => { cache = await startTlsCache(); });
  afterAll(async () => { await cache.stop(); });

  test('routes by slot as the confined user and cleans up on every primary', async () => {
    const result = await runCheck({ publish: false }, context(), deps(environment(cache.port)));
    expect(result.errors).toBe(0);
    expect(result.slo!.passed).toBe(true);
    expect(result.keys_deleted).toBeGreaterThan(0);
    for (const port of cache.cluster.ports) expect(await keysOn(port, 'ectk:slo:*', true)).toEqual([]);
  });
});

describe('aggregator', () => {
  let server: TlsCache;
  beforeAll(async () => { server = await startTlsCache(); });
  afterAll(async () => { await server.stop(); });

  async function workers(count: number, slo = spec.slo): Promise<CheckOutput[]> {
    const env = environment(server.port, {}, { workers: count, slo });
    return Promise.all(Array.from({ length: count }, (_, i) => runCheck(
      { worker_index: i, worker_count: count, run_id: 'agg', compact: true, publish: false, fail_on_breach: false, duration_seconds: 1 }, context(), deps(env))));
  }

  test('merging N worker results gives exactly the histogram of all their values, and the SLO verdict of the merge', async () => {
    const results = await workers(3);
    const env = environment(server.port, {}, { workers: 3 });
    const merged = await aggregateResults({ results, publish: false }, deps(env));
    const expected = merge(results.map((r) => decode(r.histogram)));
    const actual = decode(merged.histogram);
    expect(actual.totalCount).toBe(results.reduce((n, r) => n + r.ops, 0));
    for (const p of [50, 90, 99, 99.9, 100]) expect(actual.getValueAtPercentile(p)).toBe(expected.getValueAtPercentile(p));
    expect(merged.ops).toBe(results.reduce((n, r) => n + r.ops, 0));
    expect(merged.counts.hits).toBe(results.reduce((n, r) => n + r.counts.hits, 0));
    expect(merged.target_rate).toBe(600);
    expect(merged.run_id).toBe('agg');
    expect(merged.slo!.passed).toBe(true);
    expect(merged.latency_ms.p99).toBe(Math.round(expected.getValueAtPercentile(99)) / 1000);

    const strict = environment(server.port, {}, { workers: 3, slo: 'p99<1us' });
    const breached = await aggregateResults({ results, publish: false }, deps(strict));
    expect(breached.slo!.passed).toBe(false);
    await expect(aggregateResults({ results, publish: false, fail_on_breach: true }, deps(strict))).rejects.toThrow(/SLO breached: p99<1us/);
  });

  test('a missing or failed worker makes the run fail, never pass silently', async () => {
    const results = await workers(2);
    const env = environment(server.port, {}, { workers: 3 });
    await expect(aggregateResults({ results, publish: false }, deps(env))).rejects.toThrow('expected 3 worker results, got 2: a worker is missing, so the run cannot pass');
    const broken = [...results, { errorType: 'Error', errorMessage: 'cannot reach' }] as unknown as CheckOutput[];
    await expect(aggregateResults({ results: broken, publish: false }, deps(env))).rejects.toThrow(/worker result 2 is not a load-test result/);
    await expect(aggregateResults({} as never, deps(env))).rejects.toThrow(/^results: invalid value null: an array of worker results/);
  });
});

describe('aggregator reading a Distributed Map ResultWriter output from S3 (moto_server)', () => {
  const env = cacheAndMoto();
  let server: TlsCache;
  let moto: Moto;
  beforeAll(() => { ({ cache: server, moto } = env()); });

  /** Writes results the way Step Functions' ResultWriter does: a manifest listing result files by status. */
  async function writeRun(bucket: string, results: CheckOutput[], failed = 0): Promise<{ Bucket: string; Key: string }> {
    const s3 = new S3Client({ ...moto.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const executions = results.map((r, i) => ({ Name: `w${i}`, Status: 'SUCCEEDED', Output: JSON.stringify(r) }));
    const half = Math.ceil(executions.length / 2);
    const put = (Key: string, body: unknown) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: JSON.stringify(body) }));
    await put('results/run/SUCCEEDED_0.json', executions.slice(0, half));
    await put('results/run/SUCCEEDED_1.json', executions.slice(half));
    const failedFiles = failed ? [{ Key: 'results/run/FAILED_0.json', Size: 10 }] : [];
    if (failed) await put('results/run/FAILED_0.json', [{ Name: 'wx', Status: 'FAILED', Error: 'Lambda.Unknown' }]);
    await put('results/run/manifest.json', {
      DestinationBucket: bucket, MapRunArn: 'arn:aws:states:us-east-1:111122223333:mapRun:slo/run:1',
      ResultFiles: { SUCCEEDED: [{ Key: 'results/run/SUCCEEDED_0.json', Size: 1 }, { Key: 'results/run/SUCCEEDED_1.json', Size: 1 }], FAILED: failedFiles, PENDING: [] },
    });
    return { Bucket: bucket, Key: 'results/run/manifest.json' };
  }

  test('merges every worker result listed in the manifest; a failed worker fails the run', async () => {
    const env = environment(server.port, {}, { workers: 3 });
    const results = await Promise.all([0, 1, 2].map((i) => runCheck(
      { worker_index: i, worker_count: 3, run_id: 'dist', compact: true, publish: false, fail_on_breach: false, duration_seconds: 1 }, context(), deps(env))));
    const merged = await aggregateResults({ result_writer: await writeRun('slo-results', results), publish: false }, deps(env, moto));
    expect(merged.ops).toBe(results.reduce((n, r) => n + r.ops, 0));
    expect(decode(merged.histogram).totalCount).toBe(merged.ops);
    await expect(aggregateResults({ result_writer: await writeRun('slo-results-2', results, 1), publish: false }, deps(env, moto)))
      .rejects.toThrow('workers did not all succeed: results in results/run/FAILED_0.json; the run cannot pass');
  });
});

describe('deploy gate of a fan-out check (Step Functions through aws-sdk-client-mock)', () => {
  const env = { ECTK_SLO_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:slo' };

  test('starts the state machine and returns its output when it succeeds', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:1' });
    sfn.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' }).resolves({ status: 'SUCCEEDED', output: '{"slo":{"passed":true}}' });
    expect(await runGate(context(), env, new SFNClient({ region: 'us-east-1' }), 10)).toEqual({ slo: { passed: true } });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toMatchObject({ stateMachineArn: env.ECTK_SLO_STATE_MACHINE_ARN });
    expect(sfn.commandCalls(DescribeExecutionCommand).length).toBe(2);
    sfn.restore();
  });

  test('fails the deployment when the execution fails (SLO breached or a worker failed)', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:2' });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'SloBreached', cause: 'The merged result breaches the SLO' });
    await expect(runGate(context(), env, new SFNClient({ region: 'us-east-1' }), 10)).rejects.toThrow('SLO check arn:exec:2 FAILED: SloBreached The merged result breaches the SLO');
    sfn.restore();
  });

  test('gives up before its own timeout rather than being killed silently', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:3' });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await expect(runGate(context(1000), env, new SFNClient({ region: 'us-east-1' }), 10)).rejects.toThrow('still running when the gate ran out of time');
    sfn.restore();
  });
});

describe('cache password for the Lambda user', () => {
  /** The contract of a serverless cache in eu-west-1 bound for the user `loadgen` (IAM, or a password in a secret). */
  const bound = (user: object) => ({
    ECTK_CACHE_CONTRACT: JSON.stringify({
      ...buildContract({ cacheName: 'Ectk-Inference', flavour: CacheFlavour.SERVERLESS, endpoint: 'ectk-inference.serverless.euw1.cache.amazonaws.com', port: 6379, region: 'eu-west-1' }, []),
      users: [{ userName: 'loadgen', ...user }],
    }),
  });

  test('IAM: a signed token for the cache and user from the standard credential chain', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
    try {
      const token = await cachePassword(bound({ authentication: 'iam' }))();
      const url = new URL(`http://${token}`);
      expect(url.host).toBe('ectk-inference');
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        Action: 'connect', User: 'loadgen', ResourceType: 'ServerlessCache', 'X-Amz-Expires': '900', 'X-Amz-Security-Token': 'session',
      });
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/elasticache\/aws4_request$/);
    } finally {
      process.env = saved;
    }
  });

  test('password: the "password" field of the user\'s secret in Secrets Manager', async () => {
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const sm = mockClient(client);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'loadgen', password: 's3cret' }) });
    const env = bound({ authentication: 'password', passwordSecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:x' });
    expect(await cachePassword(env, () => client)()).toBe('s3cret');
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:x' });
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{}' });
    await expect(cachePassword(env, () => client)()).rejects.toThrow('the secret arn:aws:secretsmanager:us-east-1:1:secret:x has no "password" field');
    expect(() => cachePassword(bound({ authentication: 'token' }))).toThrow(/^ECTK_CACHE_CONTRACT\.users\[0\]\.authentication: invalid value "token"/);
    expect(() => cachePassword({})).toThrow(/^ECTK_CACHE_CONTRACT: invalid value null: the function must be bound/);
  });
});

describe('the capacity search in Lambda, against a local TLS cluster, as the load generator\'s ACL user', () => {
  const env = cacheAndMoto();
  let server: TlsCache;
  let moto: Moto;
  beforeAll(() => { ({ cache: server, moto } = env()); });

  const search = (port: number, settings: object, check: Partial<SloCheckSpec> = {}) =>
    environment(port, { ECTK_CAPACITY_SEARCH: JSON.stringify(settings) }, { warmupSeconds: 0.2, ...check });
  const published = async (profile: string) => (await new CloudWatchClient(moto.clientConfig).send(new GetMetricStatisticsCommand({
    Namespace: 'ElastiCacheToolkit/SLO', MetricName: 'MaxRateMeetingSlo', Statistics: ['Maximum', 'SampleCount'], Period: 3600,
    Dimensions: [{ Name: 'Cache', Value: 'local-cache' }, { Name: 'Profile', Value: profile }],
    StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000),
  }))).Datapoints ?? [];

  test('with a limit injected at 600 commands/s it finds the limit, publishes it as MaxRateMeetingSlo and leaves no key', async () => {
    // A throttling proxy in front of a one-node TLS cluster (its own process; it terminates TLS, and the node announces
    // the proxy's port, so every routed command passes it): above 600/s commands queue, so p99<50ms fails.
    const { proxy, node } = await throttledCache(600);
    try {
      const lines: string[] = [];
      const env = search(proxy.port, { maxRate: 2000, stepSeconds: 2, maxSteps: 10 }, { rate: 100, slo: 'p99<50ms', profile: 'get-set' });
      const result = await runCapacitySearch({}, context(), deps(env, moto, lines));
      expect(result.steps[0].rate).toBe(100);
      expect(result.max_rate!).toBeGreaterThanOrEqual(600 / 1.1);
      expect(result.max_rate!).toBeLessThanOrEqual(600 * 1.05);
      expect(result).toMatchObject({ stopped_by: 'slo', published: true });
      expect(lines.filter((l) => l.startsWith('capacity step '))).toHaveLength(result.steps.length);
      expect(await published('get-set')).toEqual([expect.objectContaining({ Maximum: result.max_rate, SampleCount: 1 })]);
      expect(await keysOn(node.port, 'ectk:slo:*')).toEqual([]);
    } finally {
      await proxy.close();
      await node.stop();
    }
  }, 120_000);

  test('an SLO no rate meets: it halves down to 1 request per second and publishes 0', async () => {
    const result = await runCapacitySearch({ max_steps: 6 }, context(), deps(search(server.port, { maxRate: 8, stepSeconds: 1 }, { rate: 8, slo: 'p50<1us', profile: 'session-store' }), moto));
    expect(result.steps.map((st) => [st.rate, st.verdict])).toEqual([[8, 'breached'], [4, 'breached'], [2, 'breached'], [1, 'breached']]);
    expect(result).toMatchObject({ max_rate: null, stopped_by: 'slo', published: true });
    expect(await published('session-store')).toEqual([expect.objectContaining({ Maximum: 0, SampleCount: 1 })]);
  }, 60_000);

  test('it stops before a step that would not end a minute before the deadline, and publishes nothing then', async () => {
    const env = search(server.port, { maxRate: 400, stepSeconds: 1 }, { rate: 100, profile: 'leaderboard', slo: 'p99<250ms' });
    // Room for exactly one step: warm-up 0.2 s + 1 s + the 60 s reserve, and a little.
    const result = await runCapacitySearch({}, context(62_000), deps(env, moto));
    expect(result.steps).toHaveLength(1);
    expect(result).toMatchObject({ stopped_by: 'stopped', published: false });
    expect(await published('leaderboard')).toEqual([]);
  }, 60_000);

  test.each([
    [{ max_rate: 100 }, 120_000, 'max_rate: invalid value 100: allowed is an integer from 600 to 10000000'],
    [{ step_seconds: 0 }, 120_000, /^step_seconds: invalid value 0: allowed is an integer from 1 to 839$/],
    [{}, 30_000, /^step_seconds: invalid value 20: a step with the 0.3 s warm-up and 60 s reserve must fit in the (29|30) s left$/],
  ])('a bad event or too little time is refused before any load: %j', async (event, remainingMs, message) => {
    const env = environment(server.port, { ECTK_CAPACITY_SEARCH: JSON.stringify({}) });
    const error = await runCapacitySearch(event, context(remainingMs), deps(env, moto)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  test('a capacity-search document that is not JSON names its variable', async () => {
    const env = environment(server.port, { ECTK_CAPACITY_SEARCH: '{maxRate' });
    await expect(runCapacitySearch({}, context(), deps(env, moto))).rejects.toThrow('ECTK_CAPACITY_SEARCH: invalid value "{maxRate": a JSON capacity search specification written by LatencySlo');
  });
});
