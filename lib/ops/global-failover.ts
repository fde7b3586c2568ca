import { ElastiCacheClient, FailoverGlobalReplicationGroupCommand, GlobalReplicationGroup } from '@aws-sdk/client-elasticache';
import { call, CheckFailed } from './aws';
import { describeGlobalDatastore } from './describe';
import { DrillOptions, DrillResult, drillTimeline, Preflight, PreflightCheck } from './failover';

/** The member to promote, by replication group id and Region. */
export interface GlobalPromotion {
  readonly replicationGroupId: string;
  readonly region: string;
}

/**
 * Checks that promoting a secondary is possible and makes sense: the global datastore is available, the member exists
 * in that Region as a SECONDARY, and every member is associated (docs/aws-facts.md, "Global Datastore").
 */
export async function globalPreflight(ec: ElastiCacheClient, globalId: string, promote: GlobalPromotion): Promise<Omit<Preflight, 'group' | 'budgetUsed'> & { global: GlobalReplicationGroup }> {
  const global = await describeGlobalDatastore(ec, globalId);
  if (!global) throw new CheckFailed(`no global datastore named ${JSON.stringify(globalId)}`);
  const members = global.Members ?? [];
  const member = members.find((m) => m.ReplicationGroupId === promote.replicationGroupId && m.ReplicationGroupRegion === promote.region);
  const listed = members.map((m) => `${m.ReplicationGroupId} (${m.ReplicationGroupRegion}, ${m.Role?.toLowerCase()}, ${m.Status})`).join(', ');
  const checks: PreflightCheck[] = [
    { check: 'global datastore available', ok: global.Status === 'available', detail: `status ${global.Status}` },
    {
      check: `${promote.replicationGroupId} is a secondary in ${promote.region}`, ok: member?.Role === 'SECONDARY',
      detail: member ? `role ${member.Role}` : `not a member; members are ${listed || 'none'}`,
    },
    {
      check: 'every member associated', ok: members.length > 1 && members.every((m) => m.Status === 'associated'),
      detail: listed || 'no members',
    },
  ];
  return { global, checks, ok: checks.every((c) => c.ok) };
}

/**
 * Promotes a secondary to primary (FailoverGlobalReplicationGroup) and follows the global datastore until that member
 * is the PRIMARY and the datastore is available again (or the timeout passes).
 */
export async function runGlobalFailover(
  ec: ElastiCacheClient, globalId: string, promote: GlobalPromotion,
  options: DrillOptions = {},
): Promise<DrillResult> {
  const { now, started, timeline, add } = drillTimeline(options);
  await call('elasticache:FailoverGlobalReplicationGroup', () => ec.send(new FailoverGlobalReplicationGroupCommand({
    GlobalReplicationGroupId: globalId, PrimaryRegion: promote.region, PrimaryReplicationGroupId: promote.replicationGroupId,
  })));
  add('drill', `FailoverGlobalReplicationGroup called: ${promote.replicationGroupId} in ${promote.region} to become the primary of ${globalId}`, started);
  let state = '';
  let promotedAt: number | null = null;
  const deadline = started + (options.timeoutMs ?? 30 * 60_000);
  while (now() < deadline) {
    const global = await describeGlobalDatastore(ec, globalId);
    const member = global?.Members?.find((m) => m.ReplicationGroupId === promote.replicationGroupId);
    const seen = `${global?.Status} / ${promote.replicationGroupId} ${member?.Role?.toLowerCase()} ${member?.Status}`;
    if (seen !== state) {
      state = seen;
      add('status', `global datastore ${global?.Status}; ${promote.replicationGroupId} is ${member?.Role?.toLowerCase() ?? 'not a member'} (${member?.Status ?? 'unknown'})`);
    }
    if (member?.Role === 'PRIMARY' && promotedAt === null) promotedAt = now();
    if (promotedAt !== null && global?.Status === 'available') break;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 5000));
  }
  const end = now();
  const completed = promotedAt !== null && state.startsWith('available');
  return {
    group: globalId, shard: `${promote.replicationGroupId}@${promote.region}`, started_at: new Date(started).toISOString(), completed,
    duration_s: Math.round((end - started) / 100) / 10, failover_s: promotedAt === null ? null : Math.round((promotedAt - started) / 100) / 10, timeline,
  };
}
