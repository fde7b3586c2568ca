/**
 * The inference-cache Lambda: bound to a cache with `cache.bind(fn, { user })`, it answers `{ "prompt": "..." }` from
 * the cache when it can and from the model when it must (read-through.ts).
 *
 * The model here is a stand-in: no model runs in this repository, so `model()` waits MODEL_DELAY_MS (default 300)
 * and returns a deterministic answer. Replace it with the call to your model endpoint.
 */
import { connect } from '../../lib/client';
import { ReadThroughCache } from './read-through';

async function model(prompt: string): Promise<string> {
  await new Promise((r) => setTimeout(r, Number(process.env.MODEL_DELAY_MS ?? 300)));
  return `answer to: ${prompt}`;
}

// One connection per execution environment, opened on the first invocation and again after a failure.
let cache: Promise<ReadThroughCache> | undefined;

export const handler = async (event: { prompt?: unknown }) => {
  if (typeof event?.prompt !== 'string' || event.prompt.length === 0) throw new Error('event.prompt: invalid value: a non-empty string');
  cache ??= connect().then((c) => new ReadThroughCache(c, model)).catch((e: Error) => { cache = undefined; throw e; });
  return (await cache).answer(event.prompt);
};
