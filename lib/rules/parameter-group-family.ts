import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { parameterGroupFamily } from '../catalog/parameters';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';

export const ParameterGroupFamily: ElastiCacheRule = {
  id: 'ParameterGroupFamily',
  level: NagMessageLevel.ERROR,
  info: 'The replication group\'s parameter group family does not match its engine version.',
  explanation: 'A parameter group only applies to the engine version of its family: valkey8, valkey7, redis7, and redis6.x ' +
    '(not redis6) for every Redis OSS 6 version. cfn-lint accepts any family name. Source: docs/aws-facts.md ' +
    '"Parameter group families" (CloudFormation AWS::ElastiCache::ParameterGroup).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const engine = literal(p.Engine);
    const version = literal(p.EngineVersion);
    if (!engine || !version || p.CacheParameterGroupName === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const group = resourcesOfType(node, 'AWS::ElastiCache::ParameterGroup').find((g) => refersTo(node, p.CacheParameterGroupName, g, undefined));
    if (!group) return NagRuleCompliance.NOT_APPLICABLE;
    const family = props(group).CacheParameterGroupFamily;
    return family === parameterGroupFamily(engine.toLowerCase(), version) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
