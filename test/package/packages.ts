/**
 * The two packages as users get them: `npm pack` of the construct library (the repository root) and of the runtime
 * package (packages/runtime), from the build that `npm test` runs first. Packed once per test file into a temporary
 * folder that the file removes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/cdk';

export const ROOT = path.join(__dirname, '..', '..');
export const RUNTIME_PACKAGE = 'cdk-elasticache-toolkit-runtime';

export interface Tarballs {
  readonly dir: string;
  readonly library: string;
  readonly runtime: string;
}

function pack(dir: string, workspace?: string): string {
  const args = ['pack', '--pack-destination', dir, '--json', ...(workspace ? ['-w', workspace] : [])];
  const out = JSON.parse(execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>;
  return path.join(dir, out[0].filename);
}

export function packBoth(): Tarballs {
  for (const built of ['.jsii', 'dist/lib/index.js', 'assets/lambda/index.js', 'packages/runtime/dist/cli/ectk.js']) {
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  const dir = tempDir('ectk-pack-');
  return { dir, library: pack(dir), runtime: pack(dir, RUNTIME_PACKAGE) };
}

/** The files in a tarball, without the leading `package/`. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

/** npm install into `cwd` from the local npm cache where it can (the test machine may be offline except for npm). */
export function npmInstall(cwd: string, args: string[]): void {
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', ...args], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Every folder named `name` under `dir` (node_modules included): how the tests see what an install pulled in. */
export function foldersNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
      const full = path.join(d, entry.name);
      if (entry.name === name) found.push(full);
      else walk(full);
    }
  };
  walk(dir);
  return found;
}
