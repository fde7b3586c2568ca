import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { nodeTypeProblem, regionProblem } from '../catalog/global-datastore';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';

/** Why a primary replication group (as CloudFormation receives it) cannot lead a global datastore, or undefined. */
function primaryProblem(p: Record<string, unknown>): string | undefined {
  if (p.Durability !== undefined) return 'durability is not supported in a global datastore';
  const networkType = literal(p.NetworkType);
  if (networkType === 'ipv6' || networkType === 'dual_stack') return 'a global datastore does not support IPv6';
  const nodeType = literal(p.CacheNodeType);
  return nodeType === undefined ? undefined : nodeTypeProblem(nodeType);
}

export const GlobalDatastoreMembers: ElastiCacheRule = {
  id: 'GlobalDatastoreMembers',
  level: NagMessageLevel.ERROR,
  info: 'The global replication group cannot be created as written.',
  explanation: 'CloudFormation creates a global replication group with its primary alone ("cannot be created with multiple ' +
    'members"; secondaries are replication groups with GlobalReplicationGroupId in their own Regions), in a Region that ' +
    'offers Global Datastore, and its primary needs nodes of size large or above, no durability and no IPv6. Source: ' +
    'docs/aws-facts.md "Global Datastore" (ElastiCache guide, Redis-Global-Datastores-Getting-Started).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::GlobalReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const members = props(node).Members;
    if (!Array.isArray(members)) return NagRuleCompliance.NOT_APPLICABLE;
    if (members.length !== 1) return NagRuleCompliance.NON_COMPLIANT;
    const member = members[0] as Record<string, unknown>;
    const role = literal(member.Role);
    if (role !== undefined && role !== 'PRIMARY') return NagRuleCompliance.NON_COMPLIANT;
    const region = literal(member.ReplicationGroupRegion);
    if (region !== undefined && regionProblem(region)) return NagRuleCompliance.NON_COMPLIANT;
    const primary = resourcesOfType(node, 'AWS::ElastiCache::ReplicationGroup').find((g) =>
      refersTo(node, member.ReplicationGroupId, g, props(g).ReplicationGroupId));
    if (primary && primaryProblem(props(primary))) return NagRuleCompliance.NON_COMPLIANT;
    return NagRuleCompliance.COMPLIANT;
  },
};
