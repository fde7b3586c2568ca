import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AccessString, CacheEngine, ClusterCache, CommandCategory, EvictionPolicy, SemanticCacheAlarms, TtlPolicy } from '../lib';
import { boundFunction } from './bound-function';
import { exampleBundle } from './example-bundle';
import { referenceVpc } from './reference-vpc';

/** The semantic cache's key prefix, embedding size and tags: what the application's `SemanticCache` uses. */
export const SEMANTIC_APP = { keyPrefix: 'sem:', dimensions: 1536, tagFields: ['tenant', 'model', 'embedding'] } as const;

/**
 * The semantic-caching variant of the reference deployment: a node-based Valkey 8.2 cluster that declares the vector
 * index its semantic cache queries (`VectorSearchIndex` with key prefix `sem:` queries `sem:idx` over `sem:h:`), sized
 * for a million 1,536-dimension entries, an application user confined to `sem:`, a connectivity probe, and the
 * semantic hit-ratio alarm. Environment-agnostic: synthesizes with no account.
 */
export class SemanticReferenceStack extends Stack {
  public readonly cluster: ClusterCache;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = referenceVpc(this);
    this.cluster = new ClusterCache(this, 'SemanticCache', {
      replicationGroupId: 'ectk-semantic',
      description: 'Semantic cache: answers to paraphrased prompts, by embedding similarity',
      engine: CacheEngine.VALKEY_8,
      nodeType: 'cache.r7g.large',
      shards: 2,
      replicasPerShard: 1,
      evictionPolicy: EvictionPolicy.VOLATILE_LRU,
      snapshotWindow: '03:00-04:00',
      maintenanceWindow: 'sun:05:00-sun:06:00',
      vpc,
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(24), jitter: 0.1, requireTtl: true }),
      vectorIndexes: [{
        indexName: `${SEMANTIC_APP.keyPrefix}idx`,
        keyPrefixes: [`${SEMANTIC_APP.keyPrefix}h:`],
        dimensions: SEMANTIC_APP.dimensions,
        expectedVectors: 1_000_000,
        otherFieldBytes: 1024,
        tagFields: [...SEMANTIC_APP.tagFields],
      }],
    });
    const appUser = this.cluster.addUser('SemanticApp', {
      accessString: AccessString.of({
        keyPatterns: [`${SEMANTIC_APP.keyPrefix}*`],
        allow: [CommandCategory.READ, CommandCategory.WRITE, CommandCategory.CONNECTION],
        allowCommands: ['ft.search', 'cluster|slots', 'cluster|shards', 'cluster|info'],
      }),
    });
    boundFunction(this, 'SemanticProbe', vpc, this.cluster, appUser, lambda.Code.fromAsset(exampleBundle('connectivity-probe')),
      `Connectivity probe for ${this.cluster.cacheName}`);
    new SemanticCacheAlarms(this, 'SemanticAlarms', {
      cacheName: this.cluster.cacheName,
      // AWS's guidance: about 55 % of prompts hit at similarity 0.90; alarm well below that.
      minHitRatioPercent: 40,
      alarmTopic: this.cluster.monitoring?.cacheAlarms.alarmTopic,
    });
  }
}
