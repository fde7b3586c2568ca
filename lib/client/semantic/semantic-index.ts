import type { Cluster, Redis } from 'ioredis';

/** What a stored entry is found under: its id, its exact similarity to the query, and its answer. */
export interface SemanticMatch {
  readonly id: string;
  readonly similarity: number;
  readonly answer: string;
}

/** One entry to store: a unit vector, its answer, the tag namespace it belongs to and how long it lives. */
export interface SemanticEntry {
  readonly id: string;
  readonly vector: Float32Array;
  readonly answer: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly ttlMs: number;
}

/**
 * How a semantic cache finds stored entries near a query. Two implementations: `BucketedIndex` (locality-sensitive
 * hashing over ordinary keys, on every engine) and `VectorSearchIndex` (FT.SEARCH KNN on Valkey 8.2+ node-based caches).
 */
export interface SemanticIndex {
  readonly kind: 'bucketed' | 'vector-search';
  /** Stores the entry (vector, answer, tags) with its TTL. */
  add(client: Redis | Cluster, entry: SemanticEntry): Promise<void>;
  /** The stored entry nearest to `vector` among those with exactly these tags, or undefined when there is none. */
  nearest(client: Redis | Cluster, vector: Float32Array, tags: Readonly<Record<string, string>>): Promise<SemanticMatch | undefined>;
}
