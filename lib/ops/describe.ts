import {
  CacheCluster, DescribeCacheClustersCommand, DescribeCacheParametersCommand, DescribeGlobalReplicationGroupsCommand, GlobalReplicationGroup, DescribeReplicationGroupsCommand, DescribeServerlessCachesCommand,
  ElastiCacheClient, ReplicationGroup, ServerlessCache,
} from '@aws-sdk/client-elasticache';
import { CacheFlavour } from '../catalog/metrics';
import { AwsError, call, describeAwsError } from './aws';

export interface NodeDescription {
  /** Member cluster id, the CloudWatch `CacheClusterId` of the node: `<rg>-<shard>-<node>`. */
  readonly id: string;
  readonly role: string;
  readonly availabilityZone: string;
}

export interface ShardDescription {
  readonly id: string;
  readonly status: string;
  readonly nodes: NodeDescription[];
}

/** What `ectk status` says about a cache's configuration (stable `--json` field names). */
export interface CacheDescription {
  readonly name: string;
  readonly flavour: CacheFlavour;
  readonly engine: string;
  readonly engineVersion: string;
  readonly status: string;
  readonly endpoint: string;
  readonly readerEndpoint?: string;
  readonly nodeType?: string;
  readonly shards: ShardDescription[];
  readonly multiAz: boolean;
  readonly automaticFailover: boolean;
  readonly encryption: { readonly inTransit: boolean; readonly atRest: boolean; readonly kmsKeyId?: string };
  readonly backups: { readonly retentionDays: number; readonly window?: string };
  readonly userGroups: string[];
  readonly parameterGroup?: string;
  readonly evictionPolicy?: string;
  readonly usageLimits?: { readonly dataStorageGb?: number; readonly ecpuPerSecond?: number };
  /** The Global Datastore the cluster belongs to, with every member's Region, role and status. */
  readonly global?: GlobalDescription;
}

export interface GlobalDescription {
  readonly id: string;
  readonly status: string;
  /** This cluster's role: PRIMARY or SECONDARY. */
  readonly role: string;
  readonly members: ReadonlyArray<{ readonly replicationGroupId: string; readonly region: string; readonly role: string; readonly status: string }>;
}

/** A global datastore with its members (DescribeGlobalReplicationGroups, ShowMemberInfo), or undefined when there is none. */
export async function describeGlobalDatastore(ec: ElastiCacheClient, globalId: string): Promise<GlobalReplicationGroup | undefined> {
  try {
    const page = await call('elasticache:DescribeGlobalReplicationGroups', () =>
      ec.send(new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: globalId, ShowMemberInfo: true })));
    return page.GlobalReplicationGroups?.[0];
  } catch (e) {
    if ((e as { name?: string }).name === 'GlobalReplicationGroupNotFoundFault') return undefined;
    throw e;
  }
}

async function describeGlobal(ec: ElastiCacheClient, g: ReplicationGroup): Promise<GlobalDescription | undefined> {
  const info = g.GlobalReplicationGroupInfo;
  if (!info?.GlobalReplicationGroupId) return undefined;
  const global = await describeGlobalDatastore(ec, info.GlobalReplicationGroupId);
  return {
    id: info.GlobalReplicationGroupId, status: global?.Status ?? 'unknown', role: info.GlobalReplicationGroupMemberRole ?? 'unknown',
    members: (global?.Members ?? []).map((m) => ({
      replicationGroupId: m.ReplicationGroupId ?? '', region: m.ReplicationGroupRegion ?? '', role: m.Role ?? '', status: m.Status ?? '',
    })),
  };
}

const endpoint = (e?: { Address?: string; Port?: number }) => (e?.Address ? `${e.Address}:${e.Port ?? 6379}` : '');

/** Finds a replication group or serverless cache by name (replication groups first) and describes it. */
export async function findCache(ec: ElastiCacheClient, name: string): Promise<CacheDescription> {
  const group = await describeReplicationGroup(ec, name);
  if (group) return describeGroup(ec, group);
  const serverless = await describeServerless(ec, name);
  if (serverless) return describeServerlessCache(serverless);
  throw new AwsError(`no replication group or serverless cache named ${JSON.stringify(name)} in this account and region`);
}

export async function describeReplicationGroup(ec: ElastiCacheClient, id: string): Promise<ReplicationGroup | undefined> {
  try {
    return (await ec.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups?.[0];
  } catch (e) {
    if ((e as Error).name === 'ReplicationGroupNotFoundFault') return undefined;
    throw describeAwsError(e, 'elasticache:DescribeReplicationGroups');
  }
}

async function describeServerless(ec: ElastiCacheClient, name: string): Promise<ServerlessCache | undefined> {
  try {
    return (await ec.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: name }))).ServerlessCaches?.[0];
  } catch (e) {
    if ((e as Error).name === 'ServerlessCacheNotFoundFault') return undefined;
    throw describeAwsError(e, 'elasticache:DescribeServerlessCaches');
  }
}

async function describeGroup(ec: ElastiCacheClient, g: ReplicationGroup): Promise<CacheDescription> {
  const firstMember = g.MemberClusters?.[0];
  let cluster: CacheCluster | undefined;
  if (firstMember) {
    try {
      cluster = (await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: firstMember }))).CacheClusters?.[0];
    } catch (e) {
      // A node being replaced can be missing for a moment; the rest of the description still stands.
      if ((e as Error).name !== 'CacheClusterNotFoundFault') throw describeAwsError(e, 'elasticache:DescribeCacheClusters');
    }
  }
  const parameterGroup = cluster?.CacheParameterGroup?.CacheParameterGroupName;
  let evictionPolicy: string | undefined;
  if (parameterGroup) {
    // DescribeCacheParameters pages through every parameter; the policy is one of the first few hundred.
    let Marker: string | undefined;
    do {
      const page = await call('elasticache:DescribeCacheParameters', () => ec.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: parameterGroup, Marker })));
      evictionPolicy = page.Parameters?.find((p) => p.ParameterName === 'maxmemory-policy')?.ParameterValue ?? evictionPolicy;
      Marker = evictionPolicy ? undefined : page.Marker;
    } while (Marker);
  }
  return {
    name: g.ReplicationGroupId!,
    flavour: CacheFlavour.CLUSTER,
    engine: g.Engine ?? cluster?.Engine ?? 'redis',
    engineVersion: cluster?.EngineVersion ?? '',
    status: g.Status ?? 'unknown',
    endpoint: endpoint(g.ConfigurationEndpoint) || endpoint(g.NodeGroups?.[0]?.PrimaryEndpoint),
    nodeType: g.CacheNodeType,
    shards: (g.NodeGroups ?? []).map((ng) => ({
      id: ng.NodeGroupId ?? '',
      status: ng.Status ?? '',
      nodes: (ng.NodeGroupMembers ?? []).map((m) => ({ id: m.CacheClusterId ?? '', role: m.CurrentRole ?? '-', availabilityZone: m.PreferredAvailabilityZone ?? '' })),
    })),
    multiAz: g.MultiAZ === 'enabled',
    automaticFailover: g.AutomaticFailover === 'enabled',
    encryption: { inTransit: g.TransitEncryptionEnabled === true, atRest: g.AtRestEncryptionEnabled === true, kmsKeyId: g.KmsKeyId },
    backups: { retentionDays: g.SnapshotRetentionLimit ?? 0, window: g.SnapshotWindow },
    userGroups: g.UserGroupIds ?? [],
    parameterGroup,
    evictionPolicy,
    global: await describeGlobal(ec, g),
  };
}

function describeServerlessCache(c: ServerlessCache): CacheDescription {
  return {
    name: c.ServerlessCacheName!,
    flavour: CacheFlavour.SERVERLESS,
    engine: c.Engine ?? '',
    engineVersion: c.FullEngineVersion ?? c.MajorEngineVersion ?? '',
    status: c.Status ?? 'unknown',
    endpoint: endpoint(c.Endpoint),
    readerEndpoint: endpoint(c.ReaderEndpoint) || undefined,
    shards: [],
    // Serverless caches keep data in several AZs and fail over on their own.
    multiAz: true,
    automaticFailover: true,
    encryption: { inTransit: true, atRest: true, kmsKeyId: c.KmsKeyId },
    backups: { retentionDays: c.SnapshotRetentionLimit ?? 0, window: c.DailySnapshotTime },
    userGroups: c.UserGroupId ? [c.UserGroupId] : [],
    evictionPolicy: 'volatile-lru at the storage maximum (not configurable)',
    usageLimits: { dataStorageGb: c.CacheUsageLimits?.DataStorage?.Maximum, ecpuPerSecond: c.CacheUsageLimits?.ECPUPerSecond?.Maximum },
  };
}

/** Member cluster ids of every node (the CloudWatch dimension values of a node-based cache). */
export function memberIds(c: CacheDescription): string[] {
  return c.shards.flatMap((s) => s.nodes.map((n) => n.id));
}
