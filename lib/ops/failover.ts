import {
  DescribeEventsCommand, ElastiCacheClient, Event, ReplicationGroup, TestFailoverCommand,
} from '@aws-sdk/client-elasticache';
import { call, CheckFailed } from './aws';
import { describeReplicationGroup } from './describe';

/** TestFailover budget (docs/aws-facts.md, "TestFailover"): at most 15 shards per rolling 24 hours per account and region. */
export const TEST_FAILOVER_BUDGET = 15;

export interface PreflightCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Preflight {
  readonly group: ReplicationGroup;
  readonly checks: PreflightCheck[];
  readonly budgetUsed: number;
  readonly ok: boolean;
}

/** A TestFailover call in an event message ("Test Failover API called for node group 0001"). */
const TEST_FAILOVER_EVENT = /test\s*failover api called/i;

async function events(ec: ElastiCacheClient, params: { StartTime?: Date; Duration?: number; SourceIdentifier?: string }): Promise<Event[]> {
  const out: Event[] = [];
  let Marker: string | undefined;
  do {
    const page = await call('elasticache:DescribeEvents', () => ec.send(new DescribeEventsCommand({ ...params, MaxRecords: 100, Marker })));
    out.push(...(page.Events ?? []));
    Marker = page.Marker;
  } while (Marker);
  return out;
}

/** Checks that a drill on one shard is safe and allowed: available, Multi-AZ, a replica in the shard, budget left. */
export async function preflight(ec: ElastiCacheClient, groupId: string, shardId: string): Promise<Preflight> {
  const group = await describeReplicationGroup(ec, groupId);
  if (!group) throw new CheckFailed(`no replication group named ${JSON.stringify(groupId)}`);
  const shard = group.NodeGroups?.find((ng) => ng.NodeGroupId === shardId);
  const replicas = (shard?.NodeGroupMembers?.length ?? 0) - 1;
  const recent = await events(ec, { Duration: 24 * 60 });
  const budgetUsed = recent.filter((e) => TEST_FAILOVER_EVENT.test(e.Message ?? '')).length;
  const checks: PreflightCheck[] = [
    { check: 'group available', ok: group.Status === 'available', detail: `status ${group.Status}` },
    { check: 'Multi-AZ', ok: group.MultiAZ === 'enabled', detail: `MultiAZ ${group.MultiAZ ?? 'unknown'}, automatic failover ${group.AutomaticFailover ?? 'unknown'}` },
    {
      check: `shard ${shardId} has a replica`, ok: shard !== undefined && replicas >= 1,
      detail: shard ? `${replicas} replica(s)` : `no shard ${shardId}; shards are ${(group.NodeGroups ?? []).map((n) => n.NodeGroupId).join(', ')}`,
    },
    {
      check: 'TestFailover budget', ok: budgetUsed < TEST_FAILOVER_BUDGET,
      detail: `${budgetUsed} of ${TEST_FAILOVER_BUDGET} shard failovers used in the last 24 h (account and region)`,
    },
  ];
  return { group, checks, budgetUsed, ok: checks.every((c) => c.ok) };
}

export interface TimelineEntry {
  readonly at: string;
  /** Seconds since the drill started. */
  readonly offset_s: number;
  readonly source: 'event' | 'status' | 'drill';
  readonly message: string;
}

export interface DrillResult {
  readonly group: string;
  readonly shard: string;
  readonly started_at: string;
  readonly completed: boolean;
  readonly duration_s: number;
  /** Seconds from the call to the event that reports the failover done, or null. */
  readonly failover_s: number | null;
  readonly timeline: TimelineEntry[];
}

/** How a drill is followed: poll interval, timeout, a callback per timeline entry, and the clock. */
export interface DrillOptions {
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  readonly onEntry?: (e: TimelineEntry) => void;
  readonly now?: () => number;
}

/** A drill's clock and timeline: `add` records an entry (offset from the start) and passes it to `onEntry`. */
export function drillTimeline(options: DrillOptions) {
  const now = options.now ?? Date.now;
  const started = now();
  const timeline: TimelineEntry[] = [];
  const add = (source: TimelineEntry['source'], message: string, at = now()) => {
    const entry = { at: new Date(at).toISOString(), offset_s: Math.round((at - started) / 100) / 10, source, message };
    timeline.push(entry);
    options.onEntry?.(entry);
  };
  return { now, started, timeline, add };
}

const COMPLETED_EVENT = /failover.*(complete|finished)|finished recovery|recovery.*complete/i;

/**
 * Calls TestFailover on one shard and follows it: new events and status changes of the group, until an event says the
 * failover completed and the group is available again (or the timeout passes).
 */
export async function runFailoverDrill(
  ec: ElastiCacheClient, groupId: string, shardId: string,
  options: DrillOptions = {},
): Promise<DrillResult> {
  const { now, started, timeline, add } = drillTimeline(options);
  await call('elasticache:TestFailover', () => ec.send(new TestFailoverCommand({ ReplicationGroupId: groupId, NodeGroupId: shardId })));
  add('drill', `TestFailover called for ${groupId} shard ${shardId}`, started);
  const seen = new Set<string>();
  let status = '';
  let completedAt: number | null = null;
  const deadline = started + (options.timeoutMs ?? 30 * 60_000);
  while (now() < deadline) {
    for (const e of (await events(ec, { StartTime: new Date(started - 60_000) })).sort((a, b) => (a.Date?.getTime() ?? 0) - (b.Date?.getTime() ?? 0))) {
      const key = `${e.Date?.toISOString()} ${e.SourceIdentifier} ${e.Message}`;
      if (seen.has(key) || (e.Date?.getTime() ?? 0) < started - 1000) continue;
      seen.add(key);
      add('event', `${e.SourceIdentifier}: ${e.Message}`, e.Date?.getTime() ?? now());
      if (COMPLETED_EVENT.test(e.Message ?? '') && completedAt === null) completedAt = e.Date?.getTime() ?? now();
    }
    const group = await describeReplicationGroup(ec, groupId);
    if (group?.Status && group.Status !== status) {
      status = group.Status;
      add('status', `replication group ${status}`);
    }
    if (completedAt !== null && status === 'available') break;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 5000));
  }
  const end = now();
  return {
    group: groupId, shard: shardId, started_at: new Date(started).toISOString(), completed: completedAt !== null && status === 'available',
    duration_s: Math.round((end - started) / 100) / 10, failover_s: completedAt === null ? null : Math.round((completedAt - started) / 100) / 10, timeline,
  };
}
