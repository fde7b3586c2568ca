import { Redis } from 'ioredis';
import { createRedisClient } from '../client/redis-client';
import { TargetOptions, tlsOf } from '../client/target';
import { UsageError } from '../catalog/errors';
import { CheckFailed } from './aws';
import { DrillResult, TimelineEntry } from './failover';

interface ClusterNode { id: string; host: string; port: number; primary: boolean; primaryId: string; firstSlot: number }

/** Parses `CLUSTER NODES`: id, address, flags, primary id and slot ranges of every node. */
export function parseClusterNodes(text: string): ClusterNode[] {
  return text.trim().split('\n').map((line) => {
    const [id, address, flags, primaryId, , , , , ...slots] = line.trim().split(' ');
    const [hostPort] = address.split('@');
    const colon = hostPort.lastIndexOf(':');
    const first = slots.find((s) => /^\d/.test(s));
    return {
      id, host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)),
      primary: flags.split(',').includes('master'), primaryId: primaryId === '-' ? '' : primaryId,
      firstSlot: first ? Number(first.split('-')[0]) : Number.MAX_SAFE_INTEGER,
    };
  });
}

/** One node, never reconnecting: the drill reads roles node by node and a node that is down is part of the timeline. */
function nodeClient(t: TargetOptions, host: string, port: number): Redis {
  const client = createRedisClient({
    host, port, cluster: false, username: t.endpoint.username, password: t.endpoint.password, passwordSource: t.passwordSource,
    tls: tlsOf(t), connectTimeoutMs: Math.max(t.timeoutMs, 2000), commandTimeoutMs: Math.max(t.timeoutMs, 2000),
    maxRetriesPerRequest: 1, autoPipelining: false, reconnectDelayMs: () => null,
  }) as Redis;
  client.on('error', () => undefined);
  return client;
}

/**
 * The failover drill against any Redis Cluster you can reach: shard `NNNN` is the N-th primary in slot order; one of its
 * replicas runs `CLUSTER FAILOVER` (a coordinated, lossless switch), and the drill follows the roles until the replica
 * is the primary and the cluster reports ok.
 */
export async function runLocalFailoverDrill(
  t: TargetOptions, shardId: string,
  options: { pollMs?: number; timeoutMs?: number; onEntry?: (e: TimelineEntry) => void } = {},
): Promise<DrillResult> {
  const index = Number(shardId) - 1;
  if (!/^\d{1,4}$/.test(shardId) || index < 0) throw new UsageError('--shard', shardId, 'a shard number such as 0001 (the first primary in slot order)');
  const seed = nodeClient(t, t.endpoint.host, t.endpoint.port);
  let nodes: ClusterNode[];
  try {
    await seed.connect();
    nodes = parseClusterNodes(String(await seed.call('CLUSTER', 'NODES')));
  } finally {
    seed.disconnect();
  }
  const primaries = nodes.filter((n) => n.primary && n.firstSlot !== Number.MAX_SAFE_INTEGER).sort((a, b) => a.firstSlot - b.firstSlot);
  const primary = primaries[index];
  if (!primary) throw new UsageError('--shard', shardId, `the cluster has ${primaries.length} shards (0001 to ${String(primaries.length).padStart(4, '0')})`);
  const replica = nodes.find((n) => !n.primary && n.primaryId === primary.id);
  if (!replica) throw new CheckFailed(`shard ${shardId} (primary ${primary.host}:${primary.port}) has no replica: a failover would lose the shard`);

  const started = Date.now();
  const timeline: TimelineEntry[] = [];
  const add = (message: string) => {
    const at = Date.now();
    const entry: TimelineEntry = { at: new Date(at).toISOString(), offset_s: Math.round((at - started) / 10) / 100, source: 'drill', message };
    timeline.push(entry);
    options.onEntry?.(entry);
  };
  const replicaClient = nodeClient(t, replica.host, replica.port);
  const primaryClient = nodeClient(t, primary.host, primary.port);
  let promotedAt: number | null = null;
  try {
    await Promise.all([replicaClient.connect(), primaryClient.connect()]);
    add(`CLUSTER FAILOVER on replica ${replica.host}:${replica.port} of primary ${primary.host}:${primary.port}`);
    await replicaClient.call('CLUSTER', 'FAILOVER');
    let replicaRole = 'slave';
    let primaryRole = 'master';
    const deadline = started + (options.timeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const [r, p] = await Promise.all([replicaClient.role(), primaryClient.role()]) as [unknown[], unknown[]];
      if (r[0] !== replicaRole) { replicaRole = String(r[0]); add(`${replica.host}:${replica.port} is now ${replicaRole === 'master' ? 'primary' : replicaRole}`); }
      if (p[0] !== primaryRole) { primaryRole = String(p[0]); add(`${primary.host}:${primary.port} is now ${primaryRole === 'slave' ? 'replica' : primaryRole}`); }
      if (replicaRole === 'master' && promotedAt === null) promotedAt = Date.now();
      if (replicaRole === 'master' && primaryRole === 'slave' && String(await replicaClient.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) {
        add('cluster_state:ok');
        break;
      }
      await new Promise((res) => setTimeout(res, options.pollMs ?? 50));
    }
  } finally {
    replicaClient.disconnect();
    primaryClient.disconnect();
  }
  const duration = Date.now() - started;
  const completed = timeline.some((e) => e.message === 'cluster_state:ok');
  return {
    group: `${t.endpoint.host}:${t.endpoint.port}`, shard: shardId, started_at: new Date(started).toISOString(), completed,
    duration_s: Math.round(duration / 10) / 100, failover_s: promotedAt === null ? null : Math.round((promotedAt - started) / 10) / 100, timeline,
  };
}
