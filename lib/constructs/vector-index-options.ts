/** How a vector index finds neighbours. */
export enum VectorAlgorithm {
  /** Hierarchical navigable small world graph: approximate, fast on large indexes. */
  HNSW = 'HNSW',
  /** Brute force: exact, time grows with the number of vectors. */
  FLAT = 'FLAT',
}

/** How a vector index measures distance. */
export enum VectorDistanceMetric {
  /** 1 − cosine similarity; the usual choice for text embeddings. */
  COSINE = 'COSINE',
  /** Euclidean distance. */
  L2 = 'L2',
  /** Inner product. */
  IP = 'IP',
}

/** What deploying does when an existing index differs from its declaration. */
export enum VectorIndexChangePolicy {
  /** Fail the deployment and name the differences; the index stays as it is. */
  REFUSE = 'refuse',
  /**
   * Drop the index (the keys stay) and create it again: searches fail or miss keys until the backfill that follows has
   * re-indexed them.
   */
  RECREATE = 'recreate',
}

/**
 * A vector index the cache holds: HASH keys under the prefixes, one FLOAT32 vector field and TAG fields, created at
 * deploy time (FT.CREATE) and checked against the node memory at synth time.
 */
export interface VectorIndex {
  /**
   * Index name, as FT.SEARCH names it: letters, digits and `_ : . -`.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-overview.html
   */
  readonly indexName: string;
  /**
   * Key prefixes the index covers (1-16); the function that creates it is confined to them.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-features-limits.html
   */
  readonly keyPrefixes: string[];
  /**
   * Vector dimensions, 1-32,768: the embedding model's output size (1,536 for Amazon Titan Text Embeddings v1).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-features-limits.html
   */
  readonly dimensions: number;
  /**
   * How many vectors the index will hold, all shards together: the construct sizes the cluster's memory by it.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  readonly expectedVectors: number;
  /**
   * Bytes of each key's other fields on average (the cached answer, tags, metadata), for sizing.
   * @default 1024
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/choosing-configuration.html
   */
  readonly otherFieldBytes?: number;
  /**
   * The HASH field that holds the vector (FLOAT32, little-endian).
   * @default 'vec'
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-overview.html
   */
  readonly vectorField?: string;
  /**
   * Algorithm.
   * @default VectorAlgorithm.HNSW
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-overview.html
   */
  readonly algorithm?: VectorAlgorithm;
  /**
   * Distance metric.
   * @default VectorDistanceMetric.COSINE
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-overview.html
   */
  readonly distanceMetric?: VectorDistanceMetric;
  /**
   * HNSW graph degree M (edges per node, twice that on layer 0); HNSW only.
   * @default 16
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-features-limits.html
   */
  readonly m?: number;
  /**
   * HNSW EF_CONSTRUCTION, vectors examined while building; HNSW only. Up to 4,096 on Valkey 8.2.
   * @default 200
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/vector-search-features-limits.html
   */
  readonly efConstruction?: number;
  /**
   * HNSW EF_RUNTIME, vectors examined per query; HNSW only. Up to 4,096 on Valkey 8.2. AWS's semantic caching guidance
   * is 50-200.
   * @default 100
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/semantic-caching-best-practices.html
   */
  readonly efRuntime?: number;
  /**
   * TAG fields to filter on (tenant, model, embedding-model version): an embedding-model change must never match old
   * entries, so give it a tag.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/semantic-caching-best-practices.html
   */
  readonly tagFields?: string[];
}
