import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * A generated ElastiCache password: 16-128 printable characters with a restricted set of symbols; letters and digits
 * are always accepted (docs/aws-facts.md, "Auth").
 */
export const ELASTICACHE_PASSWORD: secretsmanager.SecretStringGenerator = { excludePunctuation: true, passwordLength: 32 };
