import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, literal, props } from './rule';

export const DataTieringNodeType: ElastiCacheRule = {
  id: 'DataTieringNodeType',
  level: NagMessageLevel.ERROR,
  info: 'DataTieringEnabled does not match the node type: r6gd nodes require it to be true, other node types cannot tier data.',
  explanation: 'Data tiering (values on local SSD) exists only on the r6gd node family, and a replication group of r6gd nodes ' +
    'must set DataTieringEnabled: true, or creating it fails. Source: docs/aws-facts.md "Data tiering" (ElastiCache guide, ' +
    'data-tiering; API reference, ReplicationGroup DataTiering).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const nodeType = literal(p.CacheNodeType);
    if (!nodeType) return NagRuleCompliance.NOT_APPLICABLE;
    const r6gd = nodeType.split('.')[1] === 'r6gd';
    return r6gd === (p.DataTieringEnabled === true) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
