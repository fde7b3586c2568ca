import { Annotations, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { durabilityProblem } from '../catalog/durability';
import { dataTieringEngineProblem, nodeTypeFacts } from '../catalog/node-types';
import { VALKEY_NODE_MAXMEMORY_BYTES } from '../catalog/node-memory';
import { FAMILY_PARAMETERS } from '../catalog/parameters';
import { ScalingRanges, scalingRanges } from './auto-scaling';
import { CacheEngine } from './cache-engine';
import type { ClusterCacheProps } from './cluster-cache';
import { Durability } from './durability';
import { checkEngineVersion } from './engine-version-check';
import { EvictionPolicy } from './eviction-policy';
import { checkInteger, checkKnownInteger, invalid } from './validation';
import { parseMaintenanceWindow, parseSnapshotWindow, windowsOverlap } from './windows';

/** Limits of cluster mode enabled replication groups (docs/aws-facts.md, "Configuration limits"). */
export const MAX_SHARDS = 500;
export const MAX_REPLICAS_PER_SHARD = 5;
export const MAX_NODES = 500;

/** Parameters set through typed props; the `parameters` escape hatch may not set them. */
const TYPED_PARAMETERS: Record<string, string> = {
  'cluster-enabled': '(always "yes": the toolkit runs cluster mode)',
  'maxmemory-policy': 'evictionPolicy',
  'reserved-memory-percent': 'reservedMemoryPercent',
  'maxmemory-samples': 'maxmemorySamples',
  'lfu-log-factor': 'lfuLogFactor',
  'lfu-decay-time': 'lfuDecayTime',
};

/** The sizes node type names are made of (ElastiCache's node type table: docs/aws-facts.md, "Node memory"). */
const NODE_SIZE = /^(micro|small|medium|large|\d*xlarge)$/;

/**
 * A node type is `cache.<family>.<size>`, its size one ElastiCache names (`cache.r7g.larg` is refused, with the nearest
 * size). One that is well formed but not in the table of node types ElastiCache documents (a family added since) is let
 * through with a synth warning, `@ectk/cluster-cache:node-type`: the table is the toolkit's, the decision AWS's.
 */
export function checkNodeType(where: Construct | string, nodeType: string): void {
  if (Token.isUnresolved(nodeType)) return;
  const m = /^cache\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  if (!m) invalid(where, 'nodeType', nodeType, 'allowed is cache.<family>.<size>, for example "cache.r7g.large"');
  const [, family, size] = m!;
  if (!NODE_SIZE.test(size)) {
    const sizes = [...new Set(Object.keys(VALKEY_NODE_MAXMEMORY_BYTES).filter((t) => t.startsWith(`cache.${family}.`)).map((t) => t.split('.')[2]))];
    const near = sizes.find((known) => known.startsWith(size) || size.startsWith(known));
    invalid(where, 'nodeType', nodeType, `the size "${size}" is not one ElastiCache names (micro, small, medium, large, xlarge, 2xlarge, ...)` +
      `${near ? `; did you mean cache.${family}.${near}?` : ''}`);
  }
  if (typeof where !== 'string' && VALKEY_NODE_MAXMEMORY_BYTES[nodeType] === undefined) {
    Annotations.of(where).addWarningV2('@ectk/cluster-cache:node-type', `node type ${nodeType} is not in the node types ElastiCache documents ` +
      '(docs/aws-facts.md, "Node memory"); if AWS added it since, this is fine, otherwise the deployment fails at CreateReplicationGroup');
  }
}

export function checkNodeCount(where: Construct | string, shards: number, replicasPerShard: number): void {
  const nodes = shards * (replicasPerShard + 1);
  if (nodes > MAX_NODES) invalid(where, 'shards × (replicasPerShard + 1)', nodes, `a replication group has at most ${MAX_NODES} nodes`);
}

/** ClusterCache's props, checked and with their defaults: what the construct builds from. */
export interface SettledClusterCache {
  readonly engine: CacheEngine;
  readonly nodeType: string;
  readonly evictionPolicy: EvictionPolicy;
  readonly shards: number;
  readonly replicasPerShard: number;
  readonly multiAz: boolean;
  /** Shards and replicas from the smallest to the largest the cache can have (auto scaling). */
  readonly ranges: ScalingRanges;
  readonly port: number;
  /** The parameter group's values: typed props first, then the `parameters` escape hatch. */
  readonly parameters: { [name: string]: string };
  readonly retention: number;
}

/**
 * Every check of ClusterCache's props, in prop order, each failing with the construct path, the prop, the value and
 * what is allowed (the limits are in docs/aws-facts.md, "Configuration limits").
 */
export function validateClusterCacheProps(scope: Construct, props: ClusterCacheProps): SettledClusterCache {
  const engine = props.engine ?? CacheEngine.VALKEY_8;
  const nodeType = props.nodeType ?? 'cache.r7g.large';
  const evictionPolicy = props.evictionPolicy ?? EvictionPolicy.VOLATILE_LRU;
  if (!/^\d+\.\d+$/.test(engine.version)) {
    invalid(scope, 'engine', engine.displayName, 'node-based caches need a MAJOR.MINOR engine version, for example CacheEngine.valkey("8.1")');
  }
  checkEngineVersion(scope, engine, 'node-based');
  checkNodeType(scope, nodeType);
  checkDataTieringEngine(scope, engine, nodeType);

  const shards = props.shards ?? 1;
  const replicasPerShard = props.replicasPerShard ?? 1;
  checkKnownInteger(scope, 'shards', shards, 1, MAX_SHARDS);
  checkKnownInteger(scope, 'replicasPerShard', replicasPerShard, 0, MAX_REPLICAS_PER_SHARD);
  checkNodeCount(scope, shards, replicasPerShard);
  const multiAz = props.multiAz ?? true;
  if (multiAz && replicasPerShard === 0) {
    invalid(scope, 'multiAz', true, 'Multi-AZ needs at least one replica per shard; set replicasPerShard >= 1 or multiAz: false');
  }
  const ranges = scalingRanges(scope, engine, nodeType, shards, replicasPerShard, multiAz,
    props.shardAutoScaling, props.replicaAutoScaling, MAX_NODES);
  const port = props.port ?? 6379;
  checkInteger(scope, 'port', port, 1, 65535);
  checkDurability(scope, props.durability, engine, nodeType, multiAz, replicasPerShard);

  const parameters = parameterValues(scope, props, engine, evictionPolicy);

  const retention = props.snapshotRetentionDays ?? 7;
  checkInteger(scope, 'snapshotRetentionDays', retention, 0, 35);
  const snapshotWindow = props.snapshotWindow === undefined ? undefined : parseSnapshotWindow(scope, 'snapshotWindow', props.snapshotWindow);
  const maintenanceWindow = props.maintenanceWindow === undefined
    ? undefined : parseMaintenanceWindow(scope, 'maintenanceWindow', props.maintenanceWindow);
  if (snapshotWindow && maintenanceWindow && windowsOverlap(snapshotWindow, maintenanceWindow)) {
    invalid(scope, 'maintenanceWindow', props.maintenanceWindow, `must not overlap the snapshot window (${props.snapshotWindow})`);
  }
  if (props.snapshotArnsToRestore?.length && props.snapshotNameToRestore) {
    invalid(scope, 'snapshotNameToRestore', props.snapshotNameToRestore, 'restore from snapshotArnsToRestore or snapshotNameToRestore, not both');
  }
  for (const arn of props.snapshotArnsToRestore ?? []) {
    if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:s3:::.+\.rdb$/.test(arn)) {
      invalid(scope, 'snapshotArnsToRestore', arn, 'allowed are S3 object ARNs of RDB files, arn:<partition>:s3:::<bucket>/<key>.rdb');
    }
  }
  return { engine, nodeType, evictionPolicy, shards, replicasPerShard, multiAz, ranges, port, parameters, retention };
}

/** The props behind each setting durability depends on, for messages. */
const DURABILITY_PROPS: Record<string, string> = {
  engine: 'engine', nodeType: 'nodeType', multiAz: 'multiAz', replicasPerShard: 'replicasPerShard', dataTiering: 'nodeType',
};

/** docs/aws-facts.md, "Data tiering": Redis OSS 6.2 (Enhanced) is the first engine with data tiering on r6gd. */
function checkDataTieringEngine(where: Construct | string, engine: CacheEngine, nodeType: string): void {
  if (!Token.isUnresolved(nodeType) && dataTieringEngineProblem(engine.engine, engine.version, nodeType)) {
    invalid(where, 'engine', engine.displayName, `data tiering (${nodeType}) needs Redis OSS 6.2 or later, or Valkey`);
  }
}

function checkDurability(scope: Construct | string, durability: Durability | undefined, engine: CacheEngine, nodeType: string, multiAz: boolean, replicasPerShard: number): void {
  if (durability === undefined) return;
  if (!Object.values(Durability).includes(durability)) invalid(scope, 'durability', durability, `allowed are ${Object.values(Durability).join(', ')}`);
  if (durability === Durability.DISABLED || Token.isUnresolved(nodeType)) return;
  // The toolkit always creates cluster mode, TLS and no Global Datastore; the rest comes from the props.
  const problem = durabilityProblem({
    engine: engine.engine, engineVersion: engine.version, nodeType, clusterMode: true, multiAz, replicasPerShard,
    transitEncryption: true, dataTiering: nodeTypeFacts(nodeType)?.dataTiering ?? false, globalDatastore: false,
  });
  if (problem) {
    const value = problem.setting === 'engine' ? engine.displayName : problem.value;
    invalid(scope, DURABILITY_PROPS[problem.setting], value, `${problem.allowed} (durability: ${durability})`);
  }
}

function parameterValues(scope: Construct, props: ClusterCacheProps, engine: CacheEngine, evictionPolicy: EvictionPolicy): { [name: string]: string } {
  const reserved = props.reservedMemoryPercent ?? 25;
  checkInteger(scope, 'reservedMemoryPercent', reserved, 0, 100);
  checkInteger(scope, 'maxmemorySamples', props.maxmemorySamples, 1, 64);
  checkInteger(scope, 'lfuLogFactor', props.lfuLogFactor, 0, 255);
  checkInteger(scope, 'lfuDecayTime', props.lfuDecayTime, 0, Number.MAX_SAFE_INTEGER);
  for (const [prop, value] of [['lfuLogFactor', props.lfuLogFactor], ['lfuDecayTime', props.lfuDecayTime]] as const) {
    if (value !== undefined && !evictionPolicy.isLfu) {
      invalid(scope, prop, value, `only takes effect with an LFU eviction policy (allkeys-lfu, volatile-lfu); evictionPolicy is ${evictionPolicy.value}`);
    }
  }
  const values: { [name: string]: string } = {
    'cluster-enabled': 'yes',
    'maxmemory-policy': evictionPolicy.value,
    'reserved-memory-percent': String(reserved),
  };
  if (props.maxmemorySamples !== undefined) values['maxmemory-samples'] = String(props.maxmemorySamples);
  if (props.lfuLogFactor !== undefined) values['lfu-log-factor'] = String(props.lfuLogFactor);
  if (props.lfuDecayTime !== undefined) values['lfu-decay-time'] = String(props.lfuDecayTime);

  const family = engine.parameterGroupFamily;
  const known = FAMILY_PARAMETERS[family];
  for (const [name, value] of Object.entries(props.parameters ?? {})) {
    // ElastiCache parameter values are strings; from other languages a number or boolean can arrive here.
    if (typeof value !== 'string') invalid(scope, `parameters["${name}"]`, value, 'a parameter value is a string, for example "yes" or "100"');
    // Every ElastiCache parameter name is lower-case words joined by hyphens; families the toolkit has no list for are
    // checked for that much, so that an empty or mistyped name fails here and not at deploy time.
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      invalid(scope, 'parameters', name, 'a parameter name is lower-case words joined by hyphens, for example "activedefrag" or "notify-keyspace-events"');
    }
    if (name in TYPED_PARAMETERS) {
      invalid(scope, `parameters["${name}"]`, value, `set it with the typed prop ${TYPED_PARAMETERS[name]}`);
    }
    if (known && !known.includes(name)) {
      invalid(scope, 'parameters', name, `the ${family} parameter group family has no parameter of that name`);
    }
    values[name] = value;
  }
  return values;
}

/** What `fromClusterCacheAttributes` is told, as far as checking goes. */
export interface ImportedClusterFacts {
  readonly engine?: CacheEngine;
  readonly nodeType?: string;
  readonly replicasPerShard: number;
  readonly durability?: Durability;
}

/**
 * An imported cache's attributes are checked for what the toolkit builds from them and for combinations no
 * ElastiCache cache can have (README, "Existing caches"): an engine version the flavour does not run, durability or data
 * tiering on an engine or node type without it. Whether the cache exists, and what it really runs, only AWS knows.
 */
export function checkImportedCluster(where: string, facts: ImportedClusterFacts): void {
  const { engine, nodeType } = facts;
  if (nodeType !== undefined) checkNodeType(where, nodeType);
  if (engine !== undefined && !/^\d+\.\d+$/.test(engine.version)) {
    invalid(where, 'engine', engine.displayName, 'node-based caches run a MAJOR.MINOR engine version, for example CacheEngine.valkey("8.1")');
  }
  if (engine === undefined) return;
  checkEngineVersion(where, engine, 'node-based');
  if (nodeType !== undefined) checkDataTieringEngine(where, engine, nodeType);
  // What the attributes say; the rest of the cache (Multi-AZ with a replica, TLS) was settled when it was created, and
  // an unknown node type is not held against it.
  checkDurability(where, facts.durability, engine, nodeType ?? 'cache.r7g.large', true, Math.max(1, facts.replicasPerShard));
}
