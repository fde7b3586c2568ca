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

beforeAll(() => {
  // As `npm run build:languages` does: the README's CDK snippets compiled (strict: one that does not compile fails here)
  // and translated into a tablet, then the packages generated with those translations.
  const tablet = path.join(out, 'readme.tabl.json');
  execFileSync(bin('jsii-rosetta'), ['extract', '--output', tablet], { cwd: ROOT, env: quiet, stdio: 'pipe' });
  execFileSync(bin('jsii-pacmak'), ['--code-only', '--outdir', out, '--targets', 'python', 'java', 'dotnet', 'go', '--rosetta-tablet', tablet],
    { cwd: ROOT, env: quiet, stdio: 'pipe' });
});

/** The fenced blocks of a markdown text tagged `lang`. */
const blocks = (markdown: string, lang: string) => [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** What only TypeScript looks like: a `const` declaration, an arrow, braces imported from a module, a type annotation on a declaration. */
const TYPESCRIPT = /^\s*(const|let) |=> |^import \{|\}\s*from '|: (string|number|Promise<)/m;

test('jsii-pacmak generates the Python, Java, .NET and Go packages with every public construct', () => {
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

describe('the README in the other languages: every CDK snippet translated, none left in TypeScript', () => {
  const snippets = blocks(README, 'ts');

  test('the README has CDK snippets (```ts) and Node.js-only ones (```mts), which stay TypeScript everywhere', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(6);
    expect(blocks(README, 'mts').length).toBe(2);
  });

  test('Python: one ```python block per snippet, each Python that parses (python3 -m py_compile), none from non-compiling source', () => {
    const readme = fs.readFileSync(path.join(out, 'python', 'README.md'), 'utf8');
    const python = blocks(readme, 'python');
    expect(python).toHaveLength(snippets.length);
    expect(blocks(readme, 'mts')).toHaveLength(2);
    expect(readme).not.toContain('non-compiling source');
    const dir = path.join(out, 'py-snippets');
    fs.mkdirSync(dir);
    python.forEach((code, i) => {
      expect(code).not.toMatch(TYPESCRIPT);
      const file = path.join(dir, `snippet_${i + 1}.py`);
      fs.writeFileSync(file, code);
      execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
    });
    // The construct calls read as Python: keyword arguments in snake_case.
    expect(python[0]).toMatch(/ClusterCache\(self, "FeatureCache",\n\s+vpc=vpc,\n\s+replication_group_id="features",/);
  });

  test('Go and C#: the same snippets in their languages', () => {
    const go = blocks(fs.readFileSync(path.join(out, 'go', 'cdkelasticachetoolkit', 'README.md'), 'utf8'), 'go');
    expect(go).toHaveLength(snippets.length);
    for (const code of go) expect(code).not.toMatch(/^import \{|=> /m);
    expect(go[0]).toMatch(/cdkelasticachetoolkit\.NewClusterCache\(this, jsii\.String\("FeatureCache"\), &ClusterCacheProps\{/);
    const csharp = fs.readFileSync(path.join(out, 'dotnet', 'CdkElastiCacheToolkit', 'CdkElastiCacheToolkit', 'NamespaceDoc.cs'), 'utf8');
    expect(csharp).toContain('new ClusterCache(this, "FeatureCache", new ClusterCacheProps {');
    expect(csharp).not.toContain('non-compiling source');
  });
});
