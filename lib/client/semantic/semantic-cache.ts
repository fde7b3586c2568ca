import { randomBytes } from 'crypto';
import { performance } from 'perf_hooks';
import type { Cluster, Redis } from 'ioredis';
import { SEMANTIC_DIMENSION, SEMANTIC_METRICS, SEMANTIC_NAMESPACE } from '../../catalog/semantic';
import { KEY_PREFIX_FORBIDDEN } from '../../catalog/slo-check';
import { TtlPolicyError, TtlWriteOptions, TtlWriter } from '../ttl-writer';
import { BucketedIndex } from './bucketed-index';
import { SemanticIndex } from './semantic-index';
import { EMF_MAX_VALUES, emfRecord } from './emf';
import { unitVector } from './vectors';

export interface SemanticCacheOptions {
  /** Dimensions of the embeddings (the embedding model's output size). */
  readonly dimensions: number;
  /** Prefix of every key the cache writes, e.g. `sem:`: the app user's access string should confine it there. */
  readonly keyPrefix: string;
  /**
   * Cosine similarity a stored prompt must reach to answer a query. AWS's starting point is 0.90-0.95; no fixed
   * threshold guarantees correct answers, so tune it on labelled pairs (`ectk semantic-tune`).
   * @default 0.9
   */
  readonly threshold?: number;
  /** How entries are found. @default a BucketedIndex with its defaults */
  readonly index?: SemanticIndex;
  /**
   * Publish lookups, hits, the semantic hit ratio and lookup latency as CloudWatch embedded-metric-format log lines
   * (namespace `ElastiCacheToolkit/SemanticCache`, dimension `Cache`): in a Lambda function they become metrics
   * without an API call. One record per `everyLookups` lookups, and on `flushMetrics()`.
   * @default - none
   */
  readonly metrics?: SemanticMetricsOptions;
}

export interface SemanticMetricsOptions {
  /** The `Cache` dimension. */
  readonly cacheName: string;
  /** @default 'ElastiCacheToolkit/SemanticCache' */
  readonly namespace?: string;
  /** Lookups per record, at most 100 (the values one metric may carry). @default 100 */
  readonly everyLookups?: number;
  /** Where records go. @default one line on stdout */
  readonly emit?: (line: string) => void;
}


export interface SemanticLookup {
  readonly hit: boolean;
  /** The cached answer, on a hit. */
  readonly answer?: string;
  /** Similarity of the nearest stored prompt with the same tags, hit or not; null when there was none. */
  readonly similarity: number | null;
}

export interface SemanticStats {
  readonly lookups: number;
  readonly hits: number;
  readonly misses: number;
  readonly hitRatio: number | null;
  /** How many lookups found their nearest stored prompt at each similarity, in steps of 0.05 from 0 (the last is 1.0). */
  readonly nearestSimilarity: readonly number[];
}

/**
 * A semantic cache: answers a prompt from the cache when a stored prompt with the same tags (tenant, model,
 * embedding-model version ...) is similar enough by embedding, so paraphrases hit. Vectors and answers are separate
 * keys, every key follows the cache's TTL policy (default TTL with jitter, capped at its maximum), and an entry
 * written without any TTL is refused. Embeddings come from your model; nothing here computes them.
 */
export class SemanticCache {
  public readonly threshold: number;
  public readonly index: SemanticIndex;
  private readonly dimensions: number;
  private counts = { lookups: 0, hits: 0 };
  private readonly histogram = new Array<number>(21).fill(0);
  private pending = { lookups: 0, hits: 0, latencies: [] as number[] };
  private readonly metrics?: Required<SemanticMetricsOptions>;

  constructor(private readonly client: Redis | Cluster, private readonly ttl: TtlWriter, options: SemanticCacheOptions) {
    if (!Number.isInteger(options.dimensions) || options.dimensions < 2 || options.dimensions > 32_768) {
      throw new RangeError(`dimensions: invalid value ${options.dimensions}: a whole number from 2 to 32768`);
    }
    if (options.keyPrefix.length === 0 || KEY_PREFIX_FORBIDDEN.test(options.keyPrefix)) {
      throw new RangeError(`keyPrefix: invalid value "${options.keyPrefix}": a non-empty prefix without glob characters, hash-tag braces or spaces`);
    }
    const threshold = options.threshold ?? 0.9;
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold: invalid value ${threshold}: a cosine similarity above 0 and at most 1`);
    this.threshold = threshold;
    this.dimensions = options.dimensions;
    this.index = options.index ?? new BucketedIndex(options.keyPrefix, options.dimensions);
    if (options.metrics) {
      const every = options.metrics.everyLookups ?? EMF_MAX_VALUES;
      if (!Number.isInteger(every) || every < 1 || every > EMF_MAX_VALUES) {
        throw new RangeError(`metrics.everyLookups: invalid value ${every}: a whole number from 1 to ${EMF_MAX_VALUES}`);
      }
      this.metrics = { namespace: SEMANTIC_NAMESPACE, emit: (line) => process.stdout.write(`${line}\n`), ...options.metrics, everyLookups: every };
    }
  }

  /** The cached answer for a prompt's embedding, when a stored prompt with exactly these tags is similar enough. */
  public async lookup(embedding: ArrayLike<number>, tags: Readonly<Record<string, string>> = {}): Promise<SemanticLookup> {
    const vector = unitVector(embedding, this.dimensions);
    const started = performance.now();
    const match = await this.index.nearest(this.client, vector, tags);
    const hit = match !== undefined && match.similarity >= this.threshold;
    this.count(hit, performance.now() - started);
    if (match) this.histogram[Math.max(0, Math.min(20, Math.floor(match.similarity * 20)))]++;
    return hit ? { hit: true, answer: match.answer, similarity: match.similarity } : { hit: false, similarity: match?.similarity ?? null };
  }

  /** Writes the metrics of the lookups since the last record, if any (call it before a Lambda invocation returns). */
  public flushMetrics(): void {
    const m = this.metrics;
    const p = this.pending;
    if (!m || p.lookups === 0) return;
    const { lookups, hits, hitRatio, lookupLatency } = SEMANTIC_METRICS;
    m.emit(emfRecord(m.namespace, { [SEMANTIC_DIMENSION]: m.cacheName }, [
      { ...lookups, value: p.lookups },
      { ...hits, value: p.hits },
      { ...hitRatio, value: (100 * p.hits) / p.lookups },
      { ...lookupLatency, value: p.latencies.map((ms) => Math.round(ms * 1000) / 1000) },
    ]));
    this.pending = { lookups: 0, hits: 0, latencies: [] };
  }

  private count(hit: boolean, latencyMs: number): void {
    this.counts.lookups++;
    if (hit) this.counts.hits++;
    if (!this.metrics) return;
    this.pending.lookups++;
    if (hit) this.pending.hits++;
    this.pending.latencies.push(latencyMs);
    if (this.pending.lookups >= this.metrics.everyLookups) this.flushMetrics();
  }

  /** Stores an answer under a prompt's embedding and tags; returns the entry id. */
  public async store(embedding: ArrayLike<number>, answer: string, tags: Readonly<Record<string, string>> = {}, options?: TtlWriteOptions): Promise<string> {
    const ttlMs = this.ttl.ttlMs(options);
    if (ttlMs === undefined) throw new TtlPolicyError('a semantic cache entry needs a TTL: give ttlSeconds, or bind the cache with a TTL policy that has a default');
    const id = randomBytes(8).toString('hex');
    await this.index.add(this.client, { id, vector: unitVector(embedding, this.dimensions), answer, tags, ttlMs });
    return id;
  }

  public stats(): SemanticStats {
    const { lookups, hits } = this.counts;
    return { lookups, hits, misses: lookups - hits, hitRatio: lookups ? hits / lookups : null, nearestSimilarity: [...this.histogram] };
  }
}
