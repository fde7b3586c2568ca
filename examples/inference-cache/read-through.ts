/**
 * A read-through inference cache on connect(): answer a repeated prompt from the cache instead of running the model
 * again, with the cache's TTL policy on every answer and single-flight protection when a popular key is missing.
 *
 * Single flight, two levels: concurrent misses for one prompt in one process share one model call (an in-process map
 * of promises); across processes (Lambda execution environments) a short lock key (SET NX PX) lets one of them call
 * the model while the others wait for its answer to appear, and call the model themselves only if it does not within
 * the lock's lifetime (the lock holder may have died).
 */
import { createHash } from 'crypto';
import type { CacheConnection } from '../../lib/client';

export interface ReadThroughOptions {
  /** Key prefix of answers and locks; the bound user's access string must allow it. @default 'infer:' */
  readonly prefix?: string;
  /** How long one process may hold the model call for a prompt before others call the model too. @default 10000 */
  readonly lockMs?: number;
  /** How often a waiting process looks for the answer. @default 25 */
  readonly pollMs?: number;
}

export interface Answer {
  readonly answer: string;
  /** `hit`: from the cache; `computed`: this call ran the model; `waited`: another caller's model call answered it. */
  readonly source: 'hit' | 'computed' | 'waited';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ReadThroughCache {
  private readonly inFlight = new Map<string, Promise<Answer>>();
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(private readonly cache: CacheConnection, private readonly model: (prompt: string) => Promise<string>, options: ReadThroughOptions = {}) {
    this.prefix = options.prefix ?? 'infer:';
    this.lockMs = options.lockMs ?? 10_000;
    this.pollMs = options.pollMs ?? 25;
  }

  /** The key of a prompt's answer: a hash, so that prompts of any length and content make valid, bounded keys. */
  public keyOf(prompt: string): string {
    return `${this.prefix}a:${createHash('sha256').update(prompt).digest('hex')}`;
  }

  public async answer(prompt: string): Promise<Answer> {
    const key = this.keyOf(prompt);
    const cached = await this.cache.reader.get(key);
    if (cached !== null) return { answer: cached, source: 'hit' };
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fill(key, prompt).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fill(key: string, prompt: string): Promise<Answer> {
    const lock = `${key}:lock`;
    const holder = await this.cache.client.set(lock, '1', 'PX', this.lockMs, 'NX');
    if (holder === null) {
      // Someone else is computing it: wait for the answer, at most as long as their lock lives.
      const until = Date.now() + this.lockMs;
      while (Date.now() < until) {
        await sleep(this.pollMs);
        const answer = await this.cache.client.get(key);
        if (answer !== null) return { answer, source: 'waited' };
        if ((await this.cache.client.exists(lock)) === 0) break;
      }
    }
    const answer = await this.model(prompt);
    await this.cache.ttl.set(key, answer);
    if (holder !== null) await this.cache.client.del(lock);
    return { answer, source: 'computed' };
  }
}
