/**
 * Three tiers, all run by `npm test` and CI (README, "Tests"):
 * - unit: no server, no subprocess: the constructs' templates, the rule pack, the catalogs, parsers and the CLI's
 *   pure parts. The inner loop: `npm run test:unit`.
 * - integration: real redis-server / valkey-server processes (standalone, cluster, TLS, ACL users, valkey-search),
 *   moto_server, and synthesis checked by cdk-nag, the rule pack and cfn-lint: `npm run test:integration`.
 * - package: the library packed and installed into a fresh CDK app, the jsii packages, the README's snippets against
 *   the published types: `npm run test:package`.
 * @type {import('jest').Config}
 */
const common = {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/env.js'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const { PACKAGE, UNIT, toRegExp } = require('./test/support/tiers');

module.exports = {
  // Synthesis and server fixtures are slow on 2-core machines; the per-test budget reflects that, not a speed claim.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: UNIT },
    { ...common, displayName: 'integration', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...[...UNIT, ...PACKAGE].map(toRegExp)] },
    { ...common, displayName: 'package', testMatch: PACKAGE },
  ],
};
