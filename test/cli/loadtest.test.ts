import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { decode } from '../../lib/loadgen/histogram';
import { tempDir } from '../support/cdk';
import { ectk } from '../support/cli';
import { freePort, RedisServer, startRedis } from '../support/redis';

describe('ectk loadtest', () => {
  let server: RedisServer;
  let dir: string;
  beforeAll(async () => { server = await startRedis(); dir = tempDir('ectk-cli-'); });
  afterAll(async () => { await server.stop(); });

  test('the README example: inference-cache at a fixed rate with an SLO, JSON, hgrm and HTML report', async () => {
    const json = path.join(dir, 'out.json');
    const hgrm = path.join(dir, 'out.hgrm');
    const report = path.join(dir, 'report.html');
    const { code, stdout } = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--workload', 'inference-cache',
      // The SLO's latency term is loose on purpose: this checks the outputs, not how fast a loaded 2-core machine is.
      '--rate', '2000', '--duration', '2s', '--warmup', '500ms', '--slo', 'p99<1s,hit_ratio>10%', '--json', json, '--hgrm', hgrm, '--report', report);
    expect(code).toBe(0);
    expect(stdout).toMatch(/throughput\s+\d+\.\d ops\/s achieved/);
    expect(stdout).toMatch(/SLO p99<1s,hit_ratio>10%: MET/);
    const result = JSON.parse(fs.readFileSync(json, 'utf8'));
    for (const field of ['target_rate', 'achieved_rate', 'ops', 'errors', 'error_rate', 'duration_s', 'latency_ms', 'service_time_ms', 'hit_ratio', 'slo', 'histogram']) {
      expect(result).toHaveProperty(field);
    }
    expect(Object.keys(result.latency_ms)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p99_9', 'max']));
    expect(result.slo).toMatchObject({ spec: 'p99<1s,hit_ratio>10%', passed: true });
    expect(decode(result.histogram).totalCount).toBe(result.ops);
    expect(fs.readFileSync(hgrm, 'utf8')).toMatch(/#\[Max\s+=\s+[\d.]+, Total count\s+=\s+\d+\]/);
    const html = fs.readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Latency by percentile');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });

  test('a breached SLO exits 1 and says which term failed', async () => {
    const { code, stdout } = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${server.port}`, '--rate', '500', '--duration', '1s', '--warmup', '0', '--slo', 'p50<1us,errors<1%');
    expect(code).toBe(1);
    expect(stdout).toMatch(/SLO p50<1us,errors<1%: BREACHED/);
    expect(stdout).toMatch(/p50<1us\s+[\d.]+ ms\s+0\.001 ms\s+FAIL/);
    expect(stdout).toMatch(/errors<1%\s+0\.00 %\s+1\.00 %\s+pass/);
  });

  test.each([
    [['--endpoint', 'http://x:1'], /--endpoint: invalid value "http:\/\/x:1"/],
    [['--endpoint', 'redis://127.0.0.1:1', '--slo', 'p99<5parsecs'], /--slo term: invalid value "p99<5parsecs": unknown unit "parsecs"/],
    [['--endpoint', 'redis://127.0.0.1:1', '--key-prefix', 'a*'], /--key-prefix: invalid value "a\*"/],
    [['--endpoint', 'redis://127.0.0.1:1', '--rate', '100', '--closed-loop'], /--rate: invalid value "100": a closed-loop run has no target rate/],
    [['--endpoint', 'redis://127.0.0.1:1', '--ttl', '500ms'], /--ttl: invalid value "500ms": every key the load generator writes lives at least 1 s/],
    [['--endpoint', 'redis://127.0.0.1:1', '--ratio', '1/10'], /--ratio: invalid value "1\/10": allowed is SETS:GETS/],
    [['--endpoint', 'redis://127.0.0.1:1', '--tls-insecure'], /--endpoint: invalid value "redis:\/\/127\.0\.0\.1:1": TLS options need a rediss:\/\/ endpoint/],
    [['--endpoint', 'redis://127.0.0.1:1', '--duration', '0'], /--duration: invalid value "0": allowed is a duration above 0 and at most 168 h/],
    [['--endpoint', 'redis://127.0.0.1:1', '--duration', '0s'], /--duration: invalid value "0s": allowed is a duration above 0/],
    [['--endpoint', 'redis://127.0.0.1:1', '--timeout', '0'], /--timeout: invalid value "0": allowed is a duration above 0 and at most 1 h/],
    [['--endpoint', 'redis://127.0.0.1:1', '--timeout', 'soon'], /--timeout: invalid value "soon": allowed is a number with a unit/],
    [['--endpoint', 'redis://127.0.0.1:1', '--duration', '30'], /--duration: invalid value "30": add a unit: 30s/],
    [['--endpoint', 'redis://127.0.0.1:1', '--value-size', '513MB'], /--value-size: invalid value "513MB": a value holds at most 512MB \(the engine's proto-max-bulk-len\)/],
    [['--endpoint', 'redis://127.0.0.1:1', '--value-size', '16KB-1KB'], /--value-size: invalid value "16KB-1KB": sizes must be at least 1 byte and the range must not be reversed/],
    [['--endpoint', 'redis://127.0.0.1:1', '--rate', '0'], /--rate: invalid value "0": allowed is a whole number from 1/],
    [['--endpoint', 'redis://127.0.0.1:1', '--threads', '1.5'], /--threads: invalid value "1.5": allowed is a whole number from 1 to 256/],
    [['--endpoint', 'redis://127.0.0.1:1', '--ttl-jitter', 'NaN'], /--ttl-jitter: invalid value "NaN": allowed is a fraction from 0 to 0.5/],
    [['--endpoint', 'redis://127.0.0.1:1', '--rate', '500', '--slo', 'rate>=1000'], /--slo term: invalid value "rate>=1000": can never be met: the check offers 500 requests\/s/],
    [['--endpoint', 'redis://127.0.0.1:1', '--slo', 'p99<0ms'], /--slo term: invalid value "p99<0ms": can never be met: a latency below 0 can never be measured/],
  ])('bad usage %j exits 2 naming the flag, before connecting', async (args, message) => {
    const { code, stderr } = await ectk('loadtest', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('--profile is the AWS profile, as in every command that reads AWS: a workload name there is refused, naming --workload', async () => {
    const { code, stderr } = await ectk('loadtest', '--endpoint', 'redis://127.0.0.1:1', '--profile', 'inference-cache');
    expect([code, stderr.trim()]).toEqual([2, 'ectk: --profile: invalid value "inference-cache": names the AWS profile (as in the AWS CLI); the workload is --workload inference-cache']);
  });

  test('an unknown workload is refused by the parser with the choices (exit 2)', async () => {
    const { code, stderr } = await ectk('loadtest', '--endpoint', 'redis://127.0.0.1:1', '--workload', 'bogus');
    expect(code).toBe(2);
    expect(stderr).toMatch(/argument 'bogus' is invalid. Allowed choices are get-set, inference-cache/);
  });

  test('a run in which every operation failed exits 3 whatever the SLO, and no latency term passes on it', async () => {
    // A full cache refusing every write (noeviction at maxmemory 1): inference-cache misses every GET and fails the SET.
    const full = await startRedis({ args: ['--maxmemory', '1', '--maxmemory-policy', 'noeviction'] });
    try {
      const json = path.join(dir, 'all-failed.json');
      for (const slo of [[], ['--slo', 'p99<10s']]) {
        const { code, stderr } = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${full.port}`, '--workload', 'inference-cache',
          '--rate', '100', '--duration', '1s', '--warmup', '0s', '--json', json, ...slo);
        const result = JSON.parse(fs.readFileSync(json, 'utf8'));
        expect(result.errors).toBe(result.ops);
        expect(result.errors_by_kind).toEqual({ oom: result.ops });
        expect(code).toBe(3);
        expect(stderr).toContain(`ectk: every one of the ${result.ops} operations failed (exit 3): ${result.ops} oom: OOM command not allowed`);
        if (slo.length) expect(result.slo).toMatchObject({ passed: false, checks: [{ term: 'p99<10s', actual: null, passed: false }] });
      }
    } finally {
      await full.stop();
    }
  });

  test('an unreachable endpoint exits 3', async () => {
    const port = await freePort();
    const { code, stderr } = await ectk('loadtest', '--endpoint', `redis://127.0.0.1:${port}`, '--duration', '1s');
    expect(code).toBe(3);
    expect(stderr).toMatch(new RegExp(`ectk: cannot reach redis://127\\.0\\.0\\.1:${port}`));
  });

  test('the installed entry point runs as a process: --help lists the flags and exits 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'lib', 'cli', 'ectk.ts'), 'loadtest', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--closed-loop');
    expect(run.stdout).toContain('Exit codes: 0 SLO met');
  });

  test('ectk --help and --version start without loading any AWS SDK client; a command that calls AWS loads them', () => {
    // Which modules a run loaded, read from the child's own require cache after main() returns.
    const loaded = (args: string[]) => {
      const script = `require('./lib/cli/main').main(['node', 'ectk', ...${JSON.stringify(args)}]).then((code) => {
        process.stderr.write(JSON.stringify({ code, sdk: Object.keys(require.cache).filter((k) => k.includes('@aws-sdk/client-')).length }));
      });`;
      const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
      return { stdout: run.stdout, ...(JSON.parse(run.stderr.slice(run.stderr.lastIndexOf('{'))) as { code: number; sdk: number }) };
    };
    const help = loaded(['--help']);
    expect(help).toMatchObject({ code: 0, sdk: 0 });
    expect(help.stdout).toContain('failover-drill');
    const version = loaded(['--version']);
    expect(version).toMatchObject({ code: 0, sdk: 0 });
    expect(version.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
    // The control: a command that talks to AWS (here refused by an unreachable endpoint) does load the clients.
    const aws = loaded(['alarms', 'nothing', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(aws.sdk).toBeGreaterThan(0);
  });
});
