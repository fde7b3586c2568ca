import { Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  AccessString, CacheEngine, ClusterCache, CommandCategory, EvictionPolicy, LatencySlo, LoadProfile, ServerlessCache, TtlPolicy,
} from '../lib';
import { boundFunction } from './bound-function';
import { exampleBundle } from './example-bundle';
import { referenceVpc } from './reference-vpc';

/**
 * The reference deployment: a VPC, a serverless Valkey cache for inference caching, a node-based Valkey 8 cluster for
 * feature serving, a connectivity-probe Lambda bound to each, and the inference-cache example bound to the serverless
 * cache. Environment-agnostic: synthesizes with no account.
 */
export class ReferenceStack extends Stack {
  public readonly serverless: ServerlessCache;
  public readonly cluster: ClusterCache;
  public readonly inferenceSlo: LatencySlo;
  public readonly featureSlo: LatencySlo;
  /** The inference-cache example Lambda, bound to the serverless cache. */
  public readonly inferenceFunction: lambda.Function;
  /** Where the example's bundle was written for its asset. */
  public readonly inferenceFunctionAssetDirectory: string;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = referenceVpc(this);

    this.serverless = new ServerlessCache(this, 'InferenceCache', {
      serverlessCacheName: 'ectk-inference',
      description: 'Inference cache: answers to repeated prompts',
      engine: CacheEngine.VALKEY_8,
      vpc,
      usageLimits: { dataStorageMaximum: Size.gibibytes(10), ecpuPerSecondMaximum: 100_000 },
      dailySnapshotTime: '03:00',
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(1), jitter: 0.1, maxTtl: Duration.hours(24) }),
    });
    const inferenceUser = this.serverless.addUser('InferenceApp', {
      accessString: AccessString.forKeyPrefix('infer:', [CommandCategory.READ, CommandCategory.WRITE, CommandCategory.CONNECTION]),
    });

    this.cluster = new ClusterCache(this, 'FeatureCache', {
      replicationGroupId: 'ectk-features',
      description: 'Feature store serving cache',
      engine: CacheEngine.VALKEY_8,
      nodeType: 'cache.r7g.large',
      shards: 3,
      replicasPerShard: 1,
      evictionPolicy: EvictionPolicy.ALLKEYS_LFU,
      snapshotWindow: '03:00-04:00',
      maintenanceWindow: 'sun:05:00-sun:06:00',
      vpc,
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(6), jitter: 0.2, requireTtl: true }),
      // Between 3 and 6 shards on the primaries' engine CPU, well before the engine-cpu-high alarm (90 %).
      shardAutoScaling: { maxShards: 6, targetValue: 70 },
    });
    const featureUser = this.cluster.addUser('FeatureApp', {
      accessString: AccessString.forKeyPrefix('feat:', [CommandCategory.READ, CommandCategory.WRITE, CommandCategory.CONNECTION]),
    });

    // SLO checks: the inference cache's load is fanned out over 4 Lambdas (merged and published outside the VPC);
    // the feature cache's single worker publishes from inside the isolated VPC through a CloudWatch endpoint, gates
    // every deployment, and has an on-demand capacity search beside it.
    this.inferenceSlo = new LatencySlo(this, 'InferenceSlo', {
      cache: this.serverless,
      vpc,
      profile: LoadProfile.INFERENCE_CACHE,
      rate: 2000,
      workers: 4,
      slo: 'p99<5ms,p99.9<20ms,errors<0.1%',
      alarmTopic: this.serverless.monitoring?.cacheAlarms.alarmTopic,
    });
    this.featureSlo = new LatencySlo(this, 'FeatureSlo', {
      cache: this.cluster,
      vpc,
      profile: LoadProfile.FEATURE_STORE,
      rate: 1000,
      slo: 'p99<5ms,p99.9<20ms,errors<0.1%',
      deployGate: true,
      createMonitoringEndpoint: true,
      capacitySearch: { maxRate: 20_000 },
      alarmTopic: this.cluster.monitoring?.cacheAlarms.alarmTopic,
    });

    // The connectivity probe connects as its user through connect() and says which step fails (examples/connectivity-probe).
    const probe = lambda.Code.fromAsset(exampleBundle('connectivity-probe'));
    boundFunction(this, 'InferenceProbe', vpc, this.serverless, inferenceUser, probe, `Connectivity probe for ${this.serverless.cacheName}`);
    boundFunction(this, 'FeatureProbe', vpc, this.cluster, featureUser, probe, `Connectivity probe for ${this.cluster.cacheName}`);
    // The application side of bind(): a read-through inference cache on connect() (examples/inference-cache).
    this.inferenceFunctionAssetDirectory = exampleBundle('inference-cache');
    this.inferenceFunction = boundFunction(this, 'InferenceCacheFn', vpc, this.serverless, inferenceUser,
      lambda.Code.fromAsset(this.inferenceFunctionAssetDirectory), `Read-through inference cache on ${this.serverless.cacheName}`);
  }
}
