import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { CacheFlavour, METRIC_DIMENSION } from '../catalog/metrics';
import { elastiCacheMetrics } from './alarm-metrics';
import { ElastiCacheRule, props, refersTo, resourcesOfType } from './rule';

export const AlarmReplicationGroupId: ElastiCacheRule = {
  id: 'AlarmReplicationGroupId',
  level: NagMessageLevel.ERROR,
  info: 'The alarm reads CacheClusterId = a replication group id, which has no data: it stays INSUFFICIENT_DATA.',
  explanation: 'Node-based caches publish per node: CacheClusterId is a member cluster id such as orders-0002-001, never the ' +
    'replication group id. Alarm on the member ids (metric math across them). Source: docs/aws-facts.md "CloudWatch ' +
    'metrics" (ElastiCache guide, CacheMetrics; cloudposse/terraform-aws-elasticache-redis issue 56).',
  check: (node: CfnResource) => {
    const values = elastiCacheMetrics(node).flatMap((m) => m.dimensions.filter((d) => d.name === METRIC_DIMENSION[CacheFlavour.CLUSTER]).map((d) => d.value));
    if (values.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const groups = resourcesOfType(node, 'AWS::ElastiCache::ReplicationGroup');
    const onGroup = values.some((v) => groups.some((g) => refersTo(node, v, g, props(g).ReplicationGroupId)));
    return onGroup ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
