import type { Cluster, Redis } from 'ioredis';
import type { TtlPolicySpec } from '../catalog/connection';
import { jitteredTtlMs } from '../util/ttl';
import { execTransaction } from './transaction';

/** Thrown by the TTL helper for a write the cache's TTL policy does not allow. */
export class TtlPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TtlPolicyError';
  }
}

export interface TtlWriteOptions {
  /** The key's TTL in seconds; `'none'` keeps the key forever (refused under `requireTtl`). @default the policy's default TTL, with its jitter */
  readonly ttlSeconds?: number | 'none';
}

/**
 * Writes that follow the cache's TTL policy: without a TTL given, the policy's default with its jitter (so keys
 * written together do not expire together); any TTL capped at the policy's maximum; a write without TTL refused when
 * the policy requires one. Without a policy, writes without a TTL keep the key.
 */
/** A write to a cache that takes none (a Global Datastore secondary); the message says where writes go. */
export class ReadOnlyCacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyCacheError';
  }
}

export class TtlWriter {
  /**
   * @param readOnly why the cache takes no writes (a Global Datastore secondary: where writes go), or undefined; every
   * write is then refused before it is sent.
   */
  constructor(
    private readonly client: Redis | Cluster,
    public readonly policy: TtlPolicySpec | undefined,
    private readonly random: () => number = Math.random,
    private readonly readOnly?: string,
  ) {}

  /** The TTL in milliseconds a write gets, or undefined for none; throws TtlPolicyError when the policy forbids it. */
  public ttlMs(options: TtlWriteOptions = {}): number | undefined {
    const policy = this.policy;
    if (options.ttlSeconds === 'none') {
      if (policy?.requireTtl) throw new TtlPolicyError('the cache\'s TTL policy requires a TTL on every write (requireTtl); give ttlSeconds, or leave it out for the default');
      return undefined;
    }
    if (options.ttlSeconds !== undefined && !(options.ttlSeconds > 0)) throw new TtlPolicyError(`ttlSeconds must be above 0 (or 'none'), got ${options.ttlSeconds}`);
    if (!policy) return options.ttlSeconds === undefined ? undefined : Math.round(options.ttlSeconds * 1000);
    const ms = options.ttlSeconds === undefined ? jitteredTtlMs(policy.defaultTtlSeconds, policy.jitter, this.random()) : Math.max(1, Math.round(options.ttlSeconds * 1000));
    return policy.maxTtlSeconds === undefined ? ms : Math.min(ms, Math.round(policy.maxTtlSeconds * 1000));
  }

  /** SET with the policy's TTL (PX). */
  public async set(key: string, value: string | Buffer, options?: TtlWriteOptions): Promise<void> {
    this.refuseIfReadOnly();
    const ttl = this.ttlMs(options);
    if (ttl === undefined) await this.client.set(key, value);
    else await this.client.set(key, value, 'PX', ttl);
  }

  /** HSET of the fields, then PEXPIRE with the policy's TTL, in one MULTI so that the hash never lives without it. */
  public async hset(key: string, fields: Record<string, string | Buffer>, options?: TtlWriteOptions): Promise<void> {
    this.refuseIfReadOnly();
    const ttl = this.ttlMs(options);
    const multi = this.client.multi().hset(key, fields);
    if (ttl !== undefined) multi.pexpire(key, ttl);
    await execTransaction(multi, `HSET ${key}`);
  }

  private refuseIfReadOnly(): void {
    if (this.readOnly) throw new ReadOnlyCacheError(this.readOnly);
  }
}
