/**
 * The README's run-time snippets (the ```mts blocks, Node.js only and so left untranslated in the other languages' READMEs: connect() and the semantic cache; not part of the CDK app
 * the ```ts blocks make) type-check against the client as published: their import path resolves to lib/client
 * through the runtime package's `exports`, and each compiles without errors.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** What the snippets call and leave to the application. */
const DECLARED = 'declare function computeFeatures(id: string): Promise<string>;\ndeclare function callModel(prompt: string): Promise<string>;\n';

test('the README\'s run-time snippets compile against the client\'s types', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```mts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(2);
  const runtime = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', 'runtime', 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
  expect(runtime.exports['./client'].types).toBe('./dist/client/index.d.ts');
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'client', '.snippet-'));
  try {
    const files = blocks.map((block, i) => {
      const source = block.replace("'cdk-elasticache-toolkit-runtime/client'", JSON.stringify(path.relative(dir, path.join(ROOT, 'lib', 'client', 'index'))));
      const file = path.join(dir, `snippet${i}.ts`);
      fs.writeFileSync(file, `${DECLARED}${source}\nexport {};\n`);
      return file;
    });
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs',
      '--esModuleInterop', '--skipLibCheck', '--types', 'node', ...files], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
