import { Command } from 'commander';
import { EXIT } from '../catalog/errors';
import { table } from '../ops/format';
import { listRunbooks, readRunbook } from '../ops/runbooks';
import { Io } from './io';
import { withExamples } from './examples';

/** `ectk runbook [id]`: list the runbooks, or print one. */
export function runbookCommand(io: Io): Command {
  return withExamples(new Command('runbook'), [
    ['ectk runbook', 'list the runbooks'],
    ['ectk runbook memory-critical', 'print the runbook of an alarm'],
  ])
    .description('List the runbooks, or print one.')
    .argument('[id]', 'runbook (alarm) id, e.g. memory-high')
    .action((id?: string) => {
      if (id) io.out(readRunbook(id));
      else io.out(`${table(['runbook', 'severity', 'what fired'], listRunbooks().map((r) => [r.id, r.severity, r.title.length > 90 ? `${r.title.slice(0, 87)}...` : r.title]))}\n`);
      process.exitCode = EXIT.met;
    });
}
