import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

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
