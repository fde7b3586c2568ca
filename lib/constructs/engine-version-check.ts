import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { nodeBasedVersionVerdict, serverlessVersionVerdict } from '../catalog/engine-versions';
import type { CacheEngine } from './cache-engine';
import { invalid } from './validation';

/**
 * An engine version against the versions ElastiCache documents for the flavour (docs/aws-facts.md, "Engine versions"):
 * one that is not listed and not newer than the newest listed is refused (`CacheEngine.valkey('8.3')`,
 * `CacheEngine.redisOss('6.1')`); one newer than the newest is let through with a warning, for a version AWS added
 * since (acknowledge it with the id the warning names). An import (`where` a path) gets the refusal only.
 */
export function checkEngineVersion(where: Construct | string, engine: CacheEngine, flavour: 'node-based' | 'serverless'): void {
  const verdict = flavour === 'serverless' ? serverlessVersionVerdict(engine.engine, engine.version) : nodeBasedVersionVerdict(engine.engine, engine.version);
  if (verdict.kind === 'unknown') {
    invalid(where, 'engine', engine.displayName, `${verdict.allowed} (docs/aws-facts.md, "Engine versions")`);
  }
  if (verdict.kind === 'newer' && typeof where !== 'string') {
    const id = flavour === 'serverless' ? '@ectk/serverless-cache:engine-version' : '@ectk/cluster-cache:engine-version';
    const api = flavour === 'serverless' ? 'CreateServerlessCache' : 'CreateReplicationGroup';
    Annotations.of(where).addWarningV2(id, `engine ${engine.displayName} is newer than the ${flavour} versions ElastiCache ` +
      `documents (the newest is ${verdict.newest}; docs/aws-facts.md, "Engine versions"); if AWS added it since, this is fine, ` +
      `otherwise the deployment fails at ${api}`);
  }
}
