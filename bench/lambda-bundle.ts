/**
 * Size and cold-start module load time of the load-generator Lambda bundle, as built for LatencySlo, beside a variant
 * that leaves the AWS SDK v3 packages external (as if taken from the Lambda runtime). Load time is measured in a fresh
 * Node process per sample (require of index.js, timed inside the process), median of N.
 * Usage: npm run bench:lambda [-- --samples 15]. Prints a Markdown report (paste into docs/BENCHMARKS.md).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { buildLambdaBundle, LAMBDA_BUNDLE_EXTERNAL } from '../lib/constructs/lambda-bundle';

const args = process.argv.slice(2);
const i = args.indexOf('--samples');
const SAMPLES = i >= 0 ? Number(args[i + 1]) : 15;
const root = path.join(__dirname, '..');
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function loadTimesMs(file: string): number[] {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  // The external variant resolves the SDK from the project's node_modules, as the runtime would from its own.
  return Array.from({ length: SAMPLES }, () => Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })));
}

const kb = (file: string) => (fs.statSync(file).size / 1024).toFixed(0);

const bundled = fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-bundle-'));
buildLambdaBundle(root, bundled);
const external = fs.mkdtempSync(path.join(root, '.bench-external-'));
esbuild.buildSync({
  entryPoints: { index: path.join(root, 'lib/loadgen/aws/handler.ts') }, outdir: external, bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', minify: true, external: [...LAMBDA_BUNDLE_EXTERNAL, '@aws-sdk/*', '@smithy/*', '@aws-crypto/*'], logLevel: 'error',
});

const rows = [
  ['everything bundled (what LatencySlo deploys)', path.join(bundled, 'index.js')],
  ['AWS SDK v3 left external (runtime-provided)', path.join(external, 'index.js')],
].map(([name, file]) => ({ name, size: kb(file), load: median(loadTimesMs(file)) }));
fs.rmSync(external, { recursive: true, force: true });

console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; ${SAMPLES} fresh processes per row, median.\n`);
console.log('| bundle | index.js KB | worker-thread.js KB | module load ms (median) |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.size} | ${r.name.startsWith('everything') ? kb(path.join(bundled, 'worker-thread.js')) : '(same)'} | ${r.load.toFixed(1)} |`);
