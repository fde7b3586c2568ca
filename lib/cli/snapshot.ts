import { Command } from 'commander';
import { EXIT } from '../catalog/errors';
import { AwsOptions } from '../ops/aws';
import { awsOptions, ClientFactory, Io, withAws, writeJson } from './io';
import { withExamples } from './examples';

const describeOps = () => import('../ops/describe');
const snapshotOps = () => import('../ops/snapshot');

/** `ectk snapshot <name>`: a manual backup, within the day's quota. */
export function snapshotCommand(clients: ClientFactory, io: Io): Command {
  return withExamples(withAws(new Command('snapshot')), [
    ['ectk snapshot ectk-features --wait', 'a manual backup, waiting until it is available'],
    ['ectk snapshot ectk-inference --name before-upgrade --json snapshot.json', 'a named backup of a serverless cache, the result as JSON'],
  ])
    .description('Take a manual backup (CreateSnapshot for a replication group, CreateServerlessCacheSnapshot for serverless).\n' +
      'Refuses when the day\'s manual-backup quota is used: 20 per node, 24 per serverless cache.\n' +
      'Exit codes: 0 started (or available with --wait), 1 refused or failed, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'replication group id or serverless cache name')
    .option('--name <snapshot>', 'snapshot name (default <cache>-manual-<UTC time>)')
    .option('--wait', 'wait until the snapshot is available, showing progress')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { name?: string; wait?: boolean; json?: string | boolean } & AwsOptions) => {
      const aws = clients(awsOptions(flags));
      const [{ findCache }, { createSnapshot, defaultSnapshotName, waitForSnapshot }] = await Promise.all([describeOps(), snapshotOps()]);
      const cache = await findCache(aws.elasticache, name);
      const snapshotName = flags.name ?? defaultSnapshotName(cache.name);
      let state = await createSnapshot(aws.elasticache, cache, snapshotName);
      if (!flags.json) io.out(`snapshot ${snapshotName} of ${cache.name}: ${state.status}\n`);
      if (flags.wait) {
        state = await waitForSnapshot(aws.elasticache, cache, snapshotName, {
          onPoll: (s, ms) => { if (io.tty && !flags.json) io.err(`\r  ${s.status} after ${Math.round(ms / 1000)} s   `); },
        });
        if (io.tty && !flags.json) io.err('\n');
        if (!flags.json) io.out(`snapshot ${snapshotName}: ${state.status}\n`);
      }
      writeJson(io, flags.json, { cache: cache.name, snapshot: state });
      process.exitCode = EXIT.met;
    });
}
