import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CONTRACT_ENV, ConnectionContract, contractParameterName, parseContract } from '../catalog/connection';
import { UnreachableError, UsageError } from '../catalog/errors';

/** Where a connection contract comes from: the document itself, an SSM parameter, or the environment `bind()` set. */
export interface ContractSource {
  /** The contract, as an object or its JSON text. */
  readonly contract?: ConnectionContract | string;
  /** The cache's SSM parameter, `/ectk/<cache name>/connection`. */
  readonly parameterName?: string;
  /** Where `ECTK_CACHE_CONTRACT` is looked up. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}


/**
 * Reads the contract once from the first source given: `contract`, then `parameterName` (SSM GetParameter through the
 * standard credential chain), then `ECTK_CACHE_CONTRACT`. Errors name the source and the field.
 */
export async function loadContract(source: ContractSource, ssm: () => SSMClient = () => new SSMClient({})): Promise<ConnectionContract> {
  if (source.contract !== undefined) return parseContract(source.contract, 'contract');
  if (source.parameterName !== undefined) {
    const client = ssm();
    let reply;
    try {
      reply = await client.send(new GetParameterCommand({ Name: source.parameterName }));
    } catch (e) {
      throw new ContractUnreadable(source.parameterName, await regionOf(client), e as Error);
    }
    return parseContract(reply.Parameter?.Value ?? '', `SSM parameter ${source.parameterName}`);
  }
  const fromEnv = (source.env ?? process.env)[CONTRACT_ENV];
  if (fromEnv) return parseContract(fromEnv, CONTRACT_ENV);
  throw new UsageError('contract', null,
    `give the contract, its SSM parameter (${contractParameterName('<cache name>')}), or run where cache.bind() set ${CONTRACT_ENV}`);
}

/**
 * The contract's SSM parameter could not be read: names the parameter, the Region asked and why (not found, access
 * denied, or SSM out of reach). Exit code 3, like a cache that cannot be reached.
 */
export class ContractUnreadable extends UnreachableError {
  constructor(parameterName: string, region: string | undefined, cause: Error) {
    const why = cause.name === 'ParameterNotFound' ? 'it does not exist there (is the cache deployed, and is this its Region?)'
      : /AccessDenied/.test(cause.name) ? `access denied (${cause.message}): the caller needs ssm:GetParameter on it`
        : `${cause.message} (SSM out of reach: check the Region, the network and the endpoint)`;
    super(`cannot read the connection contract from SSM parameter ${parameterName}${region ? ` in ${region}` : ''}: ${why}`);
    this.name = 'ContractUnreadable';
  }
}

async function regionOf(client: SSMClient): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    return undefined;
  }
}
