import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { membersProblem, nodeTypeProblem, regionProblem } from '../catalog/global-datastore';
import { ClusterCache, ClusterCacheBase } from './cluster-cache';
import { ElastiCacheMetrics } from './metric-factory';
import { CacheFlavour } from '../catalog/metrics';
import { GlobalSecondaryCache, GlobalSecondaryCacheOptions } from './global-secondary-cache';
import { invalid } from './validation';

/** Properties of a `GlobalDatastore`. */
export interface GlobalDatastoreProps {
  /**
   * The primary cluster: a `ClusterCache` in this stack's Region, without durability or auto scaling, on nodes of size
   * large or above.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  readonly primary: ClusterCache;
  /**
   * The suffix of the global datastore's id; ElastiCache puts a Region-specific prefix before it, so the full id is
   * known only after deployment (`globalReplicationGroupId`).
   * @default - the primary's replication group id
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateGlobalReplicationGroup.html
   */
  readonly globalReplicationGroupIdSuffix?: string;
  /**
   * Description of the global datastore.
   * @default - "<suffix> (managed by cdk-elasticache-toolkit)"
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticache-globalreplicationgroup.html
   */
  readonly description?: string;
}

/**
 * A Global Datastore: the primary `ClusterCache` in this stack's Region, and up to two read-only secondaries in other
 * Regions, each in a stack of its own (`addSecondary`). ElastiCache replicates from the primary asynchronously; a
 * secondary is promoted by hand (`aws elasticache failover-global-replication-group`), never automatically.
 *
 * The secondary's stack reads the global datastore's id (prefixed by ElastiCache at creation) through CDK's
 * cross-Region references: give it `crossRegionReferences: true` and an explicit Region (docs/decisions/0021).
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html
 */
export class GlobalDatastore extends Construct {
  /** The id ElastiCache gave the global datastore (its Region prefix and the suffix); a token until deployment. */
  public readonly globalReplicationGroupId: string;
  /** The primary cluster. */
  public readonly primary: ClusterCache;
  /** The primary's Region. */
  public readonly primaryRegion: string;
  /** The secondaries added so far. */
  public readonly secondaries: GlobalSecondaryCache[] = [];
  /** The underlying CloudFormation resource. */
  public readonly resource: elasticache.CfnGlobalReplicationGroup;
  /**
   * One dashboard, in the primary's stack, with every member side by side: each member's nodes read in its own Region
   * (engine CPU, memory, and the lag: replicas behind their primary, secondaries behind the primary Region).
   */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GlobalDatastoreProps) {
    super(scope, id);
    const primary = props.primary;
    this.primary = primary;
    const region = Stack.of(primary).region;
    if (Token.isUnresolved(region)) {
      invalid(this, 'primary', primary.node.path, 'a cache in a stack with an explicit Region (env: { region }): a global datastore names the Region of each member');
    }
    this.primaryRegion = region;
    const regionIssue = regionProblem(region);
    if (regionIssue) invalid(this, 'primary', `${primary.node.path} in ${region}`, regionIssue);
    const nodeIssue = primary.nodeType === undefined ? undefined : nodeTypeProblem(primary.nodeType);
    if (nodeIssue) invalid(this, 'primary.nodeType', primary.nodeType, nodeIssue);
    if (primary.durability !== undefined) {
      invalid(this, 'primary.durability', primary.durability, 'durability is not supported in a global datastore (docs/aws-facts.md, "Durability")');
    }
    if (primary.scalableTargets.length > 0) {
      invalid(this, 'primary', primary.node.path, 'auto scaling is not available with Global Datastore (docs/aws-facts.md, "Auto scaling"); scale the global datastore instead');
    }
    const suffix = props.globalReplicationGroupIdSuffix ?? primary.replicationGroupId;
    if (!Token.isUnresolved(suffix) && !/^[a-z0-9-]{1,40}$/.test(suffix)) {
      invalid(this, 'globalReplicationGroupIdSuffix', suffix, 'allowed are 1-40 lower-case letters, digits and hyphens');
    }
    this.resource = new elasticache.CfnGlobalReplicationGroup(this, 'Resource', {
      globalReplicationGroupIdSuffix: suffix,
      globalReplicationGroupDescription: props.description ?? `${suffix} (managed by cdk-elasticache-toolkit)`,
      // CloudFormation creates the group with its primary alone; secondaries join from their own Regions
      // (docs/aws-facts.md, "Global Datastore").
      members: [{ replicationGroupId: primary.resource.ref, replicationGroupRegion: region, role: 'PRIMARY' }],
    });
    this.globalReplicationGroupId = this.resource.attrGlobalReplicationGroupId;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `ElastiCache-global-${suffix}` });
    this.addMemberRow(primary, region, 'primary');
    Annotations.of(primary).addWarningV2('@ectk/global-datastore:member-changes',
      `${primary.replicationGroupId} leads the global datastore ${suffix}: ElastiCache refuses changes made to a member directly ` +
      '("part of a global cluster. Request rejected."), so a later change of its node type, shards, engine or replicas fails ' +
      'at deploy time; change the global datastore (aws elasticache modify-global-replication-group) instead (docs/aws-facts.md, "Global Datastore").');
  }

  /**
   * Adds a read-only secondary cluster in another Region: `scope` must be in a stack with an explicit Region and
   * `crossRegionReferences: true`. It inherits the engine, version, node type, parameters, shard count, encryption,
   * Multi-AZ and automatic failover from the primary; its replicas, network, users and monitoring are its own.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html
   */
  public addSecondary(scope: Construct, id: string, options: GlobalSecondaryCacheOptions): GlobalSecondaryCache {
    const region = Stack.of(scope).region;
    const where = `${this.node.path}.addSecondary(${scope.node.path}/${id})`;
    if (Token.isUnresolved(region)) {
      invalid(where, 'scope', scope.node.path, 'a construct in a stack with an explicit Region (env: { region }) and crossRegionReferences: true');
    }
    const problem = regionProblem(region) ?? membersProblem([this.primaryRegion, ...this.secondaries.map((s) => s.region), region]);
    if (problem) invalid(where, 'region', region, problem);
    const secondary = new GlobalSecondaryCache(scope, id, { ...options, globalDatastore: this });
    this.secondaries.push(secondary);
    this.addMemberRow(secondary, region, 'secondary');
    return secondary;
  }

  /** A member's row on the dashboard: its nodes' engine CPU and memory, and its lag, read in its Region. */
  private addMemberRow(member: ClusterCacheBase, region: string, role: 'primary' | 'secondary'): void {
    const perNode = (metricName: string, nodes: string[]) => nodes.map((node) => member.metricForNode(metricName, node, { region, label: node }));
    const replicas = member.shards.flatMap((shard) => shard.memberClusterIds.slice(1));
    const lag = role === 'secondary'
      ? [new ElastiCacheMetrics(CacheFlavour.CLUSTER).account('GlobalDatastoreReplicationLag', { region, statistic: 'Maximum', label: `behind the primary Region (${region}, worst)` })]
      : perNode('ReplicationLag', replicas);
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${member.cacheName}: ${role}, ${region}`, width: 24, height: 1 }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `${member.cacheName} engine CPU (%)`, left: perNode('EngineCPUUtilization', member.memberClusterIds), width: 8, height: 6 }),
      new cloudwatch.GraphWidget({ title: `${member.cacheName} memory used (% of maxmemory)`, left: perNode('DatabaseMemoryUsagePercentage', member.memberClusterIds), width: 8, height: 6 }),
      new cloudwatch.GraphWidget({ title: `${member.cacheName} ${role === 'secondary' ? 'Global Datastore lag' : 'replica lag'} (s)`, left: lag, width: 8, height: 6 }),
    );
  }
}
