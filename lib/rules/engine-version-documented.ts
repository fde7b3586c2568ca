import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { EXTENDED_SUPPORT_NODE_VERSIONS, nodeBasedVersionVerdict, serverlessVersionVerdict } from '../catalog/engine-versions';
import { ElastiCacheRule, literal, props } from './rule';

export const EngineVersionDocumented: ElastiCacheRule = {
  id: 'EngineVersionDocumented',
  level: NagMessageLevel.ERROR,
  info: 'The cache names an engine version ElastiCache does not offer.',
  explanation: 'Node-based Valkey runs 7.2, 8.0, 8.1, 8.2, 9.0 and 9.1, Redis OSS 6.0, 6.2, 7.0 and 7.1 (and 5.0.6 and ' +
    '4.0.10 in Extended Support); serverless caches take the major version: Valkey 7, 8 or 9, Redis OSS 7. A version ' +
    'between those that is not listed (8.3, 6.1) fails at CreateReplicationGroup / CreateServerlessCache, and cfn-lint ' +
    'accepts any string; a version newer than every listed one is not judged. Source: docs/aws-facts.md "Engine versions".',
  check: (node: CfnResource) => {
    const p = props(node);
    const engine = literal(p.Engine)?.toLowerCase();
    if (node.cfnResourceType === 'AWS::ElastiCache::ReplicationGroup') {
      const version = literal(p.EngineVersion);
      // "6.x" and the like are ElastiCache's own aliases; only numbered versions are judged.
      if (!engine || !version || !/^\d+\.\d+(\.\d+)?$/.test(version)) return NagRuleCompliance.NOT_APPLICABLE;
      if (EXTENDED_SUPPORT_NODE_VERSIONS[engine]?.includes(version)) return NagRuleCompliance.COMPLIANT;
      return nodeBasedVersionVerdict(engine, version).kind === 'unknown' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    if (node.cfnResourceType === 'AWS::ElastiCache::ServerlessCache') {
      const version = literal(p.MajorEngineVersion);
      if (!engine || !version || !/^\d+$/.test(version)) return NagRuleCompliance.NOT_APPLICABLE;
      return serverlessVersionVerdict(engine, version).kind === 'unknown' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};
