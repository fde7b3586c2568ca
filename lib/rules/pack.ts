import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AlarmMathMetrics } from './alarm-math-metrics';
import { AlarmNodeDimension } from './alarm-node-dimension';
import { AlarmReplicationGroupId } from './alarm-replication-group-id';
import { AlarmServerlessDimension } from './alarm-serverless-dimension';
import { ClusterUserRouting } from './cluster-user-routing';
import { CompositeAlarmLimits } from './composite-alarm-limits';
import { ConnectArnFormat } from './connect-arn-format';
import { DataTieringNodeType } from './data-tiering-node-type';
import { DataTieringScalingMetric } from './data-tiering-scaling-metric';
import { DurabilityRequirements } from './durability-requirements';
import { EngineVersionDocumented } from './engine-version-documented';
import { GlobalDatastoreMembers } from './global-datastore-members';
import { GlobalDatastoreSecondary } from './global-datastore-secondary';
import { IamUserIdName } from './iam-user-id-name';
import { ParameterGroupFamily } from './parameter-group-family';
import { ReplicationGroupResharding } from './replication-group-resharding';
import { ElastiCacheRule } from './rule';
import { ServerlessFinalSnapshotName } from './serverless-final-snapshot-name';
import { ServerlessConnectionType } from './serverless-connection-type';
import { ServerlessNetworkType } from './serverless-network-type';
import { SsmParameterTier } from './ssm-parameter-tier';
import { UserGroupRedisDefaultUser } from './user-group-redis-default-user';
import { UserGroupValkeyPasswordless } from './user-group-valkey-passwordless';
import { VectorIndexHost } from './vector-index-host';

/** Every rule of the pack, in the order findings are reported. */
export const ELASTICACHE_RULES: readonly ElastiCacheRule[] = [
  UserGroupValkeyPasswordless,
  UserGroupRedisDefaultUser,
  ParameterGroupFamily,
  EngineVersionDocumented,
  DataTieringNodeType,
  DataTieringScalingMetric,
  DurabilityRequirements,
  GlobalDatastoreMembers,
  GlobalDatastoreSecondary,
  VectorIndexHost,
  IamUserIdName,
  AlarmServerlessDimension,
  AlarmReplicationGroupId,
  AlarmNodeDimension,
  AlarmMathMetrics,
  CompositeAlarmLimits,
  ConnectArnFormat,
  ClusterUserRouting,
  ReplicationGroupResharding,
  ServerlessFinalSnapshotName,
  ServerlessNetworkType,
  ServerlessConnectionType,
  SsmParameterTier,
];

/**
 * ElastiCache checks for cdk-nag: what ElastiCache, CloudWatch and CloudFormation reject at deploy time, or accept and
 * then never alarm on, and that cfn-lint and the AwsSolutions pack pass. The rules read L1 resources, so they serve apps
 * built from L1 constructs, other construct libraries or this toolkit alike. Add it beside AwsSolutions:
 * `Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ElastiCacheChecks(app))`.
 * @see https://github.com/cdklabs/cdk-nag
 */
export class ElastiCacheChecks extends NagPack {
  public readonly name = 'ElastiCache';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'ElastiCache';
  }

  /** @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html */

  protected checkResource(node: CfnResource): void {
    for (const rule of ELASTICACHE_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        rule: rule.check,
        node,
      });
    }
  }
}
