import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest as SignedRequest } from '@smithy/types';

/**
 * Tokens are valid 15 minutes (AWS: "IAM authentication token ... valid for 15 minutes"), so none is reused: every
 * connect and reconnect signs its own (docs/aws-facts.md, "Auth").
 */
export const TOKEN_LIFETIME_SECONDS = 900;

export interface IamTokenRequest {
  /** Serverless cache name or replication group id: the host of the signed request (ElastiCache wants it lower case). */
  readonly cacheName: string;
  /** The IAM-enabled ElastiCache user; its user id equals its user name. */
  readonly userId: string;
  readonly region: string;
  /** Serverless caches are signed with `ResourceType=ServerlessCache`. */
  readonly serverless: boolean;
}

/** The request an IAM auth token signs: `GET http://<cache>/?Action=connect&User=<user>[&ResourceType=ServerlessCache]`. */
export function tokenRequest(r: IamTokenRequest): HttpRequest {
  const cacheName = r.cacheName.toLowerCase();
  return new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: cacheName,
    path: '/',
    headers: { host: cacheName },
    query: { Action: 'connect', User: r.userId, ...(r.serverless ? { ResourceType: 'ServerlessCache' } : {}) },
  });
}

export function signer(region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider): SignatureV4 {
  return new SignatureV4({ service: 'elasticache', region, credentials, sha256: Sha256 });
}

/** Renders a signed request as a token: the pre-signed URL without its `http://` scheme. */
export function renderToken(signed: SignedRequest): string {
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${signed.hostname}${signed.path}?${query}`;
}

/**
 * Makes an ElastiCache IAM authentication token: a SigV4 pre-signed request signed by the AWS SDK's own signer with the
 * given credentials (default: the standard credential chain), valid for 15 minutes. Used as the password in AUTH/HELLO.
 */
export async function createIamToken(
  r: IamTokenRequest,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = defaultProvider(),
  signingDate: Date = new Date(),
): Promise<string> {
  const signed = await signer(r.region, credentials).presign(tokenRequest(r), { expiresIn: TOKEN_LIFETIME_SECONDS, signingDate });
  return renderToken(signed);
}
