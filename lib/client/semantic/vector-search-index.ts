import type { Cluster, Redis } from 'ioredis';
import { isUnknownCommand, NoVectorSearch } from '../../catalog/errors';
import { createIndexArguments, HNSW_DEFAULTS, VectorIndexSpec } from '../../catalog/vector-index';
import { execTransaction } from '../transaction';
import { indexPropagated } from './index-propagation';
import { SemanticEntry, SemanticIndex, SemanticMatch } from './semantic-index';
import { toBytes } from './vectors';

export interface VectorSearchIndexOptions {
  /** Index name. @default `<prefix>idx` */
  readonly indexName?: string;
  /** Tag fields every entry carries (tenant, model, embedding-model version ...); queries filter on all of them. */
  readonly tagFields: readonly string[];
  /**
   * HNSW (approximate, fast on large sets) or FLAT (exact: every query compares every entry; for small sets).
   * @default 'HNSW'
   */
  readonly algorithm?: 'HNSW' | 'FLAT';
  /** HNSW graph degree. @default 16 */
  readonly m?: number;
  /** HNSW build-time candidate list. @default 200 */
  readonly efConstruction?: number;
  /** HNSW query-time candidate list. @default 100 */
  readonly efRuntime?: number;
}

/** Characters a TAG query value must escape (everything but letters, digits and underscore). */
function escapeTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);
}

/** The alias of the KNN distance in a query's reply. */
const DISTANCE = '__vec_score';

/**
 * The semantic index on Valkey's vector search (node-based Valkey 8.2+, not serverless, not data tiering): one HASH
 * per entry under `<prefix>h:` with the vector, the answer and the tags, indexed by HNSW (or FLAT) with COSINE distance.
 * Tested against valkey-search 1.0.3 (standalone, and a cluster with its coordinator) under RESP2 and RESP3.
 */
export class VectorSearchIndex implements SemanticIndex {
  public readonly kind = 'vector-search';
  public readonly indexName: string;

  constructor(private readonly keyPrefix: string, private readonly dimensions: number, private readonly options: VectorSearchIndexOptions) {
    this.indexName = options.indexName ?? `${keyPrefix}idx`;
    const hnswOnly = (['m', 'efConstruction', 'efRuntime'] as const).filter((k) => options[k] !== undefined);
    if (options.algorithm === 'FLAT' && hnswOnly.length) {
      throw new RangeError(`${hnswOnly.join(', ')}: HNSW parameters; a FLAT index takes none (leave them out, or use algorithm HNSW)`);
    }
    for (const field of options.tagFields) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field) || ['vec', 'answer'].includes(field)) {
        throw new RangeError(`tagFields: invalid field "${field}": letters, digits and _, not vec or answer`);
      }
    }
  }

  /**
   * The index as ClusterCache's `vectorIndexes` declares it (HASH keys under `<prefix>h:`, the vector in `vec`, HNSW,
   * COSINE, one TAG field per tag), for a deploy-time declaration to match what this client queries.
   */
  public spec(expectedVectors = 0, otherFieldBytes = 1024): VectorIndexSpec {
    return {
      name: this.indexName, keyPrefixes: [`${this.keyPrefix}h:`], vectorField: 'vec', dimensions: this.dimensions,
      distanceMetric: 'COSINE',
      ...(this.options.algorithm === 'FLAT' ? { algorithm: 'FLAT' } : {
        algorithm: 'HNSW', m: this.options.m ?? HNSW_DEFAULTS.m, efConstruction: this.options.efConstruction ?? HNSW_DEFAULTS.efConstruction,
        efRuntime: this.options.efRuntime ?? HNSW_DEFAULTS.efRuntime,
      }),
      tagFields: [...this.options.tagFields], expectedVectors, otherFieldBytes,
    };
  }

  /** FT.CREATE for the index: the same command the deploy-time function sends for a declaration of `spec()`. */
  public createCommand(): string[] {
    return createIndexArguments(this.spec());
  }

  /** FT.SEARCH for the nearest entry with exactly these tags: a KNN 1 query filtered by every tag field. */
  public searchCommand(vector: Float32Array, tags: Readonly<Record<string, string>>): Array<string | Buffer> {
    const missing = this.options.tagFields.filter((f) => tags[f] === undefined);
    const extra = Object.keys(tags).filter((f) => !this.options.tagFields.includes(f));
    if (missing.length || extra.length) throw new RangeError(`tags: give exactly the index's tag fields (${this.options.tagFields.join(', ')}); missing ${missing.join(', ') || 'none'}, unknown ${extra.join(', ') || 'none'}`);
    // valkey-search refuses an empty filter `()`: without tag fields the query ranges over every entry (`*`).
    const filter = this.options.tagFields.length ? `(${this.options.tagFields.map((f) => `@${f}:{${escapeTag(tags[f])}}`).join(' ')})` : '*';
    // EF_RUNTIME in the query: valkey-search 1.0.3's coordinator searches a cluster's shards with EF_RUNTIME = K (1)
    // instead of the index's value, which missed 1 % of exact-match paraphrases here (docs/aws-facts.md, "Vector search on the engine").
    const ef = this.options.algorithm === 'FLAT' ? '' : ` EF_RUNTIME ${this.options.efRuntime ?? HNSW_DEFAULTS.efRuntime}`;
    return ['FT.SEARCH', this.indexName, `${filter}=>[KNN 1 @vec $q${ef}]`, 'PARAMS', '2', 'q', toBytes(vector),
      'RETURN', '2', DISTANCE, 'answer', 'DIALECT', '2'];
  }

  /**
   * Creates the index (FT.CREATE) and, on a cluster, waits until every primary has it; a cache without vector search
   * is refused with the reason.
   */
  public async create(client: Redis | Cluster): Promise<void> {
    const [command, ...args] = this.createCommand();
    try {
      await client.call(command, ...args);
    } catch (e) {
      if (isUnknownCommand(e)) throw new NoVectorSearch(`FT.CREATE: ${(e as Error).message}`);
      throw e;
    }
    await indexPropagated(client, this.indexName, true);
  }

  /** Drops the index (FT.DROPINDEX without DD: the keys stay) and, on a cluster, waits until no primary has it. */
  public async drop(client: Redis | Cluster): Promise<void> {
    await client.call('FT.DROPINDEX', this.indexName);
    await indexPropagated(client, this.indexName, false);
  }

  public async add(client: Redis | Cluster, entry: SemanticEntry): Promise<void> {
    const key = `${this.keyPrefix}h:${entry.id}`;
    await execTransaction(client.multi()
      .hset(key, { vec: toBytes(entry.vector), answer: entry.answer, ...entry.tags })
      .pexpire(key, entry.ttlMs), `semantic index entry ${key}`);
  }

  public async nearest(client: Redis | Cluster, vector: Float32Array, tags: Readonly<Record<string, string>>): Promise<SemanticMatch | undefined> {
    const [command, ...args] = this.searchCommand(vector, tags);
    return parseSearchReply(await client.call(command as string, ...args), this.keyPrefix);
  }
}

/**
 * The best match of an FT.SEARCH KNN reply `[total, key, [field, value, ...], key, [...], ...]`: the document with the
 * smallest distance (field `__vec_score`, a bulk string holding the COSINE distance, 1 − similarity), whatever order the
 * documents come in (valkey-search 1.0.3 merges a cluster's shards farthest first). Undefined for no match.
 */
export function parseSearchReply(reply: unknown, keyPrefix: string): SemanticMatch | undefined {
  if (!Array.isArray(reply) || !Number.isInteger(Number(reply[0])) || reply.length % 2 !== 1) {
    throw new Error(`FT.SEARCH: unexpected reply ${JSON.stringify(reply)?.slice(0, 200)}`);
  }
  let best: SemanticMatch | undefined;
  for (let i = 1; i < reply.length; i += 2) {
    const key = String(reply[i]);
    const fields = fieldsOf(reply[i + 1]);
    const distance = Number(fields.get(DISTANCE));
    const answer = fields.get('answer');
    if (!Number.isFinite(distance) || answer === undefined) throw new Error(`FT.SEARCH: the match ${key} has no ${DISTANCE} or answer`);
    if (!best || 1 - distance > best.similarity) best = { id: key.slice(`${keyPrefix}h:`.length), similarity: 1 - distance, answer };
  }
  return best;
}

/** A document's fields: a `[field, value, ...]` array, or a map where a RESP3 client maps it. */
function fieldsOf(raw: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  const entries: Array<[unknown, unknown]> = Array.isArray(raw)
    ? Array.from({ length: Math.floor(raw.length / 2) }, (_, j) => [raw[2 * j], raw[2 * j + 1]])
    : raw instanceof Map ? [...raw.entries()] : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  for (const [name, value] of entries) fields.set(String(name), String(value));
  return fields;
}
