import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { elastiCacheMetrics } from './alarm-metrics';
import { ElastiCacheRule } from './rule';

export const AlarmServerlessDimension: ElastiCacheRule = {
  id: 'AlarmServerlessDimension',
  level: NagMessageLevel.ERROR,
  info: 'The alarm reads an AWS/ElastiCache metric by ServerlessCacheName, which has no data: it never fires.',
  explanation: 'Serverless caches publish their metrics under the dimension clusterId (lower-case c) with the cache name as ' +
    'value; ServerlessCacheName returns zero data points. Source: docs/aws-facts.md "CloudWatch metrics" (aws list-metrics ' +
    'output quoted in cdk-monitoring-constructs issue 750 and its fix).',
  check: (node: CfnResource) => {
    const metrics = elastiCacheMetrics(node);
    if (metrics.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return metrics.some((m) => m.dimensions.some((d) => d.name === 'ServerlessCacheName'))
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
