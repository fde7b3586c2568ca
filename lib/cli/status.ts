import { Command } from 'commander';
import { EXIT } from '../catalog/errors';
import type { CacheDescription } from '../ops/describe';
import { formatNumber, table } from '../ops/format';
import { parseSeconds } from '../util/units';
import { AwsOptions } from '../ops/aws';
import { alarmTable } from './alarms';
import { awsOptions, ClientFactory, Io, withAws, writeJson } from './io';
import { withExamples } from './examples';

// The AWS operations are loaded when the command runs, so that `ectk --help` starts without the AWS SDK.
const describeOps = () => import('../ops/describe');
const watchOps = () => import('../ops/watch');

/** `ectk status <name>`: configuration, recent catalog metrics and alarms of a cache. */
export function statusCommand(clients: ClientFactory, io: Io): Command {
  return withExamples(withAws(new Command('status')), [
    ['ectk status ectk-features', 'configuration, nodes, the last 15 minutes of the catalog metrics and the alarms'],
    ['ectk status ectk-features --since 1h --region eu-west-1 --json status.json', 'the last hour, in another Region, also as JSON'],
  ])
    .description('Configuration, the last minutes of the catalog metrics and the alarms of a cache.\n' +
      'Exit codes: 0 available and no alarm firing, 1 not available or an alarm in ALARM, 2 usage, 3 AWS or network error.')
    .argument('<name>', 'replication group id or serverless cache name')
    .option('--since <time>', 'metrics window', '15m')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .action(async (name: string, flags: { since: string; json?: string | boolean } & AwsOptions) => {
      const sinceS = parseSeconds('--since', flags.since);
      const aws = clients(awsOptions(flags));
      const [{ findCache }, { cacheAlarms, cacheMetrics }] = await Promise.all([describeOps(), watchOps()]);
      const cache = await findCache(aws.elasticache, name);
      const [metrics, alarms] = await Promise.all([cacheMetrics(aws.cloudwatch, cache, sinceS), cacheAlarms(aws.cloudwatch, cache.name)]);
      const firing = alarms.filter((a) => a.state === 'ALARM');
      const healthy = cache.status === 'available' && firing.length === 0;
      const toStdout = writeJson(io, flags.json, { cache, metrics, alarms, healthy });
      if (!toStdout) {
        io.out(`${describeCache(cache)}\n\nmetrics over the last ${flags.since}\n`);
        io.out(`${table(['metric', 'node', 'statistic', 'latest', 'worst', 'points'], metrics.map((m) => [m.metric, m.dimensionValue, m.statistic, formatNumber(m.latest), formatNumber(m.worst), m.datapoints]))}\n`);
        io.out(`\nalarms (${alarms.length}, ${firing.length} in ALARM)\n${alarms.length ? alarmTable(alarms) : 'none found with the prefix ' + cache.name + '-'}\n`);
      }
      process.exitCode = healthy ? EXIT.met : EXIT.breached;
    });
}

function describeCache(c: CacheDescription): string {
  const lines = [
    `${c.name}  ${c.flavour}  ${c.engine} ${c.engineVersion}  status ${c.status}`,
    `  endpoint       ${c.endpoint}${c.readerEndpoint ? `  (reader ${c.readerEndpoint})` : ''}`,
    `  node type      ${c.nodeType ?? '(serverless)'}${c.usageLimits ? `  limits: ${c.usageLimits.dataStorageGb ?? '-'} GB, ${c.usageLimits.ecpuPerSecond ?? '-'} ECPU/s` : ''}`,
    `  Multi-AZ       ${c.multiAz ? 'yes' : 'NO'}   automatic failover ${c.automaticFailover ? 'yes' : 'NO'}`,
    `  encryption     in transit ${c.encryption.inTransit ? 'yes' : 'NO'}, at rest ${c.encryption.atRest ? 'yes' : 'NO'}${c.encryption.kmsKeyId ? ` (${c.encryption.kmsKeyId})` : ''}`,
    `  backups        ${c.backups.retentionDays > 0 ? `kept ${c.backups.retentionDays} days, window ${c.backups.window ?? '-'}` : 'OFF'}`,
    `  user groups    ${c.userGroups.join(', ') || 'none'}`,
    `  eviction       ${c.evictionPolicy ?? '-'}${c.parameterGroup ? `  (parameter group ${c.parameterGroup})` : ''}`,
  ];
  if (c.global) {
    lines.push(`  global         ${c.global.id} (${c.global.status}); this cluster is the ${c.global.role.toLowerCase()}; lag: GlobalDatastoreReplicationLag below`);
    lines.push('', table(['global member', 'Region', 'role', 'status'], c.global.members.map((m) => [m.replicationGroupId, m.region, m.role.toLowerCase(), m.status])));
  }
  if (c.shards.length > 0) {
    lines.push('', table(['shard', 'node', 'role', 'AZ'], c.shards.flatMap((s) => s.nodes.map((n) => [s.id, n.id, n.role, n.availabilityZone]))));
  }
  return lines.join('\n');
}
