import { Command } from 'commander';
import { loadtestCommand } from '../../lib/cli/loadtest';
import { onCallCommands } from '../../lib/cli/on-call-commands';
import { semanticTuneCommand } from '../../lib/cli/semantic-tune';

/** Every command's `--help` ends with examples a person can paste, using only flags the command has. */
const commands = [loadtestCommand(), ...onCallCommands(), semanticTuneCommand()];

function helpOf(command: Command): string {
  let out = '';
  command.configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { out += s; } });
  command.outputHelp();
  return out;
}

describe('ectk --help', () => {
  test('names every command', () => {
    expect(commands.map((c) => c.name()).sort()).toEqual(['alarms', 'analyze', 'failover-drill', 'loadtest', 'runbook', 'semantic-tune', 'snapshot', 'status']);
  });

  test.each(commands.map((c) => [c.name(), c] as const))('%s: descriptions break lines only between sentences (commander wraps the rest)', (_name, command) => {
    // A hard line break inside a sentence lands mid-line or mid-sentence at any terminal width but the one it was
    // written for: "... SCAN (never KEYS), TYPE,\nPTTL and ..." read as two ragged lines in an 80-column terminal.
    const texts = [command.description(), ...command.options.map((o) => o.description), ...command.registeredArguments.map((a) => a.description)];
    for (const text of texts) for (const line of text.split('\n').slice(0, -1)) expect([line, /[.:]$/.test(line)]).toEqual([line, true]);
  });

  test.each(commands.map((c) => [c.name(), c] as const))('%s ends with at least two examples that use only its own flags', (name, command) => {
    const help = helpOf(command);
    const tail = help.slice(help.lastIndexOf('\nExamples:\n'));
    expect(help.lastIndexOf('\nExamples:\n')).toBeGreaterThan(0);
    const invocations = [...tail.matchAll(/^ {2}\$ (.+)$/gm)].map((m) => m[1]);
    expect(invocations.length).toBeGreaterThanOrEqual(2);
    const flags = new Set(command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined));
    for (const invocation of invocations) {
      expect(invocation.startsWith(`ectk ${name}`)).toBe(true);
      const unknown = [...invocation.matchAll(/(?<=\s)--?[a-z][a-z-]*/g)].map((m) => m[0]).filter((f) => !flags.has(f));
      expect([invocation, unknown]).toEqual([invocation, []]);
    }
    // Nothing follows the examples: they are what a reader sees last.
    expect(help.trimEnd().endsWith(invocations[invocations.length - 1])).toBe(true);
  });
});
