/**
 * What a user sees when an app with a refused prop is synthesized: the packaged library (dist/, as npm installs it)
 * in a Node process of its own, its stderr read as the terminal shows it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

test('an app that refuses to synthesize prints the message, then the app\'s own line, and no frame of the toolkit', () => {
  const app = [
    `const { App, Stack } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib'))});`,
    `const { ClusterCache } = require(${JSON.stringify(ROOT)});`,
    'const stack = new Stack(new App(), "Shop");',
    'new ClusterCache(stack, "Sessions", { nodeType: "cache.r7g.larg" });',
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', app], { encoding: 'utf8', cwd: ROOT });
  expect(run.status).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  // Node's own header (the throw site and a caret) comes first for every uncaught error, aws-cdk-lib's included; then
  // the message, then where the app passed the value.
  const at = lines.findIndex((l) => l.startsWith('ValidationError: '));
  expect(at).toBeGreaterThanOrEqual(0);
  expect(at).toBeLessThanOrEqual(3);
  expect(lines[at]).toMatch(/^ValidationError: Shop\/Sessions: invalid nodeType "cache\.r7g\.larg": .*did you mean cache\.r7g\.large\?$/);
  expect(lines[at + 1]).toMatch(/^\s+at .*\[eval\]/);
  expect(lines.slice(at + 1).filter((l) => /^\s+at /.test(l) && /dist[/\\]lib|node_modules/.test(l))).toEqual([]);
  expect(lines.slice(at + 1).filter((l) => /^\s+at /.test(l)).length).toBeLessThanOrEqual(3);
  expect(run.stderr).not.toMatch(/constructPath|\{\s*$/m);
});
