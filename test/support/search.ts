/**
 * The vector-search engine the FT tests run on: valkey-search 1.0.3 and the valkey-server 8.0.1 it loads into, from
 * `../shared/engines/valkey-search/` beside the repository, or wherever VALKEY_SEARCH_SERVER and VALKEY_SEARCH_MODULE
 * point. Where it cannot run (absent, or a CPU without AVX2, which the module is compiled for), `describeWithSearch`
 * skips its tests and says why in one line; an engine that is present but cannot load (a missing library) fails them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The coordinator's gRPC port is the node's port plus this (valkey-search's default). */
export const COORDINATOR_PORT_OFFSET = 20294;

export interface SearchEngine {
  readonly server: string;
  readonly module: string;
}

const SHARED = path.resolve(__dirname, '../../../shared/engines/valkey-search');
const HOW = 'set VALKEY_SEARCH_SERVER and VALKEY_SEARCH_MODULE to a valkey-server and a valkey-search libsearch.so';

let found: SearchEngine | { reason: string } | undefined;

/** The engine, or why it cannot run here. */
export function searchEngine(): SearchEngine | { reason: string } {
  if (found) return found;
  const server = process.env.VALKEY_SEARCH_SERVER ?? path.join(SHARED, 'valkey-server');
  const module = process.env.VALKEY_SEARCH_MODULE ?? path.join(SHARED, 'libsearch.so');
  const missing = [server, module].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    found = { reason: `no vector-search engine at ${missing.join(' and ')}; ${HOW}` };
  } else if (process.platform === 'linux' && !/\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) {
    found = { reason: `this CPU has no AVX2, which the valkey-search module at ${module} needs; ${HOW} to a build for this CPU` };
  } else {
    found = { server, module };
  }
  return found;
}

/** The engine; throws where it cannot run (callers are inside `describeWithSearch`). */
export function requireSearchEngine(): SearchEngine {
  const engine = searchEngine();
  if ('reason' in engine) throw new Error(engine.reason);
  const unresolved = execFileSync('ldd', [engine.module], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('not found'));
  if (unresolved.length) {
    throw new Error(`the valkey-search module cannot load: ${unresolved.map((l) => l.trim()).join('; ')} (npm run test:all installs its libraries)`);
  }
  return engine;
}

let said = false;

/** `describe` where the engine can run; elsewhere `describe.skip`, with the reason printed once per test file. */
export function describeWithSearch(name: string, body: () => void): void {
  const engine = searchEngine();
  if (!('reason' in engine)) {
    describe(name, body);
    return;
  }
  if (!said) process.stderr.write(`vector-search tests skipped: ${engine.reason}\n`);
  said = true;
  describe.skip(`${name} (skipped: ${engine.reason})`, body);
}
