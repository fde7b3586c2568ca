import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { CacheFlavour, METRIC_DIMENSION, NODE_DIMENSION, NODE_ONLY_METRICS } from '../catalog/metrics';
import { elastiCacheMetrics } from './alarm-metrics';
import { ElastiCacheRule } from './rule';

export const AlarmNodeDimension: ElastiCacheRule = {
  id: 'AlarmNodeDimension',
  level: NagMessageLevel.ERROR,
  info: 'The alarm reads a node metric that exists only with CacheClusterId + CacheNodeId without CacheNodeId: it never fires.',
  explanation: `These node metrics are published only with the pair CacheClusterId + CacheNodeId (0001 for a member of a ` +
    `cluster-mode group): ${NODE_ONLY_METRICS.join(', ')}. Every node metric exists with that pair, so querying with both ` +
    'is always safe. Source: docs/aws-facts.md "CloudWatch metrics" (CloudWatch user guide, dimension combinations of AWS/ElastiCache).',
  check: (node: CfnResource) => {
    const affected = elastiCacheMetrics(node)
      .filter((m) => m.dimensions.some((d) => d.name === METRIC_DIMENSION[CacheFlavour.CLUSTER]))
      .filter((m) => NODE_ONLY_METRICS.includes(String(m.metricName)));
    if (affected.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return affected.every((m) => m.dimensions.some((d) => d.name === NODE_DIMENSION)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
