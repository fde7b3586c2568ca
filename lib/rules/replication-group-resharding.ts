import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, literal, props, updatePolicy } from './rule';

export const ReplicationGroupResharding: ElastiCacheRule = {
  id: 'ReplicationGroupResharding',
  level: NagMessageLevel.WARN,
  info: 'The named replication group has no UseOnlineResharding update policy: changing its shard count will fail.',
  explanation: 'Without the UpdatePolicy UseOnlineResharding: true, CloudFormation replaces a replication group whose ' +
    'NumNodeGroups changes, and a group with a fixed ReplicationGroupId cannot be replaced. Source: docs/aws-facts.md ' +
    '"Deploy-time limits and traps" (CloudFormation UpdatePolicy attribute, UseOnlineResharding).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    if (!literal(p.ReplicationGroupId) || p.NumNodeGroups === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return updatePolicy(node).UseOnlineResharding === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
