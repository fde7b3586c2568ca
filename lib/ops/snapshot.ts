import {
  CreateServerlessCacheSnapshotCommand, CreateSnapshotCommand, DescribeServerlessCacheSnapshotsCommand, DescribeSnapshotsCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { CacheFlavour } from '../catalog/metrics';
import { AwsError, call, CheckFailed, describeAwsError } from './aws';
import { CacheDescription } from './describe';

/**
 * Manual-backup quotas (docs/aws-facts.md, "Backups"): at most 20 manual backups per node per day for node-based caches and 24
 * per serverless cache per day.
 */
export const MANUAL_SNAPSHOTS_PER_DAY = { [CacheFlavour.CLUSTER]: 20, [CacheFlavour.SERVERLESS]: 24 } as const;

export interface SnapshotState {
  readonly name: string;
  readonly status: string;
  readonly createdAt?: string;
}

export function defaultSnapshotName(cache: string, now = new Date()): string {
  return `${cache}-manual-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase()}`;
}

/** Manual snapshots of the cache created in the 24 hours before `now`. */
export async function manualSnapshotsToday(ec: ElastiCacheClient, cache: CacheDescription, now = new Date()): Promise<number> {
  const since = now.getTime() - 24 * 3600_000;
  if (cache.flavour === CacheFlavour.SERVERLESS) {
    const r = await call('elasticache:DescribeServerlessCacheSnapshots', () => ec.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheName: cache.name, SnapshotType: 'manual' })));
    return (r.ServerlessCacheSnapshots ?? []).filter((s) => (s.CreateTime?.getTime() ?? now.getTime()) >= since).length;
  }
  const r = await call('elasticache:DescribeSnapshots', () => ec.send(new DescribeSnapshotsCommand({ ReplicationGroupId: cache.name, SnapshotSource: 'manual' })));
  return (r.Snapshots ?? []).filter((s) => {
    const created = s.NodeSnapshots?.[0]?.SnapshotCreateTime?.getTime() ?? now.getTime();
    return created >= since;
  }).length;
}

/** Starts a manual backup, refusing (with the reason) when the day's quota is used up. */
export async function createSnapshot(ec: ElastiCacheClient, cache: CacheDescription, name: string, now = new Date()): Promise<SnapshotState> {
  const quota = MANUAL_SNAPSHOTS_PER_DAY[cache.flavour];
  const taken = await manualSnapshotsToday(ec, cache, now);
  if (taken >= quota) {
    throw new CheckFailed(`${cache.name} already has ${taken} manual snapshots from the last 24 hours; ElastiCache allows ${quota} per ${cache.flavour === CacheFlavour.SERVERLESS ? 'serverless cache' : 'node'} per day. Wait, or delete old ones with aws elasticache delete-snapshot.`);
  }
  try {
    if (cache.flavour === CacheFlavour.SERVERLESS) {
      const r = await ec.send(new CreateServerlessCacheSnapshotCommand({ ServerlessCacheName: cache.name, ServerlessCacheSnapshotName: name }));
      return { name, status: r.ServerlessCacheSnapshot?.Status ?? 'creating' };
    }
    const r = await ec.send(new CreateSnapshotCommand({ ReplicationGroupId: cache.name, SnapshotName: name }));
    return { name, status: r.Snapshot?.SnapshotStatus ?? 'creating' };
  } catch (e) {
    const errorName = (e as Error).name;
    if (/SnapshotQuotaExceeded/.test(errorName)) {
      throw new AwsError(`snapshot quota exceeded (${errorName}): ElastiCache allows ${quota} manual backups per ${cache.flavour === CacheFlavour.SERVERLESS ? 'serverless cache' : 'node'} per day and a limited number in total; delete old manual snapshots`);
    }
    if (/SnapshotAlreadyExists/.test(errorName)) throw new AwsError(`a snapshot named ${JSON.stringify(name)} already exists; pick another --name`);
    throw describeAwsError(e, cache.flavour === CacheFlavour.SERVERLESS ? 'elasticache:CreateServerlessCacheSnapshot' : 'elasticache:CreateSnapshot');
  }
}

export async function snapshotState(ec: ElastiCacheClient, cache: CacheDescription, name: string): Promise<SnapshotState> {
  if (cache.flavour === CacheFlavour.SERVERLESS) {
    const r = await call('elasticache:DescribeServerlessCacheSnapshots', () => ec.send(new DescribeServerlessCacheSnapshotsCommand({ ServerlessCacheSnapshotName: name })));
    const s = r.ServerlessCacheSnapshots?.[0];
    return { name, status: s?.Status ?? 'missing', createdAt: s?.CreateTime?.toISOString() };
  }
  const r = await call('elasticache:DescribeSnapshots', () => ec.send(new DescribeSnapshotsCommand({ SnapshotName: name })));
  const s = r.Snapshots?.[0];
  return { name, status: s?.SnapshotStatus ?? 'missing', createdAt: s?.NodeSnapshots?.[0]?.SnapshotCreateTime?.toISOString() };
}

/** Polls until the snapshot is available; fails when it fails or the timeout passes. */
export async function waitForSnapshot(
  ec: ElastiCacheClient, cache: CacheDescription, name: string,
  options: { pollMs?: number; timeoutMs?: number; onPoll?: (s: SnapshotState, elapsedMs: number) => void } = {},
): Promise<SnapshotState> {
  const started = Date.now();
  for (;;) {
    const state = await snapshotState(ec, cache, name);
    options.onPoll?.(state, Date.now() - started);
    if (state.status === 'available') return state;
    if (state.status === 'failed' || state.status === 'deleted' || state.status === 'missing') throw new CheckFailed(`snapshot ${name} is ${state.status}`);
    if (Date.now() - started > (options.timeoutMs ?? 3600_000)) throw new CheckFailed(`snapshot ${name} still ${state.status} after ${Math.round((Date.now() - started) / 1000)} s`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 10_000));
  }
}
