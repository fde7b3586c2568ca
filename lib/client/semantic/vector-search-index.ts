import type { Cluster, Redis } from 'ioredis';
import { isUnknownCommand, NoVectorSearch } from '../../catalog/errors';
import { createIndexArguments, HNSW_DEFAULTS, VectorIndexSpec } from '../../catalog/vector-index';
import { SemanticEntry, SemanticIndex, SemanticMatch } from './semantic-index';
import { toBytes } from './vectors';

export interface VectorSearchIndexOptions {
  /** Index name. @default `<prefix>idx` */
  readonly indexName?: string;
  /** Tag fields every entry carries (tenant, model, embedding-model version ...); queries filter on all of them. */
  readonly tagFields: readonly string[];
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

/**
 * The semantic index on Valkey's vector search (node-based Valkey 8.2+, not serverless, not data tiering): one HASH
 * per entry under `<prefix>h:` with the vector, the answer and the tags, indexed by HNSW with COSINE distance.
 *
 * NOT RUN AGAINST A LIVE SEARCH ENGINE in this repository's tests: none can be installed here. Its commands are
 * tested as the arguments it sends, and its reply parsing on the reply shapes the search documentation gives.
 */
export class VectorSearchIndex implements SemanticIndex {
  public readonly kind = 'vector-search';
  public readonly indexName: string;

  constructor(private readonly keyPrefix: string, private readonly dimensions: number, private readonly options: VectorSearchIndexOptions) {
    this.indexName = options.indexName ?? `${keyPrefix}idx`;
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
      algorithm: 'HNSW', distanceMetric: 'COSINE',
      m: this.options.m ?? HNSW_DEFAULTS.m, efConstruction: this.options.efConstruction ?? HNSW_DEFAULTS.efConstruction, efRuntime: this.options.efRuntime ?? HNSW_DEFAULTS.efRuntime,
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
    const filter = this.options.tagFields.map((f) => `@${f}:{${escapeTag(tags[f])}}`).join(' ');
    return ['FT.SEARCH', this.indexName, `(${filter})=>[KNN 1 @vec $q]`, 'PARAMS', '2', 'q', toBytes(vector), 'DIALECT', '2'];
  }

  /** Creates the index (FT.CREATE); a cache without vector search is refused with the reason. */
  public async create(client: Redis | Cluster): Promise<void> {
    const [command, ...args] = this.createCommand();
    try {
      await client.call(command, ...args);
    } catch (e) {
      if (isUnknownCommand(e)) throw new NoVectorSearch(`FT.CREATE: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Drops the index (FT.DROPINDEX without DD: the keys stay). */
  public async drop(client: Redis | Cluster): Promise<void> {
    await client.call('FT.DROPINDEX', this.indexName);
  }

  public async add(client: Redis | Cluster, entry: SemanticEntry): Promise<void> {
    const key = `${this.keyPrefix}h:${entry.id}`;
    const replies = await client.multi()
      .hset(key, { vec: toBytes(entry.vector), answer: entry.answer, ...entry.tags })
      .pexpire(key, entry.ttlMs)
      .exec();
    const failed = replies?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  public async nearest(client: Redis | Cluster, vector: Float32Array, tags: Readonly<Record<string, string>>): Promise<SemanticMatch | undefined> {
    const [command, ...args] = this.searchCommand(vector, tags);
    return parseSearchReply(await client.call(command as string, ...args), this.keyPrefix);
  }
}

/**
 * The best match of an FT.SEARCH KNN reply: `[total, key, [field, value, ...], ...]`, the distance in the field
 * `__vec_score` (COSINE distance, 1 − similarity). Undefined for no match.
 */
export function parseSearchReply(reply: unknown, keyPrefix: string): SemanticMatch | undefined {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number') throw new Error(`FT.SEARCH: unexpected reply ${JSON.stringify(reply)}`);
  if (reply[0] === 0 || reply.length < 3) return undefined;
  const key = String(reply[1]);
  const fields = reply[2] as unknown[];
  const value = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (String(fields[i]) === name) return String(fields[i + 1]);
    return undefined;
  };
  const distance = Number(value('__vec_score'));
  const answer = value('answer');
  if (!Number.isFinite(distance) || answer === undefined) throw new Error(`FT.SEARCH: the match ${key} has no __vec_score or answer`);
  return { id: key.slice(`${keyPrefix}h:`.length), similarity: 1 - distance, answer };
}
