import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CacheUserSpec, ConnectionContract } from '../catalog/connection';
import { CacheFlavour } from '../catalog/metrics';
import { createIamToken, IamTokenRequest } from './iam-token';

/** How a user's credentials are produced; every field has a documented default. */
export interface CredentialOptions {
  /** AWS credentials for IAM tokens. @default the standard credential chain */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Signs IAM auth tokens. @default createIamToken (SigV4 pre-signed, valid 15 minutes) */
  readonly iamToken?: (request: IamTokenRequest) => Promise<string>;
  /** AWS SDK client settings for SSM and Secrets Manager (endpoint, region). @default the SDK's */
  readonly awsClientConfig?: { readonly endpoint?: string; readonly region?: string; readonly credentials?: AwsCredentialIdentityProvider | { accessKeyId: string; secretAccessKey: string } };
}

/**
 * A password user's password: the `password` field of its Secrets Manager secret (`{"username", "password"}`), read
 * again on every call so that a rotated password is picked up at the next connect.
 */
export async function secretPassword(secrets: SecretsManagerClient, secretArn: string): Promise<string> {
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const password = (JSON.parse(secret.SecretString ?? '{}') as { password?: string }).password;
  if (!password) throw new Error(`the secret ${secretArn} has no "password" field`);
  return password;
}

/**
 * The password of every connect: a newly signed IAM token, or the secret's `password` read again (rotation-safe). The
 * one place a user's credentials are produced: connect(), the CLI's contract targets and the load-generator Lambda.
 */
export function passwordSource(
  cache: Pick<ConnectionContract, 'cacheName' | 'region' | 'flavour'>, user: CacheUserSpec,
  options: CredentialOptions = {},
  secrets: () => SecretsManagerClient = () => new SecretsManagerClient({ ...options.awsClientConfig }),
): () => Promise<string> {
  if (user.authentication === 'iam') {
    const sign = options.iamToken ?? ((r: IamTokenRequest) => createIamToken(r, options.credentials));
    const request = { cacheName: cache.cacheName, userId: user.userName, region: cache.region, serverless: cache.flavour === CacheFlavour.SERVERLESS };
    return () => sign(request);
  }
  const client = secrets();
  return () => secretPassword(client, user.passwordSecretArn!);
}
