import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, props } from './rule';
import { groupMembers } from './user-group-valkey-passwordless';

export const UserGroupRedisDefaultUser: ElastiCacheRule = {
  id: 'UserGroupRedisDefaultUser',
  level: NagMessageLevel.ERROR,
  info: 'The redis user group holds no user named "default": the group fails to create (DefaultUserRequired).',
  explanation: 'A user group with engine redis must contain a user whose user name is "default"; a disabled one (access ' +
    'string "off") keeps the cache closed to anonymous clients. Source: docs/aws-facts.md "User groups and engines" ' +
    '(ElastiCache guide, Clusters.RBAC; API error DefaultUserRequired).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::UserGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    if (String(p.Engine).toLowerCase() !== 'redis') return NagRuleCompliance.NOT_APPLICABLE;
    // The account's built-in user (user id and name "default") counts too.
    if (Array.isArray(p.UserIds) && p.UserIds.includes('default')) return NagRuleCompliance.COMPLIANT;
    return groupMembers(node).some((u) => props(u).UserName === 'default') ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
