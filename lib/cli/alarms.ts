import { Command } from 'commander';
import { EXIT } from '../catalog/errors';
import { AwsOptions } from '../ops/aws';
import { table } from '../ops/format';
import { parseSeconds } from '../util/units';
import type { AlarmState } from '../ops/watch';
import { awsOptions, ClientFactory, Io, withAws, writeJson } from './io';
import { withExamples } from './examples';

const watchOps = () => import('../ops/watch');

/** `ectk alarms <name>`: the alarms of a cache, with their state history on request. */
export function alarmsCommand(clients: ClientFactory, io: Io): Command {
  return withExamples(withAws(new Command('alarms')), [
    ['ectk alarms ectk-features', 'every alarm of the cache: state, reason, since when, runbook'],
    ['ectk alarms ectk-features --history 24h', 'and their state changes over the last day'],
  ])
    .description('The alarms of a cache: state, reason, since when, runbook; state history on request.\n' +
      'Exit codes: 0 none in ALARM, 1 at least one in ALARM, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'cache name (alarms are named <name>-<alarm id>)')
    .option('--history <time>', 'also list state changes in this window, e.g. 24h')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { history?: string; json?: string | boolean } & AwsOptions) => {
      const historyS = flags.history ? parseSeconds('--history', flags.history) : undefined;
      const aws = clients(awsOptions(flags));
      const { alarmHistory, cacheAlarms } = await watchOps();
      const list = await cacheAlarms(aws.cloudwatch, name);
      const history = historyS ? await alarmHistory(aws.cloudwatch, list.map((a) => a.name), historyS) : undefined;
      const toStdout = writeJson(io, flags.json, { alarms: list, history });
      if (!toStdout) {
        io.out(`${list.length ? alarmTable(list) : `no alarms named ${name}-*`}\n`);
        for (const a of list.filter((x) => x.state !== 'OK')) io.out(`\n${a.name}: ${a.reason}\n`);
        if (history) io.out(`\nstate changes in the last ${flags.history}\n${table(['at', 'alarm', 'change'], history.map((h) => [h.at, h.alarm, h.summary]))}\n`);
      }
      process.exitCode = list.some((a) => a.state === 'ALARM') ? EXIT.breached : EXIT.met;
    });
}

/** Alarms as a table: name, state, since when, and the runbook of those not OK. */
export function alarmTable(alarms: AlarmState[]): string {
  return table(['alarm', 'state', 'since', 'runbook'], alarms.map((a) => [a.name, a.state, a.since, a.state === 'OK' ? '' : a.runbook]));
}
