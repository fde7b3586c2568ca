import { UsageError } from '../catalog/errors';
import { mulberry32 } from '../util/mulberry32';

/** The load generator's seedable source (mulberry32): reproducible workloads per worker, fast, not for security. */
export class Rng {
  /** Uniform in [0, 1). */
  public readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [0, n). */
  public int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  public between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Exponential with the given mean (Poisson arrivals). */
  public exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Standard normal (Box-Muller). */
  public normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** How keys are picked from the keyspace (memtier's --key-pattern vocabulary). */
export type KeyPattern = 'uniform' | 'zipf' | 'gaussian' | 'sequential';
export const KEY_PATTERNS: readonly KeyPattern[] = ['uniform', 'zipf', 'gaussian', 'sequential'];

export function parseKeyPattern(text: string): KeyPattern {
  if (!(KEY_PATTERNS as readonly string[]).includes(text)) {
    throw new UsageError('--key-pattern', text, `allowed are ${KEY_PATTERNS.join(', ')}`);
  }
  return text as KeyPattern;
}

/** Picks key indexes in [0, keyspace). */
export interface KeyPicker { next(): number }

/**
 * Zipf over ranks 1..n with exponent s (0.99 by default, as YCSB): rank r has weight 1/r^s. Sampled by binary
 * search in a precomputed CDF (8 bytes per key).
 */
export function zipfPicker(rng: Rng, n: number, s = 0.99): KeyPicker {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 1; r <= n; r++) {
    sum += 1 / Math.pow(r, s);
    cdf[r - 1] = sum;
  }
  return {
    next: () => {
      const target = rng.next() * sum;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

export function keyPicker(pattern: KeyPattern, rng: Rng, keyspace: number): KeyPicker {
  switch (pattern) {
    case 'uniform':
      return { next: () => rng.int(keyspace) };
    case 'zipf':
      return zipfPicker(rng, keyspace);
    case 'gaussian': {
      // Centred on the middle of the keyspace, 99.7 % of picks within it (memtier's default shape).
      const mean = keyspace / 2;
      const sd = keyspace / 6;
      return { next: () => Math.min(keyspace - 1, Math.max(0, Math.round(mean + rng.normal() * sd))) };
    }
    case 'sequential': {
      let i = 0;
      return { next: () => { const k = i; i = (i + 1) % keyspace; return k; } };
    }
  }
}
