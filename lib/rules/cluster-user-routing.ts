import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleFindings } from 'cdk-nag';
import { ElastiCacheRule, props, refersTo, resourcesOfType } from './rule';
import { groupMembers } from './user-group-valkey-passwordless';

/**
 * Whether an ACL access string lets its user run CLUSTER SLOTS, read rule by rule as the server does: the command is
 * in `@slow` only, so `+@all`, `+@slow`, `+cluster` and `+cluster|slots` allow it and their `-` forms deny it.
 */
export function allowsClusterSlots(accessString: string): boolean {
  let allowed = false;
  for (const rule of accessString.trim().split(/\s+/)) {
    const lower = rule.toLowerCase();
    if (['+@all', 'allcommands', '+@slow', '+cluster', '+cluster|slots'].includes(lower)) allowed = true;
    if (['-@all', 'nocommands', '-@slow', '-cluster', '-cluster|slots'].includes(lower)) allowed = false;
  }
  return allowed;
}

/** Whether the access string switches its user on (users are off unless `on` is given). */
export function isEnabled(accessString: string): boolean {
  let on = false;
  for (const rule of accessString.trim().split(/\s+/)) {
    if (rule === 'on') on = true;
    if (rule === 'off') on = false;
  }
  return on;
}

/** The user groups of a cluster-mode cache: every serverless cache, and replication groups with cluster mode enabled. */
function userGroupsOf(node: CfnResource): unknown[] {
  const p = props(node);
  if (node.cfnResourceType === 'AWS::ElastiCache::ServerlessCache') return p.UserGroupId === undefined ? [] : [p.UserGroupId];
  if (node.cfnResourceType === 'AWS::ElastiCache::ReplicationGroup') {
    const clusterMode = p.ClusterMode === 'enabled' || (typeof p.NumNodeGroups === 'number' && p.NumNodeGroups > 1);
    return clusterMode && Array.isArray(p.UserGroupIds) ? p.UserGroupIds : [];
  }
  return [];
}

export const ClusterUserRouting: ElastiCacheRule = {
  id: 'ClusterUserRouting',
  level: NagMessageLevel.ERROR,
  info: 'A user of this cluster-mode cache may not run CLUSTER SLOTS: every cluster-mode client fails as that user.',
  explanation: 'Cluster-mode clients learn the slot map with CLUSTER SLOTS / CLUSTER SHARDS, which are in the @slow ' +
    'category only, so "+@read +@write" alone breaks them ("Failed to refresh slots cache"). Add +cluster|slots ' +
    '+cluster|shards +cluster|info to the access string. Source: docs/aws-facts.md "Auth" (ioredis issue 1902 on ElastiCache).',
  check: (node: CfnResource) => {
    const groupRefs = userGroupsOf(node);
    if (groupRefs.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const groups = resourcesOfType(node, 'AWS::ElastiCache::UserGroup').filter((g) => groupRefs.some((ref) => refersTo(node, ref, g, props(g).UserGroupId)));
    const findings: NagRuleFindings = [];
    for (const user of groups.flatMap(groupMembers)) {
      const { AccessString: access, UserId: userId } = props(user);
      if (typeof access !== 'string' || !isEnabled(access)) continue;
      if (!allowsClusterSlots(access)) findings.push(`user::${String(userId)}`);
    }
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
