import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { INHERITED_BY_SECONDARY, regionProblem } from '../catalog/global-datastore';
import { ElastiCacheRule, literal, props } from './rule';

export const GlobalDatastoreSecondary: ElastiCacheRule = {
  id: 'GlobalDatastoreSecondary',
  level: NagMessageLevel.ERROR,
  info: 'The secondary replication group sends a setting it inherits from the global datastore, or cannot join it.',
  explanation: 'A replication group created with GlobalReplicationGroupId inherits Engine, EngineVersion, CacheNodeType, ' +
    'CacheParameterGroupName, the shard count and both encryption settings from the primary; sending any of them fails ' +
    'with InvalidParameterCombination. A global datastore has no IPv6 member, and its Regions are listed. Source: ' +
    'docs/aws-facts.md "Global Datastore" (ElastiCache guide, Redis-Global-Datastores-CLI and -Getting-Started).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    if (p.GlobalReplicationGroupId === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    if (INHERITED_BY_SECONDARY.some((name) => p[name] !== undefined)) return NagRuleCompliance.NON_COMPLIANT;
    const networkType = literal(p.NetworkType);
    if (networkType === 'ipv6' || networkType === 'dual_stack') return NagRuleCompliance.NON_COMPLIANT;
    const region = Stack.of(node).region;
    if (!Token.isUnresolved(region) && regionProblem(region)) return NagRuleCompliance.NON_COMPLIANT;
    return NagRuleCompliance.COMPLIANT;
  },
};
