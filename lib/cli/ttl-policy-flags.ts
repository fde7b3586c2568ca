import * as fs from 'fs';
import { ConnectionContract, parseContract } from '../catalog/connection';
import { UsageError } from '../catalog/errors';
import { parseDuration } from '../loadgen/units';
import type { TtlPolicyCheck } from '../ops/analyze';

export interface TtlPolicyFlags {
  readonly contract?: string;
  readonly requireTtl?: boolean;
  readonly maxTtl?: string;
}

/**
 * A contract named by `--contract`: a local JSON file (the contract itself, or `aws ssm get-parameter` output with the
 * document in `Parameter.Value`), or an SSM parameter name, read through the standard credential chain.
 */
export async function contractFrom(value: string): Promise<ConnectionContract> {
  if (fs.existsSync(value)) {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(value, 'utf8'));
    } catch {
      throw new UsageError('--contract', value, 'a JSON file: the connection contract, or what `aws ssm get-parameter` prints for it');
    }
    const printed = (doc as { Parameter?: { Value?: unknown } } | null)?.Parameter?.Value;
    return parseContract(typeof printed === 'string' ? printed : doc, `--contract ${value}`);
  }
  if (!value.startsWith('/')) throw new UsageError('--contract', value, 'a JSON file that exists, or an SSM parameter name such as /ectk/<cache>/connection');
  // Loaded only now: the SSM client is not needed for anything else.
  const { loadContract } = await import('../client/contract-source');
  return loadContract({ parameterName: value });
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
