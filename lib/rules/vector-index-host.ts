import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { searchHostProblem, VECTOR_INDEX_RESOURCE_TYPE } from '../catalog/vector-index';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';

export const VectorIndexHost: ElastiCacheRule = {
  id: 'VectorIndexHost',
  level: NagMessageLevel.ERROR,
  info: 'Vector indexes are declared on a replication group that cannot hold them.',
  explanation: 'Vector search needs node-based Valkey 8.2+, not data tiering (r6gd) nodes, and on t2/t3/t4g a memory reserve ' +
    'of at least 50 % (micro) or 30 % (small); otherwise FT.CREATE fails when the index is created at deploy time. The ' +
    'construct refuses this; the rule catches an escape hatch that changed the engine, node type or reserve afterwards. ' +
    'Source: docs/aws-facts.md "Vector search" (ElastiCache guide, Search features and limits).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== VECTOR_INDEX_RESOURCE_TYPE) return NagRuleCompliance.NOT_APPLICABLE;
    const cacheName = literal(props(node).CacheName);
    if (!cacheName) return NagRuleCompliance.NOT_APPLICABLE;
    const group = resourcesOfType(node, 'AWS::ElastiCache::ReplicationGroup').find((g) => literal(props(g).ReplicationGroupId) === cacheName);
    if (!group) return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(group);
    const engine = literal(p.Engine);
    const engineVersion = literal(p.EngineVersion);
    const nodeType = literal(p.CacheNodeType);
    // A value only known at deploy time cannot be judged here.
    if (!engine || !engineVersion || !nodeType) return NagRuleCompliance.NOT_APPLICABLE;
    const parameters = resourcesOfType(node, 'AWS::ElastiCache::ParameterGroup').find((g) => refersTo(node, p.CacheParameterGroupName, g, undefined));
    const reserved = literal((props(parameters ?? group).Properties as Record<string, unknown> | undefined)?.['reserved-memory-percent']);
    const problem = searchHostProblem({ engine: engine.toLowerCase(), engineVersion, nodeType, reservedMemoryPercent: reserved === undefined ? 25 : Number(reserved) });
    return problem ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
