import { ConnectionContract, contractParameterName } from '../catalog/connection';
import { UsageError } from '../catalog/errors';
import { awsClientConfig, AwsOptions } from '../ops/aws';
import { contractFrom } from './contract-flag';

/** The flags that name what a command connects to. */
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
  /** The contract, when `--contract` or `--cache` named one: read once, here. */
  readonly contract?: ConnectionContract;
}

export interface ResolveOptions {
  /**
   * `--endpoint` together with `--contract`/`--cache`: connect to the endpoint given (a tunnel, say) and take only
   * the rest of the contract (its TTL policy) from the contract. Without it, the flags exclude each other.
   * @default false
   */
  readonly endpointWithContract?: boolean;
  /**
   * Where and as whom to read the contract's SSM parameter and sign IAM tokens or read a password secret (`--region`,
   * `--profile`, `--endpoint-url`).
   * @default the standard chain
   */
  readonly aws?: AwsOptions;
}

/** What `--contract` or `--cache` name: a file or an SSM parameter; undefined for neither. */
export function contractNameOf(flags: Pick<TargetFlags, 'contract' | 'cache'>): string | undefined {
  if (flags.contract !== undefined && flags.cache !== undefined) throw new UsageError('--cache', flags.cache, 'give one of --contract and --cache');
  return flags.cache !== undefined ? contractParameterName(flags.cache) : flags.contract;
}

/**
 * Resolves `--endpoint`, or `--contract` / `--cache` (the cache's SSM parameter `/ectk/<cache>/connection`) through the
 * standard credential chain: endpoint, port, TLS, cluster mode, user and how it authenticates come from the contract,
 * so an on-call engineer never pastes an endpoint or a token.
 */
export async function resolveTarget(flags: TargetFlags, options: ResolveOptions = {}): Promise<ResolvedTarget> {
  const contractName = contractNameOf(flags);
  if (flags.endpoint !== undefined) {
    if (contractName !== undefined && !options.endpointWithContract) {
      throw new UsageError(flags.cache !== undefined ? '--cache' : '--contract', flags.cache ?? flags.contract!, 'give exactly one of --endpoint, --contract or --cache');
    }
    if (flags.user !== undefined) throw new UsageError('--user', flags.user, 'picks a user of a contract (--contract, --cache) to connect as; with --endpoint the user is in the URL');
    return { endpoint: flags.endpoint, cluster: flags.cluster ?? false, ...(contractName !== undefined ? { contract: await contractFrom(contractName, options.aws) } : {}) };
  }
  if (contractName === undefined) {
    throw UsageError.missing('target', 'name the cache with one of --endpoint redis[s]://host:port, --cache NAME or --contract FILE|PARAMETER');
  }
  // Loaded only for a contract: the AWS SDK clients it may need are not loaded by --endpoint runs.
  const { pickUser } = await import('../client/connect');
  const { passwordSource } = await import('../client/passwords');
  const contract = await contractFrom(contractName, options.aws);
  const user = pickUser(contract, flags.user);
  const config = awsClientConfig(options.aws);
  return {
    endpoint: `rediss://${encodeURIComponent(user.userName)}@${contract.endpoint}:${contract.port}`,
    cluster: contract.clusterMode,
    passwordSource: passwordSource(contract, user, { credentials: config.credentials, awsClientConfig: config }),
    contract,
  };
}
