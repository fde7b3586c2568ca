import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';

const MEMORY_METRIC = 'ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage';

export const DataTieringScalingMetric: ElastiCacheRule = {
  id: 'DataTieringScalingMetric',
  level: NagMessageLevel.ERROR,
  info: `A scaling policy tracks ${MEMORY_METRIC} on a replication group of data tiering (r6gd) nodes, which AWS lists as ineligible.`,
  explanation: 'Data-tiered nodes run memory full by design and fill the SSD as needed, so memory-based shard scaling ' +
    'cannot work on them; ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage (memory and SSD) is the metric for them. ' +
    'Source: docs/aws-facts.md "Auto scaling" (ElastiCache guide, target tracking scaling policies, predefined metrics).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ApplicationAutoScaling::ScalingPolicy') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const spec = (p.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification?: { PredefinedMetricType?: unknown } } | undefined)
      ?.PredefinedMetricSpecification;
    if (spec?.PredefinedMetricType !== MEMORY_METRIC) return NagRuleCompliance.NOT_APPLICABLE;
    // The policy's target: by Ref (ScalingTargetId) in the same stack, or its own ResourceId when it names one.
    const target = resourcesOfType(node, 'AWS::ApplicationAutoScaling::ScalableTarget').find((t) => refersTo(node, p.ScalingTargetId, t, undefined));
    const resourceId = literal(p.ResourceId) ?? (target ? literal(props(target).ResourceId) : undefined);
    const groupId = resourceId?.startsWith('replication-group/') ? resourceId.slice('replication-group/'.length) : undefined;
    const group = groupId === undefined ? undefined
      : resourcesOfType(node, 'AWS::ElastiCache::ReplicationGroup').find((g) => literal(props(g).ReplicationGroupId) === groupId);
    const nodeType = group ? literal(props(group).CacheNodeType) : undefined;
    if (!nodeType) return NagRuleCompliance.NOT_APPLICABLE;
    return nodeType.split('.')[1] === 'r6gd' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
