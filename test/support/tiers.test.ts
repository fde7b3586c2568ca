/**
 * The tiers of jest.config.js say what they hold: a unit test starts no server, moto or cfn-lint (so the inner loop
 * stays fast and needs nothing installed), and every test that does sits in the integration or package tier.
 */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PACKAGE, UNIT, toRegExp } = require('./tiers') as { PACKAGE: string[]; UNIT: string[]; toRegExp: (glob: string) => string };

const ROOT = path.join(__dirname, '..', '..');
/** What marks a test that needs more than the Node process: servers, moto, cfn-lint, a subprocess. */
const NEEDS_MORE = /\b(startRedis|startCluster|startMoto|describeWithSearch|startThrottleProxy|cfnLintErrors|checkedSynth|synthWithReport|spawn|spawnSync|execFileSync)\b/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(full) : e.name.endsWith('.test.ts') ? [`/${path.relative(ROOT, full)}`] : [];
  });
}

const matches = (globs: string[], file: string) => globs.some((g) => new RegExp(`^${toRegExp(g)}$`).test(file));

test('unit tests need nothing but Node; tests that need more are not in the unit tier', () => {
  const files = testFiles(path.join(ROOT, 'test'));
  const unit = files.filter((f) => matches(UNIT, f));
  expect(unit.length).toBeGreaterThan(15);
  const heavyUnits = unit.filter((f) => f !== '/test/support/tiers.test.ts' && NEEDS_MORE.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(heavyUnits).toEqual([]);
  const integration = files.filter((f) => !matches(UNIT, f) && !matches(PACKAGE, f));
  const lightIntegration = integration.filter((f) => !NEEDS_MORE.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  // Every integration test needs a server, moto, cfn-lint or a subprocess; one that does not belongs in the unit tier.
  expect(lightIntegration).toEqual([]);
  expect(files.filter((f) => matches(PACKAGE, f))).toEqual(expect.arrayContaining(['/test/package/consumer.test.ts', '/test/package/jsii.test.ts']));
});
