/**
 * The construct library as other languages get it: the jsii assembly that `npm run build` compiled generates Python,
 * Java, .NET and Go packages (code only: no toolchains, no publishing), and API.md, generated from the same assembly,
 * is the one committed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/cdk';
import { ROOT } from './packages';

jest.setTimeout(300_000);

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const quiet = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };
const out = tempDir('ectk-jsii-');
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

test('jsii-pacmak generates the Python, Java, .NET and Go packages with every public construct', () => {
  execFileSync(bin('jsii-pacmak'), ['--code-only', '--outdir', out, '--targets', 'python', 'java', 'dotnet', 'go'], { cwd: ROOT, env: quiet, stdio: 'pipe' });
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')) as { types: Record<string, { kind: string; name: string }> };
  const classes = Object.values(assembly.types).filter((t) => t.kind === 'class').map((t) => t.name);
  expect(classes).toEqual(expect.arrayContaining(['ServerlessCache', 'ClusterCache', 'CacheUser', 'CacheAlarms', 'CacheDashboard', 'CacheMonitoring', 'LatencySlo', 'ElastiCacheChecks']));
  const python = fs.readFileSync(path.join(out, 'python', 'src', 'cdk_elasticache_toolkit', '__init__.py'), 'utf8');
  const java = filesUnder(path.join(out, 'java'));
  const dotnet = filesUnder(path.join(out, 'dotnet'));
  const go = filesUnder(path.join(out, 'go'));
  for (const name of classes) {
    expect(python).toMatch(new RegExp(`^class ${name}\\b`, 'm'));
    expect(java.some((f) => f.endsWith(`${path.sep}${name}.java`))).toBe(true);
    expect(dotnet.some((f) => f.endsWith(`${path.sep}${name}.cs`))).toBe(true);
    expect(go.some((f) => f.endsWith(`${path.sep}${name}.go`))).toBe(true);
  }
});

test('API.md is generated from the current assembly (run `npm run build:api` after changing the public API)', () => {
  const fresh = path.join(out, 'API.md');
  execFileSync(bin('jsii-docgen'), ['--output', fresh], { cwd: ROOT, env: quiet, stdio: 'pipe' });
  const committed = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
  expect(committed === fs.readFileSync(fresh, 'utf8')).toBe(true);
});
