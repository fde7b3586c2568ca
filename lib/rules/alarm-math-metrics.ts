import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ALARM_MAX_METRICS } from '../catalog/limits';
import { alarmMetrics } from './alarm-metrics';
import { ElastiCacheRule } from './rule';

export const AlarmMathMetrics: ElastiCacheRule = {
  id: 'AlarmMathMetrics',
  level: NagMessageLevel.ERROR,
  info: `The alarm's metric math reads more than ${ALARM_MAX_METRICS} metrics: PutMetricAlarm refuses it.`,
  explanation: `A math expression used for an alarm can include at most ${ALARM_MAX_METRICS} metrics; split node metrics into ` +
    'several alarms (for example by shard). Source: docs/aws-facts.md "Deploy-time limits and traps" (CloudWatch user guide, ' +
    'alarm data queries).',
  check: (node: CfnResource) => {
    const metrics = alarmMetrics(node);
    if (metrics.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return metrics.length <= ALARM_MAX_METRICS ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
