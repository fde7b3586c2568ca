/**
 * The construct library and the CLI the way users get them: packed, installed from the tarballs into a fresh CDK app
 * (written the way `cdk init app --language typescript` wrote one that runs with ts-node) and into a global prefix.
 * Needs `npm run build` first (npm test runs it) and the npm registry or cache for the dependencies.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/cdk';
import { RedisServer, startRedis } from '../support/redis';
import { foldersNamed, npmInstall, packBoth, ROOT, RUNTIME_PACKAGE, tarballFiles, Tarballs } from './packages';
import { readmeApp } from './readme-app';

jest.setTimeout(600_000);

const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string; devDependencies: Record<string, string>;
};
const versionOf = (name: string) => `${name}@${rootPackage.devDependencies[name]}`;

let tarballs: Tarballs;
const folders: string[] = [];
beforeAll(() => {
  tarballs = packBoth();
  folders.push(tarballs.dir);
});
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tarballs', () => {
  test('the construct library ships compiled code, its jsii assembly, the prebuilt Lambda bundle, runbooks, README, LICENSE, API.md and nothing else', () => {
    const files = tarballFiles(tarballs.library);
    const allowed = [
      /^package\.json$/, /^README\.md$/, /^LICENSE$/, /^API\.md$/, /^\.jsii$/,
      /^dist\/lib\/.+\.(js|d\.ts)$/, /^assets\/lambda\/(index|worker-thread|vector-indexes)\.js(\.map)?$/, /^runbooks\/([a-z0-9-]+|README)\.md$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    for (const needed of ['dist/lib/index.js', 'dist/lib/index.d.ts', '.jsii', 'assets/lambda/index.js', 'assets/lambda/worker-thread.js', 'assets/lambda/vector-indexes.js',
      'runbooks/README.md', 'runbooks/memory-high.md', 'LICENSE', 'README.md', 'API.md']) {
      expect(files).toContain(needed);
    }
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  });

  test('the runtime package ships the CLI, the client, the load generator, ops and the catalog, compiled, with its runbooks', () => {
    const files = tarballFiles(tarballs.runtime);
    const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(catalog|client|loadgen|ops|cli|util)\/.+\.(js|d\.ts)$/, /^runbooks\/([a-z0-9-]+|README)\.md$/];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/cli/ectk.js', 'dist/client/index.js', 'dist/client/index.d.ts', 'dist/loadgen/worker-thread.js', 'runbooks/README.md', 'README.md', 'LICENSE']));
    // The Lambda handler is the construct library's prebuilt bundle; the runtime package has no use for it.
    expect(files.filter((f) => f.startsWith('dist/loadgen/aws/'))).toEqual([]);
  });
});

describe('a fresh CDK app (cdk init, ts-node) installs the library from its tarball', () => {
  let appDir: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    appDir = tempDir('ectk-consumer-');
    folders.push(appDir);
    const init = path.join(ROOT, 'node_modules', 'aws-cdk', 'lib', 'init-templates', 'app', 'typescript');
    // The init template's compiler options; only the type roots differ (this app has no jest).
    const tsconfig = JSON.parse(fs.readFileSync(path.join(init, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.types = ['node'];
    fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.1.0', private: true }, null, 2));
    fs.writeFileSync(path.join(appDir, 'cdk.json'), JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/consumer.ts' }, null, 2));
    const { entry, stack } = readmeApp();
    fs.mkdirSync(path.join(appDir, 'bin'));
    fs.mkdirSync(path.join(appDir, 'lib'));
    fs.writeFileSync(path.join(appDir, 'bin', 'consumer.ts'), entry);
    fs.writeFileSync(path.join(appDir, 'lib', 'readme-stack.ts'), stack);
    npmInstall(appDir, [tarballs.library, versionOf('aws-cdk-lib'), versionOf('constructs'), versionOf('cdk-nag'),
      versionOf('ts-node'), versionOf('typescript'), versionOf('@types/node')]);
    result = synth(appDir, 'cdk.out');
  });

  /** Runs the app the way its cdk.json says; the CDK CLI would set CDK_OUTDIR the same way. */
  function synth(dir: string, outdir: string, env: Record<string, string> = {}) {
    return spawnSync('npx', ['ts-node', '--prefer-ts-exts', 'bin/consumer.ts'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: path.join(dir, outdir), JSII_DEPRECATED: 'fail', ...env },
    });
  }

  function findings(outdir: string): string[] {
    const report = JSON.parse(fs.readFileSync(path.join(appDir, outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
    };
    return report.pluginReports.flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)));
  }

  test('the install brings no esbuild: a synth that bundled would fail', () => {
    expect(fs.existsSync(path.join(appDir, 'node_modules', 'cdk-elasticache-toolkit', '.jsii'))).toBe(true);
    expect(fs.existsSync(path.join(appDir, 'node_modules', 'esbuild'))).toBe(false);
  });

  test('the README snippets compile and synthesize with cdk-nag AwsSolutions and the ElastiCache rule pack: no finding', () => {
    // The exit status alone would hide why: the compiler's or the synth's own words are the failure message.
    if (result.status !== 0) throw new Error(`the consumer app exited ${result.status}:\n${String(result.stderr).slice(-4000)}`);
    expect(findings('cdk.out')).toEqual([]);
  });

  test('the same app with a finding planted for each pack fails its synth and reports both: the checks did run', () => {
    const control = synth(appDir, 'cdk.control', { CONSUMER_CANARY: '1' });
    expect(control.status).not.toBe(0);
    const planted = findings('cdk.control');
    expect(planted).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AwsSolutions-SNS3 Readme\/Prelude\/PlainTopic/),
      expect.stringMatching(/^ElastiCache-UserGroupValkeyPasswordless Readme\/Prelude\/OpenGroup/),
    ]));
    expect(planted.filter((f) => !f.includes('/Prelude/Plain') && !f.includes('/Prelude/Open'))).toEqual([]);
  });

  test('what the snippets build is in the template: both caches, the imported cache\'s alarms, the SLO gate and fan-out, and the prebuilt bundle', () => {
    const template = JSON.parse(fs.readFileSync(path.join(appDir, 'cdk.out', 'Readme.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    const count = (type: string) => types.filter((t) => t === type).length;
    expect(count('AWS::ElastiCache::ServerlessCache')).toBe(1);
    expect(count('AWS::ElastiCache::ReplicationGroup')).toBeGreaterThanOrEqual(2);
    expect(count('AWS::StepFunctions::StateMachine')).toBe(1);
    expect(count('Custom::Trigger')).toBe(1);
    const alarmNames = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => String(r.Properties?.AlarmName));
    expect(alarmNames.some((n) => n.startsWith('legacy-memory-high'))).toBe(true);
    // The Lambda asset is the bundle the package shipped, copied as it is.
    const assets = JSON.parse(fs.readFileSync(path.join(appDir, 'cdk.out', 'Readme.assets.json'), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const shipped = fs.readFileSync(path.join(appDir, 'node_modules', 'cdk-elasticache-toolkit', 'assets', 'lambda', 'index.js'));
    const bundles = Object.values(assets.files).map((f) => path.join(appDir, 'cdk.out', f.source.path))
      .filter((dir) => fs.existsSync(path.join(dir, 'worker-thread.js'))).map((dir) => path.join(dir, 'index.js'));
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) expect(fs.readFileSync(bundle).equals(shipped)).toBe(true);
  });
});

describe('the CLI installs globally from its tarball, without the CDK', () => {
  let prefix: string;
  let redis: RedisServer;
  const ectk = () => path.join(prefix, 'bin', 'ectk');

  beforeAll(async () => {
    prefix = tempDir('ectk-global-');
    folders.push(prefix);
    npmInstall(prefix, ['-g', '--prefix', prefix, tarballs.runtime]);
    redis = await startRedis();
  });
  afterAll(async () => { await redis?.stop(); });

  test('ectk --version prints the package version; its dependency tree holds neither aws-cdk-lib nor constructs', () => {
    expect(execFileSync(ectk(), ['--version'], { encoding: 'utf8' }).trim()).toBe(rootPackage.version);
    const installed = path.join(prefix, 'lib', 'node_modules', RUNTIME_PACKAGE);
    expect(fs.existsSync(installed)).toBe(true);
    expect(foldersNamed(path.join(prefix, 'lib'), 'aws-cdk-lib')).toEqual([]);
    expect(foldersNamed(path.join(prefix, 'lib'), 'constructs')).toEqual([]);
  });

  test('applications import connect() from cdk-elasticache-toolkit-runtime/client, without the CDK', () => {
    const probe = 'const c = require("cdk-elasticache-toolkit-runtime/client"); ' +
      'console.log([typeof c.connect, typeof c.parseContract, c.CONTRACT_VERSION, Object.keys(require.cache).some((f) => f.includes("aws-cdk-lib"))].join(" "))';
    const out = execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(prefix, 'lib', 'node_modules') } });
    expect(out.trim()).toBe('function function 1 false');
  });

  test('a short ectk loadtest against a local redis-server meets its SLO, and ectk runbook finds the shipped runbooks', () => {
    const dir = tempDir('ectk-global-run-');
    folders.push(dir);
    const json = path.join(dir, 'result.json');
    const run = spawnSync(ectk(), ['loadtest', '--endpoint', `redis://127.0.0.1:${redis.port}`, '--rate', '200', '--duration', '2s', '--warmup', '0s',
      '--slo', 'errors<1%', '--json', json], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(fs.readFileSync(json, 'utf8')) as { ops: number; errors: number; slo: { passed: boolean } };
    expect(result.ops).toBeGreaterThan(300);
    expect(result.errors).toBe(0);
    expect(result.slo.passed).toBe(true);
    expect(execFileSync(ectk(), ['runbook', 'memory-high'], { encoding: 'utf8' })).toMatch(/^# /);
  });
});
