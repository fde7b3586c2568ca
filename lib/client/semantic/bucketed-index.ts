import { createHash } from 'crypto';
import type { Cluster, Redis } from 'ioredis';
import { execTransaction } from '../transaction';
import { Hyperplanes } from './lsh';
import { SemanticEntry, SemanticIndex, SemanticMatch } from './semantic-index';
import { cosine, fromBytes, toBytes } from './vectors';

export interface BucketedIndexOptions {
  /** Hash tables; more find more near neighbours and cost one SMEMBERS each per lookup. @default 10 */
  readonly tables?: number;
  /** Hyperplanes per table; more make buckets smaller (fewer candidates) and near neighbours rarer per table. @default 12 */
  readonly bits?: number;
  /** Seed of the hyperplanes: every client of one cache must use the same. @default 1 */
  readonly seed?: number;
  /** Most candidates whose vectors one lookup reads. @default 256 */
  readonly maxCandidates?: number;
}

/**
 * The semantic index that runs on every engine, serverless included: an entry's vector and answer are two keys under
 * one hash tag (`<prefix>e:{<id>}:v`, `:a`); its id goes into one bucket set per LSH table
 * (`<prefix>b:<tag namespace>:<table>:<signature>`). A lookup reads the query's buckets, then the candidates'
 * vectors, and computes the exact cosine similarity in the client. Every key carries a TTL; a bucket's TTL only
 * grows (PEXPIRE GT, in one transaction with the SADD), and ids whose entry has expired are removed from the buckets they were read from.
 */
export class BucketedIndex implements SemanticIndex {
  public readonly kind = 'bucketed';
  private readonly lsh: Hyperplanes;
  private readonly maxCandidates: number;

  constructor(private readonly keyPrefix: string, dimensions: number, options: BucketedIndexOptions = {}) {
    this.lsh = new Hyperplanes(dimensions, options.tables ?? 10, options.bits ?? 12, options.seed ?? 1);
    this.maxCandidates = options.maxCandidates ?? 256;
  }

  /** The index's hyperplanes, for its expected recall (`recallAt`). */
  public get hyperplanes(): Hyperplanes {
    return this.lsh;
  }

  public async add(client: Redis | Cluster, entry: SemanticEntry): Promise<void> {
    // The answer first: a vector is only ever found with its answer there (a lookup that reads a vector whose answer
    // expired first counts a miss). Two plain SETs, no transaction: nothing depends on both appearing at once.
    await client.set(this.answerKey(entry.id), entry.answer, 'PX', entry.ttlMs);
    await client.set(this.vectorKey(entry.id), toBytes(entry.vector), 'PX', entry.ttlMs);
    const namespace = tagNamespace(entry.tags);
    await Promise.all(this.lsh.signatures(entry.vector).map(async (signature, table) => {
      const bucket = this.bucketKey(namespace, table, signature);
      // A bucket lives as long as its longest-lived entry: NX sets the TTL of a new bucket, GT only ever lengthens an
      // existing one (a key without TTL counts as infinite for GT, hence both; Valkey 7.2+, Redis OSS 7+). One
      // transaction, so that no bucket is ever left without a TTL, even by a client killed between the commands.
      await execTransaction(client.multi()
        .sadd(bucket, entry.id)
        .pexpire(bucket, entry.ttlMs, 'NX')
        .pexpire(bucket, entry.ttlMs, 'GT'), `semantic index bucket ${bucket}`);
    }));
  }

  public async nearest(client: Redis | Cluster, vector: Float32Array, tags: Readonly<Record<string, string>>): Promise<SemanticMatch | undefined> {
    const namespace = tagNamespace(tags);
    const buckets = this.lsh.signatures(vector).map((signature, table) => this.bucketKey(namespace, table, signature));
    const members = await Promise.all(buckets.map((bucket) => client.smembers(bucket)));
    const from = new Map<string, string[]>();
    members.forEach((ids, i) => ids.forEach((id) => from.set(id, [...(from.get(id) ?? []), buckets[i]])));
    const candidates = [...from.keys()].slice(0, this.maxCandidates);
    const vectors = await Promise.all(candidates.map((id) => client.getBuffer(this.vectorKey(id))));
    let best: { id: string; similarity: number } | undefined;
    const expired: string[] = [];
    vectors.forEach((bytes, i) => {
      const stored = bytes ? fromBytes(bytes, vector.length) : undefined;
      if (!stored) { expired.push(candidates[i]); return; }
      const similarity = cosine(vector, stored);
      if (!best || similarity > best.similarity) best = { id: candidates[i], similarity };
    });
    await Promise.all(expired.flatMap((id) => from.get(id)!.map((bucket) => client.srem(bucket, id))));
    if (!best) return undefined;
    const found = best as { id: string; similarity: number };
    const answer = await client.get(this.answerKey(found.id));
    return answer === null ? undefined : { ...found, answer };
  }

  private vectorKey(id: string): string {
    return `${this.keyPrefix}e:{${id}}:v`;
  }

  private answerKey(id: string): string {
    return `${this.keyPrefix}e:{${id}}:a`;
  }

  private bucketKey(namespace: string, table: number, signature: string): string {
    return `${this.keyPrefix}b:${namespace}:${table}:${signature}`;
  }
}

/**
 * The namespace of a tag set: entries are only ever compared with entries of exactly the same tags, so an answer
 * cached for another tenant, model or embedding-model version can never match.
 */
export function tagNamespace(tags: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(tags).sort().map((k) => [k, tags[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
