import { createIamToken, signer, TOKEN_LIFETIME_SECONDS, tokenRequest } from '../../lib/client/iam-token';

// Fixed credentials and time, so the token is reproducible and its signature can be checked with the same signer.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const at = new Date('2026-11-26T10:00:00Z');

function parse(token: string): { host: string; params: URLSearchParams } {
  const url = new URL(`http://${token}`);
  return { host: url.host, params: url.searchParams };
}

describe('ElastiCache IAM auth token', () => {
  // Format: ElastiCache user guide, "Authenticating with IAM" (auth-iam): a SigV4 pre-signed
  // GET http://<cache name>/?Action=connect&User=<user id>[&ResourceType=ServerlessCache], valid 15 minutes,
  // used without its http:// scheme as the password.
  test('a replication-group token: host = group id, Action=connect, User, 900 s, signed for elasticache in the region', async () => {
    const token = await createIamToken({ cacheName: 'ectk-features', userId: 'ectk-features-loadgen', region: 'eu-west-1', serverless: false }, credentials, at);
    expect(token.startsWith('http')).toBe(false);
    const { host, params } = parse(token);
    expect(host).toBe('ectk-features');
    expect(params.get('Action')).toBe('connect');
    expect(params.get('User')).toBe('ectk-features-loadgen');
    expect(params.get('ResourceType')).toBeNull();
    expect(params.get('X-Amz-Expires')).toBe(String(TOKEN_LIFETIME_SECONDS));
    expect(TOKEN_LIFETIME_SECONDS).toBe(900);
    expect(params.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(params.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261126/eu-west-1/elasticache/aws4_request');
    expect(params.get('X-Amz-Date')).toBe('20261126T100000Z');
    expect(params.get('X-Amz-SignedHeaders')).toBe('host');
    expect(params.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a serverless token carries ResourceType=ServerlessCache and a lower-cased cache name', async () => {
    const { host, params } = parse(await createIamToken({ cacheName: 'Ectk-Inference', userId: 'u1', region: 'us-east-1', serverless: true }, credentials, at));
    expect(host).toBe('ectk-inference');
    expect(params.get('ResourceType')).toBe('ServerlessCache');
  });

  test('the signature verifies with the same signer, and changes with the user, the resource type or the key', async () => {
    const request = { cacheName: 'ectk-inference', userId: 'u1', region: 'us-east-1', serverless: true };
    const token = await createIamToken(request, credentials, at);
    const resigned = await signer('us-east-1', credentials).presign(tokenRequest(request), { expiresIn: 900, signingDate: at });
    expect(parse(token).params.get('X-Amz-Signature')).toBe(resigned.query!['X-Amz-Signature']);
    const signature = (t: string) => parse(t).params.get('X-Amz-Signature');
    expect(signature(await createIamToken({ ...request, userId: 'u2' }, credentials, at))).not.toBe(signature(token));
    expect(signature(await createIamToken({ ...request, serverless: false }, credentials, at))).not.toBe(signature(token));
    expect(signature(await createIamToken(request, { ...credentials, secretAccessKey: 'other' }, at))).not.toBe(signature(token));
  });

  test('temporary credentials put the session token in the query', async () => {
    const { params } = parse(await createIamToken({ cacheName: 'c', userId: 'u', region: 'us-east-1', serverless: false }, { ...credentials, sessionToken: 'SESSION/TOKEN+1' }, at));
    expect(params.get('X-Amz-Security-Token')).toBe('SESSION/TOKEN+1');
  });

  test('tokens signed at different times differ: a reconnect never reuses an old one', async () => {
    const request = { cacheName: 'c', userId: 'u', region: 'us-east-1', serverless: false };
    const first = await createIamToken(request, credentials, at);
    const later = await createIamToken(request, credentials, new Date(at.getTime() + 16 * 60_000));
    expect(later).not.toBe(first);
    expect(parse(later).params.get('X-Amz-Date')).toBe('20261126T101600Z');
  });
});
