import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { CacheFlavour } from '../catalog/metrics';
import { cacheArn, CacheMonitoringFacts, ClusterShard } from './cache-base';
import { CacheEngine } from './cache-engine';
import { CacheFoundation } from './cache-foundation';
import { CacheMonitoring, CacheMonitoringSettings } from './cache-monitoring';
import { CacheUser, CacheUserOptions } from './cache-user';
import { ClusterCacheBase, shardLayout } from './cluster-cache';
import { Durability } from './durability';
import { EvictionPolicy } from './eviction-policy';
import type { GlobalDatastore } from './global-datastore';
import { TtlPolicy } from './ttl-policy';
import { claimUniqueName } from './uniqueness';
import { checkCacheId, checkInteger, deriveCacheId } from './validation';
import { MAX_REPLICAS_PER_SHARD } from './validate-cluster-cache-props';

/** Options of a Global Datastore secondary (`GlobalDatastore.addSecondary`). */
export interface GlobalSecondaryCacheOptions {
  /**
   * VPC of the secondary, in its Region.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the secondary.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SubnetGroups.html
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the secondary.
   * @default - a new security group with no ingress and no egress
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VPCs.html
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Replication group id of the secondary.
   * @default - derived from the construct path
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
   */
  readonly replicationGroupId?: string;
  /**
   * Description of the secondary.
   * @default - "<id> (secondary of <global suffix>, managed by cdk-elasticache-toolkit)"
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
   */
  readonly description?: string;
  /**
   * Read replicas per shard. The secondary inherits Multi-AZ and automatic failover from the primary, which the
   * toolkit always enables, and automatic failover needs a replica: at least 1.
   * @default 1
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  readonly replicasPerShard?: number;
  /**
   * TTL policy written to the secondary's connection contract.
   * @default - the primary's
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/BestPractices.html
   */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * Alarms and dashboard of the secondary, in its Region (with the Global Datastore lag alarm).
   * @default - on, as for a ClusterCache
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly monitoring?: CacheMonitoringSettings;
}

/** Properties of a `GlobalSecondaryCache`. */
export interface GlobalSecondaryCacheProps extends GlobalSecondaryCacheOptions {
  /**
   * The global datastore the secondary joins.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html
   */
  readonly globalDatastore: GlobalDatastore;
}

/**
 * A read-only secondary cluster of a Global Datastore, in its own Region: a replication group created with
 * `GlobalReplicationGroupId`. It sends nothing it inherits (engine, version, node type, parameter group, shard count,
 * encryption, Multi-AZ, automatic failover: ElastiCache refuses them, docs/aws-facts.md "Global Datastore"); its
 * replicas, subnets, security groups, RBAC users and monitoring are its own. Create it with
 * `GlobalDatastore.addSecondary()`.
 */
export class GlobalSecondaryCache extends ClusterCacheBase {
  public readonly cacheName: string;
  public readonly cacheArn: string;
  public readonly endpointAddress: string;
  public readonly endpointPort: number;
  /** The engine, the primary's. */
  public readonly engine?: CacheEngine;
  public readonly ttlPolicy?: TtlPolicy;
  public readonly connections: ec2.Connections;
  public readonly shards: ClusterShard[];
  /** The node type, the primary's. */
  public readonly nodeType?: string;
  /** The eviction policy, the primary's (parameters are shared across the global datastore). */
  public readonly evictionPolicy?: EvictionPolicy;
  public readonly replicasPerShard: number;
  /** Never set: durability is not supported in a global datastore. */
  public readonly durability?: Durability;
  /** The replication group id (same as `cacheName`). */
  public readonly replicationGroupId: string;
  /** The secondary's Region. */
  public readonly region: string;
  /** The global datastore it belongs to. */
  public readonly globalDatastore: GlobalDatastore;
  /** Alarms and dashboard, unless the `monitoring` prop turned them off. */
  public readonly monitoring?: CacheMonitoring;
  /** The underlying CloudFormation resource. */
  public readonly resource: elasticache.CfnReplicationGroup;
  private readonly foundation: CacheFoundation;

  constructor(scope: Construct, id: string, props: GlobalSecondaryCacheProps) {
    super(scope, id);
    const primary = props.globalDatastore.primary;
    this.globalDatastore = props.globalDatastore;
    this.region = Stack.of(this).region;
    this.replicationGroupId = props.replicationGroupId ?? deriveCacheId(this);
    checkCacheId(this, 'replicationGroupId', this.replicationGroupId);
    claimUniqueName(this, 'cache', 'replicationGroupId', this.replicationGroupId);
    this.cacheName = this.replicationGroupId;
    this.replicasPerShard = props.replicasPerShard ?? 1;
    checkInteger(this, 'replicasPerShard', this.replicasPerShard, 1, MAX_REPLICAS_PER_SHARD);
    this.engine = primary.engine;
    this.nodeType = primary.nodeType;
    this.evictionPolicy = primary.evictionPolicy;
    this.endpointPort = primary.endpointPort;
    this.ttlPolicy = props.ttlPolicy ?? primary.ttlPolicy;
    this.shards = shardLayout(this.replicationGroupId, primary.shards.length, this.replicasPerShard);

    this.foundation = new CacheFoundation(this, 'Access', {
      cacheName: this.cacheName,
      engine: primary.engine!,
      flavour: CacheFlavour.CLUSTER,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      defaultPort: ec2.Port.tcp(this.endpointPort),
      ttlPolicy: this.ttlPolicy,
    });
    this.connections = this.foundation.connections;
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      cacheSubnetGroupName: `${this.cacheName}-subnets`,
      description: `Subnets of ElastiCache ${this.cacheName}`,
      subnetIds: this.foundation.subnetIds,
    });
    this.resource = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: this.replicationGroupId,
      replicationGroupDescription: props.description ?? `${this.replicationGroupId} (secondary of a global datastore, managed by cdk-elasticache-toolkit)`,
      globalReplicationGroupId: props.globalDatastore.globalReplicationGroupId,
      replicasPerNodeGroup: this.replicasPerShard,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: this.foundation.securityGroups.map((sg) => sg.securityGroupId),
      // RBAC users and user groups are Regional: the secondary holds its own group (docs/aws-facts.md, "Global Datastore").
      userGroupIds: [this.foundation.userGroup.ref],
    });
    Validations.of(this.resource).acknowledge({
      id: 'AwsSolutions-AEC3',
      reason: 'Encryption in transit and at rest are inherited from the global datastore\'s primary, which the toolkit creates with both; a secondary may not send them.',
    }, {
      id: 'AwsSolutions-AEC4',
      reason: 'Multi-AZ is inherited from the global datastore\'s primary (always Multi-AZ in the toolkit); a secondary may not send it.',
    }, {
      id: 'AwsSolutions-AEC5',
      reason: 'The port is the primary\'s (the secondary sends none): a different port hides nothing from a scan inside the VPC, while TLS, RBAC users and a security group without open ingress do protect the cache.',
    }, {
      id: 'AwsSolutions-AEC6',
      reason: 'Clients authenticate through the secondary\'s RBAC user group (default user disabled); RBAC replaces the single AUTH token this rule looks for.',
    });
    // The secondary holds nothing of its own: its data is the primary's, replicated. Deleting the stack deletes it.
    this.resource.applyRemovalPolicy(RemovalPolicy.DESTROY);
    this.cacheArn = cacheArn(this, 'replicationgroup', this.replicationGroupId);
    this.endpointAddress = this.resource.attrConfigurationEndPointAddress;
    this.foundation.setEndpoint(this.endpointAddress, this.endpointPort);
    // The contract says the secondary is read-only and where writes go (the primary's endpoint crosses Regions as the
    // global id does).
    this.foundation.setGlobalSecondary({
      globalReplicationGroupId: props.globalDatastore.globalReplicationGroupId,
      primaryReplicationGroupId: primary.replicationGroupId,
      primaryRegion: props.globalDatastore.primaryRegion,
      primaryEndpoint: primary.endpointAddress,
      primaryPort: primary.endpointPort,
    });
    if (props.monitoring?.enabled ?? true) this.monitoring = new CacheMonitoring(this, 'Monitoring', { ...props.monitoring, cache: this });
  }

  /** What the alarms of a secondary are read against: its own layout, the primary's node type, and its role. */
  public get monitoringFacts(): CacheMonitoringFacts {
    return { ...super.monitoringFacts, globalSecondary: true };
  }

  /**
   * Adds an RBAC user (IAM authentication unless told otherwise) to the secondary's user group.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public addUser(id: string, options: CacheUserOptions = {}): CacheUser {
    return this.foundation.addUser(this, id, options);
  }
}
