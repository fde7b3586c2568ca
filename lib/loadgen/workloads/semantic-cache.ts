import { SemanticCache } from '../../client/semantic/semantic-cache';
import { VectorSearchIndex } from '../../client/semantic/vector-search-index';
import { TtlWriter } from '../../client/ttl-writer';
import { Rng, zipfPicker } from '../random';
import { randomUnitVector, vectorNear } from './embeddings';
import { Client } from '../../client/target';
import { OpOutcome, Values, Workload, WorkloadContext } from './types';

/** Embedding size of the synthetic prompts. */
export const SEMANTIC_DIMENSIONS = 128;
/** Similarity threshold of the profile's semantic cache (AWS's starting range is 0.90-0.95). */
export const SEMANTIC_THRESHOLD = 0.9;
/** Paraphrases of an intent sit at this cosine similarity range to its centre. */
const PARAPHRASE = [0.93, 0.99] as const;
/** Hard negatives (another intent, as near as a negation is to its statement) sit here; one query in ten is one. */
const HARD_NEGATIVE = [0.88, 0.98] as const;
const HARD_NEGATIVE_SHARE = 0.1;
const HIT: OpOutcome = { hits: 1 };
/** A hit that served another intent's answer: a hit, and a false one. */
const FALSE_HIT: OpOutcome = { hits: 1, falseHits: 1 };
const MISS: OpOutcome = { misses: 1 };

/** An intent's centre: the same vector in every worker and thread, from the intent's number alone. */
function centre(intent: number): Float32Array {
  return randomUnitVector(new Rng(0x9e3779b9 ^ Math.imul(intent + 1, 0x85ebca6b)), SEMANTIC_DIMENSIONS);
}

/**
 * semantic-cache: prompts asked in other words. Intents are Zipf-popular; each query is an embedding near its intent's
 * centre (cosine 0.93-0.99), and one in ten is a hard negative: as near an intent (0.88-0.98) as a negation is to its
 * statement, but meaning something else.
 * A read-through semantic cache (the toolkit's bucketed index, threshold 0.90) answers it or, on a miss, stores the
 * "model's" answer labelled with the query's true intent. With `semanticIndex: 'vector-search'` the cache queries an
 * FT.SEARCH index instead (created by setup under the run's prefix, dropped by teardown; node-based Valkey 8.2+ only).
 * The generator knows the ground truth, so it reports the semantic hit ratio and the false-hit ratio (answers served
 * for another intent). The intents' number is --keyspace.
 */
export function semanticCacheWorkload(ctx: WorkloadContext): Workload {
  const intents = zipfPicker(ctx.rng, ctx.keyspace);
  const answers = new Values(ctx);
  const centres = new Map<number, Float32Array>();
  const caches = new WeakMap<Client, SemanticCache>();
  const policy = { defaultTtlSeconds: ctx.ttlSeconds, jitter: ctx.ttlJitter, requireTtl: true };
  const keyPrefix = `${ctx.keyPrefix}sem:`;
  const index = ctx.semanticIndex === 'vector-search' ? new VectorSearchIndex(keyPrefix, SEMANTIC_DIMENSIONS, { tagFields: [] }) : undefined;
  const cacheFor = (client: Client): SemanticCache => {
    let cache = caches.get(client);
    if (!cache) {
      cache = new SemanticCache(client, new TtlWriter(client, policy, () => ctx.rng.next()), {
        dimensions: SEMANTIC_DIMENSIONS, keyPrefix, threshold: SEMANTIC_THRESHOLD, ...(index ? { index } : {}),
      });
      caches.set(client, cache);
    }
    return cache;
  };
  const between = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * ctx.rng.next();
  return {
    setup: async (client) => { await index?.create(client); },
    ...(index ? {
      teardown: (client: Client) => index.drop(client),
      keptState: `the index ${index.indexName} stays until dropped (FT.DROPINDEX ${index.indexName})`,
    } : {}),
    operation: async (client): Promise<OpOutcome> => {
      const intent = intents.next();
      let c = centres.get(intent);
      if (!c) { c = centre(intent); centres.set(intent, c); }
      const negative = ctx.rng.next() < HARD_NEGATIVE_SHARE;
      const truth = negative ? `not-${intent}` : `intent-${intent}`;
      const query = vectorNear(ctx.rng, c, between(negative ? HARD_NEGATIVE : PARAPHRASE));
      const cache = cacheFor(client);
      const found = await cache.lookup(query);
      if (found.hit) return found.answer!.split('|')[0] !== truth ? FALSE_HIT : HIT;
      await cache.store(query, `${truth}|${answers.next().toString('latin1')}`);
      return MISS;
    },
  };
}
