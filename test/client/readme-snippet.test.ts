/**
 * The README's connect() snippet (the ```typescript block: run-time code, not part of the CDK app the ```ts blocks
 * make) type-checks against the client as published: its import path resolves to lib/client through the runtime
 * package's `exports`, and the snippet compiles without errors.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('the README\'s connect() snippet compiles against the client\'s types', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```typescript\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  const runtime = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', 'runtime', 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> };
  expect(runtime.exports['./client'].types).toBe('./dist/client/index.d.ts');
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'client', '.snippet-'));
  try {
    const source = blocks[0].replace("'cdk-elasticache-toolkit-runtime/client'", JSON.stringify(path.relative(dir, path.join(ROOT, 'lib', 'client', 'index'))));
    fs.writeFileSync(path.join(dir, 'snippet.ts'), `declare function computeFeatures(id: string): Promise<string>;\n${source}`);
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs',
      '--esModuleInterop', '--skipLibCheck', '--types', 'node', path.join(dir, 'snippet.ts')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
