import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, props, refersTo, resourcesOfType } from './rule';

/** The users of the app that a user group lists, found by `Ref` or by literal user id. */
export function groupMembers(group: CfnResource): CfnResource[] {
  const ids = props(group).UserIds;
  if (!Array.isArray(ids)) return [];
  return resourcesOfType(group, 'AWS::ElastiCache::User').filter((u) => ids.some((id) => refersTo(group, id, u, props(u).UserId)));
}

/** Whether a user authenticates with a password or IAM (not `no-password-required`). */
export function authenticates(user: CfnResource): boolean {
  const p = props(user);
  const mode = (p.AuthenticationMode as { Type?: string } | undefined)?.Type;
  if (mode !== undefined) return mode === 'password' || mode === 'iam';
  if (p.NoPasswordRequired === true) return false;
  return Array.isArray(p.Passwords) && p.Passwords.length > 0;
}

export const UserGroupValkeyPasswordless: ElastiCacheRule = {
  id: 'UserGroupValkeyPasswordless',
  level: NagMessageLevel.ERROR,
  info: 'The valkey user group holds a user that does not authenticate (no-password-required): the group fails to create.',
  explanation: 'A user group with engine valkey may contain only users that authenticate with a password or IAM; a disabled ' +
    'default user with no-password-required (fine in a redis group) makes CreateUserGroup fail. Give the valkey group a ' +
    'disabled default user with a password, or use a redis group. Source: docs/aws-facts.md "User groups and engines" ' +
    '(ElastiCache guide, Clusters.RBAC).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::UserGroup') return NagRuleCompliance.NOT_APPLICABLE;
    if (String(props(node).Engine).toLowerCase() !== 'valkey') return NagRuleCompliance.NOT_APPLICABLE;
    return groupMembers(node).every(authenticates) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
