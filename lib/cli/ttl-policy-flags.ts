import { ConnectionContract } from '../catalog/connection';
import { UsageError } from '../catalog/errors';
import { parseDuration } from '../util/units';
import type { TtlPolicyCheck } from '../ops/analyze';


export interface TtlPolicyFlags {
  readonly requireTtl?: boolean;
  readonly maxTtl?: string;
}

/** The TTL policy `ectk analyze` checks: the contract's, or the flags' when there is no contract; undefined for none. */
export function ttlPolicyFrom(flags: TtlPolicyFlags, contract: ConnectionContract | undefined): TtlPolicyCheck | undefined {
  const maxTtlSeconds = flags.maxTtl === undefined ? undefined : parseDuration('--max-ttl', flags.maxTtl) / 1000;
  if (contract !== undefined) {
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
