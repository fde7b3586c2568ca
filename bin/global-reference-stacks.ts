import { Annotations, App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CacheEngine, ClusterCache, EvictionPolicy, GlobalDatastore, GlobalSecondaryCache, TtlPolicy } from '../lib';
import { referenceVpc } from './reference-vpc';

/** The Regions of the Global Datastore variant: both offer Global Datastore (docs/aws-facts.md, "Global Datastore"). */
export const GLOBAL_REFERENCE_REGIONS = { primary: 'us-east-1', secondary: 'eu-west-1' } as const;

/** The primary Region's stack: a Valkey cluster and the global datastore it leads. */
export class GlobalPrimaryStack extends Stack {
  public readonly cluster: ClusterCache;
  public readonly global: GlobalDatastore;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, env: { ...props?.env, region: GLOBAL_REFERENCE_REGIONS.primary } });
    this.cluster = new ClusterCache(this, 'Sessions', {
      replicationGroupId: 'ectk-sessions',
      description: 'Chat session state, read in two Regions',
      engine: CacheEngine.VALKEY_8,
      nodeType: 'cache.r7g.large',
      shards: 2,
      replicasPerShard: 1,
      evictionPolicy: EvictionPolicy.VOLATILE_LRU,
      snapshotWindow: '03:00-04:00',
      maintenanceWindow: 'sun:05:00-sun:06:00',
      vpc: referenceVpc(this),
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(12), jitter: 0.1, requireTtl: true }),
    });
    this.global = new GlobalDatastore(this, 'Global', { primary: this.cluster, globalReplicationGroupIdSuffix: 'ectk-sessions' });
    Annotations.of(this.cluster).acknowledgeWarning('@ectk/global-datastore:member-changes',
      'The reference deployment is created once; its runbook (global-datastore-lag) says how to change a member later.');
  }
}

/** The secondary Region's stack: a read-only member of the primary stack's global datastore. */
export class GlobalSecondaryStack extends Stack {
  public readonly secondary: GlobalSecondaryCache;

  constructor(scope: Construct, id: string, global: GlobalDatastore, props?: StackProps) {
    // crossRegionReferences: the global datastore's id (prefixed by ElastiCache) comes from the primary's stack.
    super(scope, id, { ...props, env: { ...props?.env, region: GLOBAL_REFERENCE_REGIONS.secondary }, crossRegionReferences: true });
    this.secondary = global.addSecondary(this, 'SessionsEu', { vpc: referenceVpc(this), replicationGroupId: 'ectk-sessions-eu', replicasPerShard: 1 });
  }
}

/** Both stacks of the variant, in `app`. */
export function globalReference(app: App): { primary: GlobalPrimaryStack; secondary: GlobalSecondaryStack } {
  const primary = new GlobalPrimaryStack(app, 'EctkGlobalPrimary', {
    description: 'cdk-elasticache-toolkit reference deployment, Global Datastore: the primary Region',
  });
  const secondary = new GlobalSecondaryStack(app, 'EctkGlobalSecondary', primary.global, {
    description: 'cdk-elasticache-toolkit reference deployment, Global Datastore: a secondary Region',
  });
  return { primary, secondary };
}
