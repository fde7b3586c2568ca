/**
 * The installed `ectk` writing into a pipe whose reader is gone (`ectk ... | head`): it ends quietly, without an
 * unhandled EPIPE and its stack trace. The pipe's read end is closed before ectk starts, so every write fails.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ECTK = path.join(__dirname, '..', '..', 'packages', 'runtime', 'dist', 'cli', 'ectk.js');

test.each([['--help'], ['status', '--help'], ['runbook', 'memory-high']])('ectk %s ... into a closed pipe exits 0 and prints no error', (...args) => {
  const script = [
    'import os, subprocess, sys',
    'r, w = os.pipe()',
    'os.close(r)',
    'p = subprocess.run([sys.argv[1], *sys.argv[2:]], stdout=w, stderr=subprocess.PIPE)',
    'sys.stdout.write(f"{p.returncode}\\n{p.stderr.decode()}")',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, process.execPath, ECTK, ...args], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  const [code, ...stderr] = run.stdout.split('\n');
  expect(stderr.join('\n')).toBe('');
  expect(code).toBe('0');
});
