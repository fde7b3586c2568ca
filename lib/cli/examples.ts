import { Command } from 'commander';

/**
 * Ends a command's `--help` with the invocations people actually type, copy-paste ready (`ectk <command> ...`). A test
 * checks every flag they use against the command's options.
 */
export function withExamples(command: Command, examples: ReadonlyArray<readonly [invocation: string, what: string]>): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map(([invocation, what]) => `  # ${what}\n  $ ${invocation}`).join('\n')}`);
}
