// Runs before the test suite: fails fast, in one line, when a tool the tests need is missing.
const { spawnSync } = require('child_process');

const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  console.error('redis-server 7+ is required for the tests and was not found: sudo apt-get install -y redis-server redis-tools');
  process.exit(1);
}
const major = Number((/v=(\d+)/.exec(version.stdout) || [])[1]);
if (!(major >= 7)) {
  console.error(`redis-server 7+ is required for the tests, found ${version.stdout.trim()}: sudo apt-get install -y redis-server redis-tools`);
  process.exit(1);
}

const valkey = spawnSync('valkey-server', ['--version'], { encoding: 'utf8' });
const valkeyMajor = Number((/v=(\d+)/.exec(valkey.stdout || '') || [])[1]);
if (valkey.error || !(valkeyMajor >= 8)) {
  console.error('valkey-server 8+ is required for the tests and was not found: add bookworm-backports and ' +
    'sudo apt-get install -y -t bookworm-backports valkey-server valkey-tools (bash .ci/run does both)');
  process.exit(1);
}

const chromium = spawnSync(process.env.CHROMIUM_PATH || 'chromium', ['--version'], { encoding: 'utf8' });
if (chromium.error || chromium.status !== 0) {
  console.error('chromium is required for the report rendering test and was not found: sudo apt-get install -y chromium ' +
    '(or set CHROMIUM_PATH; bash .ci/run installs it)');
  process.exit(1);
}
