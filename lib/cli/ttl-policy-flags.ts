import { UsageError } from '../catalog/errors';
import { parseDuration } from '../loadgen/units';
import type { TtlPolicyCheck } from '../ops/analyze';
import { contractFrom } from './contract-flag';

export interface TtlPolicyFlags {
  readonly contract?: string;
  readonly requireTtl?: boolean;
  readonly maxTtl?: string;
}

/** The TTL policy `ectk analyze` checks: the contract's, or the flags' when there is no contract; undefined for none. */
export async function ttlPolicyFrom(flags: TtlPolicyFlags): Promise<TtlPolicyCheck | undefined> {
  const maxTtlSeconds = flags.maxTtl === undefined ? undefined : parseDuration('--max-ttl', flags.maxTtl) / 1000;
  if (flags.contract !== undefined) {
    const contract = await contractFrom(flags.contract);
    if (contract.ttlPolicy && (flags.requireTtl || maxTtlSeconds !== undefined)) {
      throw new UsageError(flags.requireTtl ? '--require-ttl' : '--max-ttl', flags.requireTtl ? true : flags.maxTtl,
        `the contract of ${contract.cacheName} has a TTL policy, which is the one checked; leave the flag out`);
    }
    if (contract.ttlPolicy) {
      return { requireTtl: contract.ttlPolicy.requireTtl, maxTtlSeconds: contract.ttlPolicy.maxTtlSeconds, source: `the contract of ${contract.cacheName}` };
    }
  }
  if (!flags.requireTtl && maxTtlSeconds === undefined) return undefined;
  if (maxTtlSeconds !== undefined && !(maxTtlSeconds > 0)) throw new UsageError('--max-ttl', flags.maxTtl, 'a duration above 0, e.g. 1d or 6h');
  return { requireTtl: flags.requireTtl === true, maxTtlSeconds, source: 'flags' };
}
