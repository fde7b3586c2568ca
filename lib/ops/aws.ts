import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { EXIT } from '../catalog/errors';

/** Where and as whom ectk talks to AWS: `--region`, `--profile`, `--endpoint-url` (for emulators). */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

export interface AwsClients {
  readonly elasticache: ElastiCacheClient;
  readonly cloudwatch: CloudWatchClient;
}

/**
 * The AWS clients of the ops commands. The SDK is loaded here, on first use, so that `ectk --help`, `loadtest` and the
 * Redis-only commands start without it.
 */
export function awsClients(o: AwsOptions): AwsClients {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { CloudWatchClient } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
  const { ElastiCacheClient } = require('@aws-sdk/client-elasticache') as typeof import('@aws-sdk/client-elasticache');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = { ...awsClientConfig(o), maxAttempts: 5 };
  return { elasticache: new ElastiCacheClient(config), cloudwatch: new CloudWatchClient(config) };
}

/**
 * The settings every AWS client of ectk is made with: the Region and endpoint asked for, and the named profile's
 * credentials (`--profile`, as the AWS CLI reads it) or, without one, the standard chain.
 */
export function awsClientConfig(o: AwsOptions = {}): { region?: string; endpoint?: string; credentials?: AwsCredentialIdentityProvider } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const credentials = o.profile ? (require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node')).defaultProvider({ profile: o.profile }) : undefined;
  return { ...(o.region ? { region: o.region } : {}), ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}), ...(credentials ? { credentials } : {}) };
}

/** An AWS or network failure, as one clear line. Exit code 3. */
export class AwsError extends Error {
  public readonly exitCode = EXIT.unreachable;
  constructor(message: string) {
    super(message);
    this.name = 'AwsError';
  }
}

/** The thing checked is unhealthy or the operation failed. Exit code 1. */
export class CheckFailed extends Error {
  public readonly exitCode = EXIT.breached;
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/**
 * Turns an SDK error into one line that says what to do: not found, access denied (naming the action), throttled
 * (after the SDK's retries), quota exceeded, or no network.
 */
export function describeAwsError(e: unknown, action: string): AwsError {
  const error = e as Error & { name?: string; Code?: string; $metadata?: { attempts?: number; httpStatusCode?: number }; code?: string };
  const name = error.name ?? error.Code ?? 'Error';
  const message = error.message ?? String(e);
  const attempts = error.$metadata?.attempts;
  if (/NotFound/i.test(name)) return new AwsError(`${action}: not found (${name}): ${message}`);
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name) || error.$metadata?.httpStatusCode === 403) {
    const denied = /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1] ?? action;
    return new AwsError(`${action}: access denied: the caller needs ${denied} (${message})`);
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(name)) {
    return new AwsError(`${action}: throttled by AWS${attempts ? ` after ${attempts} attempts` : ''}; wait a minute and retry`);
  }
  if (/QuotaExceeded|LimitExceeded/i.test(name)) return new AwsError(`${action}: quota exceeded (${name}): ${message}`);
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket|network/i.test(`${error.code ?? ''} ${message}`)) {
    return new AwsError(`${action}: cannot reach AWS (${message}); check the network, --region and --endpoint-url`);
  }
  if (/CredentialsProviderError|Could not load credentials/i.test(`${name} ${message}`)) {
    return new AwsError(`${action}: no AWS credentials (${message}); set AWS_PROFILE or use --profile`);
  }
  return new AwsError(`${action}: ${name}: ${message}`);
}

/** Runs an AWS call, turning its failure into a one-line AwsError naming the action. */
export async function call<T>(action: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw describeAwsError(e, action);
  }
}
