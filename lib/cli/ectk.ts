#!/usr/bin/env node
import { main } from './main';

// `ectk status orders | head` closes the pipe before ectk is done writing: stop quietly, as other command-line tools
// do, instead of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

main(process.argv).then((code) => { process.exitCode = code; });
