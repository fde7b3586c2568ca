/**
 * Which test files belong to which tier (jest.config.js builds its projects from these lists; tiers.test.ts checks
 * them against what each file does). Paths are globs under the repository root.
 */

/** The package tier: the packed library in a fresh CDK app, the jsii packages, the README's snippets. */
const PACKAGE = ['<rootDir>/test/package/**/*.test.ts', '<rootDir>/test/client/readme-snippet.test.ts'];

/** The unit tier: no server, no moto, no cfn-lint, no subprocess. */
const UNIT = [
  '<rootDir>/test/constructs/{alarm-catalog,auth,auto-scaling,cache-alarms,cache-dashboard,cluster-cache,facts,jsdoc,latency-slo,metrics,runbooks,serverless-cache,validation}.test.ts',
  '<rootDir>/test/rules/**/*.test.ts',
  '<rootDir>/test/loadgen/{basics,slo,engine-parts}.test.ts',
  '<rootDir>/test/client/{contract,iam-token,hyperplanes}.test.ts',
  '<rootDir>/test/cli/{semantic-tune,help}.test.ts',
  '<rootDir>/test/support/tiers.test.ts',
];

/** A glob of the lists above as a path regexp (for testPathIgnorePatterns, and for the check). */
function toRegExp(glob) {
  return glob.replace('<rootDir>', '').replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\{([^}]*)\}/g, (_, alts) => `(${alts.split(',').join('|')})`)
    .replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*');
}

module.exports = { PACKAGE, UNIT, toRegExp };
