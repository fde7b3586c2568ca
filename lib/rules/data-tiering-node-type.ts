import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { dataTieringEngineProblem } from '../catalog/node-types';
import { ElastiCacheRule, literal, props } from './rule';

export const DataTieringNodeType: ElastiCacheRule = {
  id: 'DataTieringNodeType',
  level: NagMessageLevel.ERROR,
  info: 'DataTieringEnabled does not match the node type (r6gd nodes require it to be true, other node types cannot tier data), ' +
    'or the engine cannot tier data (Redis OSS below 6.2).',
  explanation: 'Data tiering (values on local SSD) exists only on the r6gd node family, and a replication group of r6gd nodes ' +
    'must set DataTieringEnabled: true, or creating it fails; it starts with Redis OSS 6.2 (Enhanced). Source: docs/aws-facts.md ' +
    '"Data tiering" (ElastiCache guide, data-tiering and SelectEngine; API reference, ReplicationGroup DataTiering).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const nodeType = literal(p.CacheNodeType);
    if (!nodeType) return NagRuleCompliance.NOT_APPLICABLE;
    const r6gd = nodeType.split('.')[1] === 'r6gd';
    if (r6gd !== (p.DataTieringEnabled === true)) return NagRuleCompliance.NON_COMPLIANT;
    const engine = literal(p.Engine);
    const version = literal(p.EngineVersion);
    if (engine !== undefined && version !== undefined && dataTieringEngineProblem(engine, version, nodeType)) return NagRuleCompliance.NON_COMPLIANT;
    return NagRuleCompliance.COMPLIANT;
  },
};
