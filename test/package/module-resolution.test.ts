/**
 * `import { connect } from 'cdk-elasticache-toolkit-runtime/client'` type-checks under every `moduleResolution`
 * TypeScript supports: `node16`, `nodenext` and `bundler` read the package's `exports`; `node10` (the default of many
 * existing apps and of older `cdk init` templates) does not, and finds the subpath through `typesVersions`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, RUNTIME_PACKAGE } from './packages';

const SOURCE = `import { connect, CacheConnection } from '${RUNTIME_PACKAGE}/client';
export async function probe(): Promise<string> {
  const cache: CacheConnection = await connect();
  return String(await cache.client.ping());
}
`;

describe('the runtime package\'s client subpath under each moduleResolution', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'package', '.resolution-'));
  beforeAll(() => {
    // The package as a consumer's node_modules holds it: its package.json (exports, typesVersions) and its built dist.
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'packages', 'runtime'), path.join(dir, 'node_modules', RUNTIME_PACKAGE), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'resolution-consumer', private: true }));
    fs.writeFileSync(path.join(dir, 'index.ts'), SOURCE);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['node10', 'commonjs'], ['node16', 'node16'], ['nodenext', 'nodenext'], ['bundler', 'esnext'],
  ])('moduleResolution %s (module %s)', (resolution, module) => {
    expect(fs.existsSync(path.join(ROOT, 'packages', 'runtime', 'dist', 'client', 'index.d.ts'))).toBe(true);
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'es2022',
      '--module', module, '--moduleResolution', resolution, '--esModuleInterop', '--skipLibCheck',
      '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--types', 'node', 'index.ts'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});
