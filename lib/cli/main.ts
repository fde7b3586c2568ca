import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { EXIT } from '../catalog/errors';
import { loadtestCommand } from './loadtest';
import { ClientFactory, Io } from './io';
import { onCallCommands } from './on-call-commands';
import { semanticTuneCommand } from './semantic-tune';

/** `ectk`: the toolkit's command line. Returns the process exit code. */
export async function main(argv: string[], deps: { clients?: ClientFactory; io?: Io } = {}): Promise<number> {
  const program = new Command('ectk')
    .description('cdk-elasticache-toolkit: load tests and operations for ElastiCache (Valkey / Redis OSS)')
    .version(packageVersion(), '-V, --version', 'print the version of ectk')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(loadtestCommand().exitOverride());
  for (const command of onCallCommands(deps.clients, deps.io)) program.addCommand(command.exitOverride());
  program.addCommand(semanticTuneCommand(deps.io?.out).exitOverride());
  try {
    process.exitCode = undefined;
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.met;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes are exit code 2.
      return e.exitCode === 0 ? 0 : EXIT.usage;
    }
    const error = e as Error & { exitCode?: number };
    process.stderr.write(`ectk: ${error.message}\n`);
    return error.exitCode ?? EXIT.unreachable;
  }
}

/** The version of the package ectk runs from: the nearest package.json above this file. */
export function packageVersion(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) throw new Error(`ectk: no package.json above ${start}`);
  }
}
