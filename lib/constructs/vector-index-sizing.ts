import { estimateVectorMemory, vectorMemoryFit } from '../catalog/vector-index';
import { VectorIndex } from './vector-index-options';
import { vectorIndexSpec } from './validate-vector-indexes';
import { invalid } from './validation';

/** The memory one vector index needs, all shards together. */
export interface VectorIndexMemory {
  /**
   * Bytes of the HASH keys: vectors, other fields, key names and the allocator's overhead.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  readonly keyBytes: number;
  /**
   * Bytes of the index: its copy of each vector, the HNSW graph links and bookkeeping.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  readonly indexBytes: number;
  /**
   * keyBytes + indexBytes.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  readonly totalBytes: number;
}

/** A node-based cluster to size vector indexes against. */
export interface VectorIndexPlan {
  /**
   * Node type, for example `cache.r7g.large`.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly nodeType: string;
  /**
   * Shards.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly shards: number;
  /**
   * `reserved-memory-percent`.
   * @default 25
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly reservedMemoryPercent?: number;
}

/** Whether vector indexes fit a cluster, per shard. */
export interface VectorIndexFit {
  /**
   * Bytes the indexes need on each shard.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly requiredBytesPerShard: number;
  /**
   * Bytes a shard keeps for data: maxmemory less the reserve.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly usableBytesPerShard: number;
  /**
   * Bytes vector data may fill on each shard: 80 % of the usable bytes.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly budgetBytesPerShard: number;
  /**
   * requiredBytesPerShard ≤ budgetBytesPerShard.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly fits: boolean;
  /**
   * The fewest shards of this node type that hold the indexes.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly shardsNeeded: number;
}

/**
 * Sizing of vector indexes, the same arithmetic ClusterCache applies to its `vectorIndexes`, for planning. Per vector:
 * keys 1.25 × (4 × dimensions + other fields + key and field names) + 400 bytes (measured on valkey-server 8);
 * index 4 × dimensions + HNSW links (2M × 4 + 4 on layer 0, (M × 4 + 4) / (M − 1) above) + 128 bytes of bookkeeping
 * + the key name. Node memory is ElastiCache's maxmemory table for Valkey.
 */
export class VectorIndexSizing {
  /**
   * The memory an index needs when it holds `expectedVectors` vectors.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  public static estimate(index: VectorIndex): VectorIndexMemory {
    return estimateVectorMemory(vectorIndexSpec(index));
  }

  /**
   * Whether the indexes fit a cluster of the given node type and shard count.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  public static fit(indexes: VectorIndex[], plan: VectorIndexPlan): VectorIndexFit {
    const fit = vectorMemoryFit(indexes.map(vectorIndexSpec), { nodeType: plan.nodeType, shards: plan.shards, reservedMemoryPercent: plan.reservedMemoryPercent ?? 25 });
    if (!fit) invalid('VectorIndexSizing', 'nodeType', plan.nodeType, 'a node type in ElastiCache\'s Valkey maxmemory table, for example cache.r7g.large');
    return fit;
  }

  private constructor() {}
}
