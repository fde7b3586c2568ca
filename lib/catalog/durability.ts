/**
 * Durability of node-based Valkey caches (writes persisted to a Multi-AZ transactional log): what ElastiCache accepts,
 * shared by ClusterCache's validation and the rule pack (docs/aws-facts.md, "Durability").
 */

/** `sync`: acknowledged after the log has it; `async`: acknowledged first, up to 10 s of writes can be lost. */
export type DurabilityMode = 'sync' | 'async' | 'disabled';

/** Node families durability runs on (ElastiCache guide, Durability "Limitations"). */
export const DURABILITY_NODE_FAMILIES: readonly string[] = ['r8g', 'r7g', 'r6g', 'm8g', 'm7g', 'm6g', 'c8gn', 'c7gn'];

/** The first engine version with durability. */
export const DURABILITY_MIN_VALKEY = [9, 0] as const;

/** A writing primary accepts writes while its oldest unlogged write is younger than this (async durability). */
export const DURABILITY_BUFFER_MS = 10_000;

/** The settings durability depends on, as a replication group has them. */
export interface DurabilityTarget {
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly clusterMode: boolean;
  readonly multiAz: boolean;
  readonly replicasPerShard: number;
  readonly transitEncryption: boolean;
  readonly dataTiering: boolean;
  readonly globalDatastore: boolean;
}

/** Why ElastiCache would refuse durability for a replication group: the setting, its value and what is allowed. */
export interface DurabilityProblem {
  readonly setting: keyof DurabilityTarget;
  readonly value: unknown;
  readonly allowed: string;
}

/** The first reason ElastiCache would refuse durability on `t`, or undefined when it accepts it. */
export function durabilityProblem(t: DurabilityTarget): DurabilityProblem | undefined {
  const [major, minor = 0] = t.engineVersion.split('.').map(Number);
  const [needMajor, needMinor] = DURABILITY_MIN_VALKEY;
  if (t.engine !== 'valkey' || major < needMajor || (major === needMajor && minor < needMinor)) {
    return { setting: 'engine', value: `${t.engine} ${t.engineVersion}`, allowed: `durability needs Valkey ${needMajor}.${needMinor} or later` };
  }
  const family = t.nodeType.split('.')[1];
  if (!DURABILITY_NODE_FAMILIES.includes(family)) {
    return { setting: 'nodeType', value: t.nodeType, allowed: `durability runs on the node families ${DURABILITY_NODE_FAMILIES.join(', ')}` };
  }
  if (t.dataTiering) return { setting: 'dataTiering', value: true, allowed: 'durability is not supported with data tiering' };
  if (!t.clusterMode) return { setting: 'clusterMode', value: false, allowed: 'durability needs cluster mode enabled' };
  if (!t.multiAz) return { setting: 'multiAz', value: false, allowed: 'durability needs Multi-AZ' };
  if (t.replicasPerShard < 1) return { setting: 'replicasPerShard', value: t.replicasPerShard, allowed: 'durability needs at least one replica per shard' };
  if (!t.transitEncryption) return { setting: 'transitEncryption', value: false, allowed: 'durability needs encryption in transit at creation' };
  if (t.globalDatastore) return { setting: 'globalDatastore', value: true, allowed: 'durability is not supported in a Global Datastore' };
  return undefined;
}
