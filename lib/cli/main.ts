import { Command, CommanderError } from 'commander';
import { EXIT } from '../loadgen/errors';
import { loadtestCommand } from './loadtest';
import { ClientFactory, Io, opsCommands } from './ops';

/** `ectk`: the toolkit's command line. Returns the process exit code. */
export async function main(argv: string[], deps: { clients?: ClientFactory; io?: Io } = {}): Promise<number> {
  const program = new Command('ectk')
    .description('cdk-elasticache-toolkit: load tests and operations for ElastiCache (Valkey / Redis OSS)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(loadtestCommand().exitOverride());
  for (const command of opsCommands(deps.clients, deps.io)) program.addCommand(command.exitOverride());
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
