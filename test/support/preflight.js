// Runs before the test suite: fails fast, in one line, when a tool the tests need is missing.
// `npm run test:all` (scripts/install-test-deps.sh) installs them first; `npm test` only checks.
const { spawnSync } = require('child_process');

const SETUP = 'npm run test:all installs what is missing (Debian/apt, as root or with sudo), then runs the tests';

function fail(message) {
  console.error(`${message}. ${SETUP}`);
  process.exit(1);
}

function serverMajor(command) {
  const version = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return undefined;
  return Number((/v=(\d+)/.exec(version.stdout) || [])[1]);
}

const redisMajor = serverMajor('redis-server');
if (!(redisMajor >= 7)) fail(`redis-server 7+ is required for the tests, found ${redisMajor ?? 'none'}`);
const valkeyMajor = serverMajor('valkey-server');
if (!(valkeyMajor >= 8)) fail(`valkey-server 8+ is required for the tests, found ${valkeyMajor ?? 'none'}`);

const chromium = spawnSync(process.env.CHROMIUM_PATH || 'chromium', ['--version'], { encoding: 'utf8' });
if (chromium.error || chromium.status !== 0) {
  fail('chromium is required for the report rendering test and was not found (or set CHROMIUM_PATH)');
}
for (const tool of ['cfn-lint', 'moto_server']) {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (found.status !== 0) fail(`${tool} is required for the tests and was not found on the PATH`);
}
