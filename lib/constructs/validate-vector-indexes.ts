import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  estimateVectorMemory, gib, HNSW_DEFAULTS, searchHostProblem, searchLimits, VectorIndexSpec, vectorIndexProblems, vectorMemoryFit,
} from '../catalog/vector-index';
import { nodeMaxmemoryBytes } from '../catalog/node-memory';
import { CacheEngine } from './cache-engine';
import { VectorAlgorithm, VectorDistanceMetric, VectorIndex } from './vector-index-options';
import { invalid } from './validation';

/** The cluster the indexes would live on, as settled by ClusterCache's validation. */
export interface VectorIndexHost {
  readonly engine: CacheEngine;
  readonly nodeType: string;
  readonly reservedMemoryPercent: number;
  /** The fewest shards the cluster can have (auto scaling's minimum). */
  readonly minShards: number;
}

/** A declared index with its defaults, as the catalog, the sizing and the index function take it. */
export function vectorIndexSpec(v: VectorIndex): VectorIndexSpec {
  const algorithm = v.algorithm ?? VectorAlgorithm.HNSW;
  const hnsw = algorithm === VectorAlgorithm.HNSW;
  return {
    name: v.indexName, keyPrefixes: [...v.keyPrefixes], vectorField: v.vectorField ?? 'vec', dimensions: v.dimensions,
    algorithm, distanceMetric: v.distanceMetric ?? VectorDistanceMetric.COSINE,
    m: hnsw ? v.m ?? HNSW_DEFAULTS.m : undefined,
    efConstruction: hnsw ? v.efConstruction ?? HNSW_DEFAULTS.efConstruction : undefined,
    efRuntime: hnsw ? v.efRuntime ?? HNSW_DEFAULTS.efRuntime : undefined,
    tagFields: [...(v.tagFields ?? [])], expectedVectors: v.expectedVectors, otherFieldBytes: v.otherFieldBytes ?? 1024,
  };
}

/**
 * Checks the declared indexes where AWS would refuse or not run them (engine, node type, reserve, limits) and sizes
 * them against the nodes' memory; returns them with their defaults. Errors name the construct, the prop, the value and
 * what is allowed (docs/aws-facts.md, "Vector search").
 */
export function settleVectorIndexes(scope: Construct, indexes: VectorIndex[], host: VectorIndexHost): VectorIndexSpec[] {
  if (indexes.length === 0) return [];
  if (Token.isUnresolved(host.nodeType)) invalid(scope, 'nodeType', host.nodeType, 'a known node type: vector indexes are sized against its memory');
  const problem = searchHostProblem({
    engine: host.engine.engine, engineVersion: host.engine.version, nodeType: host.nodeType, reservedMemoryPercent: host.reservedMemoryPercent,
  });
  if (problem) invalid(scope, problem.setting, problem.setting === 'engine' ? host.engine.displayName : problem.value, `${problem.allowed} (vectorIndexes)`);

  const specs = indexes.map((v, i): VectorIndexSpec => {
    if (!Object.values(VectorAlgorithm).includes(v.algorithm ?? VectorAlgorithm.HNSW)) invalid(scope, `vectorIndexes[${i}].algorithm`, v.algorithm, `allowed are ${Object.values(VectorAlgorithm).join(', ')}`);
    if (!Object.values(VectorDistanceMetric).includes(v.distanceMetric ?? VectorDistanceMetric.COSINE)) invalid(scope, `vectorIndexes[${i}].distanceMetric`, v.distanceMetric, `allowed are ${Object.values(VectorDistanceMetric).join(', ')}`);
    if (v.algorithm === VectorAlgorithm.FLAT) {
      for (const [prop, value] of [['m', v.m], ['efConstruction', v.efConstruction], ['efRuntime', v.efRuntime]] as const) {
        if (value !== undefined) invalid(scope, `vectorIndexes[${i}].${prop}`, value, 'only HNSW indexes take m, efConstruction and efRuntime; this index is FLAT');
      }
    }
    return vectorIndexSpec(v);
  });
  const limits = searchLimits(host.engine.engine, host.engine.version)!;
  const [first] = vectorIndexProblems(specs, limits);
  if (first) {
    const at = first.index === undefined ? first.setting : `vectorIndexes[${first.index}].${first.setting}`;
    invalid(scope, at, first.value, `${first.allowed} (${host.engine.displayName})`);
  }

  const fit = vectorMemoryFit(specs, { nodeType: host.nodeType, shards: host.minShards, reservedMemoryPercent: host.reservedMemoryPercent });
  if (!fit) {
    invalid(scope, 'nodeType', host.nodeType, 'a node type whose memory the toolkit knows (ElastiCache\'s Valkey node-type table), so that the vector indexes can be sized');
  } else if (!fit.fits) {
    const parts = specs.map((s) => {
      const e = estimateVectorMemory(s);
      return `${s.name}: ${s.expectedVectors.toLocaleString('en-US')} × ${s.dimensions} dims = ${gib(e.keyBytes)} in keys + ${gib(e.indexBytes)} in the index`;
    });
    invalid(scope, 'vectorIndexes', `${gib(fit.requiredBytesPerShard)} per shard`,
      `at most ${gib(fit.budgetBytesPerShard)} per shard: 80 % of the ${gib(fit.usableBytesPerShard)} a ${host.nodeType} keeps for data ` +
      `(maxmemory ${gib(nodeMaxmemoryBytes(host.nodeType)!)} less ${host.reservedMemoryPercent} % reserved) over ${host.minShards} shard(s). ` +
      `${parts.join('; ')}. Use ${fit.shardsNeeded} shards or more, a larger node type, or fewer expected vectors`);
  }
  return specs;
}
