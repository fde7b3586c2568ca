import * as fs from 'fs';
import * as path from 'path';
import { lambdaBundleOptions } from '../lib/constructs/lambda-bundle';

const ROOT = path.join(__dirname, '..');

/**
 * An example Lambda of `examples/<name>/index.ts`, bundled with esbuild into `assets/examples/<name>/` for the reference
 * app, once per process. The reference app runs from this repository's checkout, where esbuild is installed; the
 * construct library never bundles at a user's synth.
 */
const built = new Map<string, string>();

export function exampleBundle(name: string): string {
  const done = built.get(name);
  if (done) return done;
  const outdir = path.join(ROOT, 'assets', 'examples', name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  esbuild.buildSync({ ...lambdaBundleOptions(ROOT), entryPoints: { index: path.join(ROOT, 'examples', name, 'index.ts') }, outdir });
  built.set(name, outdir);
  return outdir;
}
