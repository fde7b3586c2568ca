import * as fs from 'fs';
import * as path from 'path';

/** Where the Lambda bundle (the SLO check's handlers and the vector-index function) is written: `<package root>/assets/lambda/`. */
export interface LambdaBundle {
  /** Directory holding `index.js` (the handlers), `worker-thread.js` and their source maps. */
  readonly directory: string;
}

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cdk-elasticache-toolkit: no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

let built: LambdaBundle | undefined;

/**
 * The Lambda bundle: the load generator's handlers and the vector-index function. In a source checkout it is built
 * with esbuild on first use in the process (about a second; minified, with source maps; the AWS SDK v3 clients are
 * bundled too, see docs/decisions/0005); a published package ships it prebuilt in `assets/lambda/`.
 */
export function lambdaBundle(): LambdaBundle {
  if (built) return built;
  const root = packageRoot();
  const directory = path.join(root, 'assets', 'lambda');
  const entry = path.join(root, 'lib', 'loadgen', 'aws', 'handler.ts');
  if (fs.existsSync(entry)) {
    buildLambdaBundle(root, directory);
  } else if (!fs.existsSync(path.join(directory, 'index.js'))) {
    throw new Error(`cdk-elasticache-toolkit: the load-generator bundle is missing from ${directory}; reinstall the package`);
  }
  built = { directory };
  return built;
}

/**
 * Left out of the Lambda bundle: node-redis serves only the pipelined closed loop (`openPipelineConnection`, loaded on
 * first use), and the Lambda handlers always run open loop. Keeping it out saves about 0.4 MB in each bundle file.
 */
export const LAMBDA_BUNDLE_EXTERNAL = ['@redis/client'];

/** Bundles the Lambda handlers and the worker-thread entry into `outdir` with esbuild. */
export function buildLambdaBundle(root: string, outdir: string): void {
  // esbuild is a build-time tool: required only here, in a source checkout where it is installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  esbuild.buildSync({
    ...lambdaBundleOptions(root),
    entryPoints: {
      index: path.join(root, 'lib', 'loadgen', 'aws', 'handler.ts'),
      'worker-thread': path.join(root, 'lib', 'loadgen', 'worker-thread.ts'),
      // The function behind ClusterCache's vectorIndexes: the same asset, another handler file.
      'vector-indexes': path.join(root, 'lib', 'ops', 'vector-index-handler.ts'),
    },
    outdir,
    external: LAMBDA_BUNDLE_EXTERNAL,
  });
}

/** How the project bundles a Node.js Lambda with esbuild: one CommonJS file per entry, minified, with source maps. */
export function lambdaBundleOptions(root: string) {
  return {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, sourcemap: true, sourcesContent: false,
    legalComments: 'none', logLevel: 'error', absWorkingDir: root,
  } as const;
}
