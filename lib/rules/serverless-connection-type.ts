import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';
import { groupMembers } from './user-group-valkey-passwordless';

/** The serverless `ConnectionType` values (CloudFormation AWS::ElastiCache::ServerlessCache: "Valid values are vpc or public"). */
export const CONNECTION_TYPES = ['vpc', 'public'] as const;

export const ServerlessConnectionType: ElastiCacheRule = {
  id: 'ServerlessConnectionType',
  level: NagMessageLevel.ERROR,
  info: 'The serverless cache\'s ConnectionType is not one ElastiCache offers for it.',
  explanation: 'ConnectionType is vpc or public; a public endpoint exists on ElastiCache Serverless for Valkey 9.0 or later ' +
    'only, and its user group must hold users that all authenticate with IAM. Source: docs/aws-facts.md "Serverless public ' +
    'endpoints" (CloudFormation AWS::ElastiCache::ServerlessCache; ElastiCache guide, serverless-public-endpoints-chapter).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ServerlessCache') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    if (p.ConnectionType === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const type = literal(p.ConnectionType);
    if (type === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    if (!(CONNECTION_TYPES as readonly string[]).includes(type)) return NagRuleCompliance.NON_COMPLIANT;
    if (type === 'vpc') return NagRuleCompliance.COMPLIANT;
    const engine = literal(p.Engine)?.toLowerCase();
    const major = Number(literal(p.MajorEngineVersion));
    if (engine !== undefined && engine !== 'valkey') return NagRuleCompliance.NON_COMPLIANT;
    if (literal(p.MajorEngineVersion) !== undefined && !(major >= 9)) return NagRuleCompliance.NON_COMPLIANT;
    const group = resourcesOfType(node, 'AWS::ElastiCache::UserGroup').find((g) => refersTo(node, p.UserGroupId, g, props(g).UserGroupId));
    const modes = group ? groupMembers(group).map((u) => (props(u).AuthenticationMode as { Type?: string } | undefined)?.Type) : [];
    return modes.every((m) => m === 'iam') ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
