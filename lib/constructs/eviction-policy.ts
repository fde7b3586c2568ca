import { MAXMEMORY_POLICIES } from '../catalog/parameters';
import { invalid } from './validation';

/**
 * The node-based cache's `maxmemory-policy`: what the engine does when memory reaches maxmemory.
 * Serverless caches have no such setting.
 */
export class EvictionPolicy {
  /** Evict the least recently used keys that have a TTL. ElastiCache's default; with no TTL keys it acts like NOEVICTION. */
  public static readonly VOLATILE_LRU = new EvictionPolicy('volatile-lru');
  /** Evict the least recently used keys, TTL or not. The usual choice for a pure cache. */
  public static readonly ALLKEYS_LRU = new EvictionPolicy('allkeys-lru');
  /** Evict the least frequently used keys that have a TTL. */
  public static readonly VOLATILE_LFU = new EvictionPolicy('volatile-lfu');
  /** Evict the least frequently used keys, TTL or not. Suits skewed (Zipf) popularity such as inference caches. */
  public static readonly ALLKEYS_LFU = new EvictionPolicy('allkeys-lfu');
  /** Evict random keys that have a TTL. */
  public static readonly VOLATILE_RANDOM = new EvictionPolicy('volatile-random');
  /** Evict random keys. */
  public static readonly ALLKEYS_RANDOM = new EvictionPolicy('allkeys-random');
  /** Evict the keys with a TTL that expire soonest. */
  public static readonly VOLATILE_TTL = new EvictionPolicy('volatile-ttl');
  /** Never evict: writes fail with OOM at maxmemory. For data that must not silently disappear. */
  public static readonly NOEVICTION = new EvictionPolicy('noeviction');

  /**
   * A policy by its `maxmemory-policy` name.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  public static of(name: string): EvictionPolicy {
    if (!(MAXMEMORY_POLICIES as readonly string[]).includes(name)) {
      invalid('EvictionPolicy', 'name', name, `allowed are ${MAXMEMORY_POLICIES.join(', ')}`);
    }
    return new EvictionPolicy(name);
  }

  /** The `maxmemory-policy` value. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** True for the LFU policies, the only ones that use `lfu-log-factor` and `lfu-decay-time`. */
  public get isLfu(): boolean {
    return this.value.endsWith('-lfu');
  }

  /** True when keys without a TTL can be evicted, so evictions are part of normal operation. */
  public get evictsAnyKey(): boolean {
    return this.value.startsWith('allkeys-');
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html */

  /**
   * The `maxmemory-policy` value.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  public toString(): string {
    return this.value;
  }
}
