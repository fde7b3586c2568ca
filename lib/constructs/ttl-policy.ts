import { Duration } from 'aws-cdk-lib';
import { TtlPolicySpec } from '../catalog/connection';
import { durationText, invalid } from './validation';

/** Properties of a TTL policy. */
export interface TtlPolicyProps {
  /**
   * TTL that clients give every key they write.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly defaultTtl: Duration;
  /**
   * Fraction by which each TTL is spread, in [0, 0.5]: a key gets default × (1 ± jitter), so keys written together
   * do not expire together (no thundering herd on the model or database behind the cache).
   * @default 0.1
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly jitter?: number;
  /**
   * Longest TTL a client may set.
   * @default - no maximum
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly maxTtl?: Duration;
  /**
   * Every key must carry a TTL. Turns on the `ttl-missing` alarm and is what `ectk analyze` checks against.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly requireTtl?: boolean;
}

/** How long keys live in a cache; handed to every client through `bind()` and the SSM connection contract. */
export class TtlPolicy {
  /**
   * A TTL policy, validated.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  public static of(props: TtlPolicyProps): TtlPolicy {
    return new TtlPolicy(props);
  }

  /** TTL that clients give every key they write. */
  public readonly defaultTtl: Duration;
  /** Jitter fraction in [0, 0.5]. */
  public readonly jitter: number;
  /** Longest TTL allowed, if any. */
  public readonly maxTtl?: Duration;
  /** Whether every key must carry a TTL. */
  public readonly requireTtl: boolean;

  private constructor(props: TtlPolicyProps) {
    const seconds = props.defaultTtl.toSeconds({ integral: false });
    if (!(seconds >= 1) || !Number.isInteger(seconds)) {
      invalid('TtlPolicy', 'defaultTtl', props.defaultTtl, 'allowed is a whole number of seconds, at least 1');
    }
    const jitter = props.jitter ?? 0.1;
    if (!(jitter >= 0 && jitter <= 0.5)) {
      invalid('TtlPolicy', 'jitter', jitter, 'allowed is a fraction from 0 to 0.5');
    }
    if (props.maxTtl !== undefined) {
      const max = props.maxTtl.toSeconds({ integral: false });
      if (!Number.isInteger(max) || max < seconds) {
        invalid('TtlPolicy', 'maxTtl', props.maxTtl, `allowed is a whole number of seconds not below defaultTtl (${durationText(props.defaultTtl)})`);
      }
    }
    this.defaultTtl = props.defaultTtl;
    this.jitter = jitter;
    this.maxTtl = props.maxTtl;
    this.requireTtl = props.requireTtl ?? false;
  }

}

/** A TTL policy as the plain data of the connection contract (internal: the wire format stays out of the public API). */
export function ttlPolicySpec(policy: TtlPolicy): TtlPolicySpec {
  return {
    defaultTtlSeconds: policy.defaultTtl.toSeconds(),
    jitter: policy.jitter,
    maxTtlSeconds: policy.maxTtl?.toSeconds(),
    requireTtl: policy.requireTtl,
  };
}
