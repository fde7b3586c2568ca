import { UsageError } from '../catalog/errors';
import { contractFrom } from './contract-flag';

/** The flags that name what `ectk loadtest` runs against: one of them. */
export interface TargetFlags {
  readonly endpoint?: string;
  readonly contract?: string;
  readonly cache?: string;
  readonly user?: string;
  readonly cluster?: boolean;
}

export interface ResolvedTarget {
  /** `rediss://<user>@<endpoint>:<port>` from the contract, or `--endpoint` as given. */
  readonly endpoint: string;
  readonly cluster: boolean;
  /** The contract user's password on every connect: a new IAM token, or the secret's password. */
  readonly passwordSource?: () => Promise<string>;
}

/**
 * Resolves `--endpoint`, or `--contract` / `--cache` (the cache's SSM parameter `/ectk/<cache>/connection`) through the
 * standard credential chain: endpoint, port, TLS, cluster mode, user and how it authenticates come from the contract,
 * so an on-call engineer never pastes an endpoint or a token.
 */
export async function resolveTarget(flags: TargetFlags): Promise<ResolvedTarget> {
  const given = (['endpoint', 'contract', 'cache'] as const).filter((f) => flags[f] !== undefined);
  if (given.length !== 1) {
    throw new UsageError(given.length ? `--${given[1]}` : '--endpoint', given.length ? flags[given[1]]! : null, 'give exactly one of --endpoint, --contract or --cache');
  }
  if (flags.endpoint !== undefined) {
    if (flags.user !== undefined) throw new UsageError('--user', flags.user, 'picks a user of a contract (--contract, --cache); with --endpoint the user is in the URL');
    return { endpoint: flags.endpoint, cluster: flags.cluster ?? false };
  }
  // Loaded only for a contract: the AWS SDK clients it may need are not loaded by --endpoint runs.
  const { pickUser, passwordSource } = await import('../client/connect');
  const { contractParameterName } = await import('../client/contract-source');
  const contract = await contractFrom(flags.contract ?? contractParameterName(flags.cache!));
  const user = pickUser(contract, flags.user);
  return {
    endpoint: `rediss://${encodeURIComponent(user.userName)}@${contract.endpoint}:${contract.port}`,
    cluster: contract.clusterMode,
    passwordSource: passwordSource(contract, user),
  };
}
