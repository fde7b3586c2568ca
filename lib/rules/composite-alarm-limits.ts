import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ALARM_ARN_PREFIX_MAX_CHARS, ALARM_DESCRIPTION_MAX_CHARS, COMPOSITE_MAX_CHILDREN, COMPOSITE_RULE_MAX_CHARS } from '../catalog/limits';
import { ElastiCacheRule, logicalIdOf, maxLength, props, renderText, resourcesOfType } from './rule';

export const CompositeAlarmLimits: ElastiCacheRule = {
  id: 'CompositeAlarmLimits',
  level: NagMessageLevel.ERROR,
  info: `The composite alarm is over CloudWatch's limits: ${COMPOSITE_MAX_CHILDREN} child alarms, a rule of ${COMPOSITE_RULE_MAX_CHARS} characters, a description of ${ALARM_DESCRIPTION_MAX_CHARS}.`,
  explanation: 'PutCompositeAlarm refuses a rule over 10,240 characters or with more than 100 children, and a description ' +
    'over 1,024 characters; nest composites instead. Alarm ARNs in the rule are counted at their longest. Source: ' +
    'docs/aws-facts.md "Deploy-time limits and traps" (CloudWatch API reference, PutCompositeAlarm).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::CloudWatch::CompositeAlarm') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const children = (renderText(p.AlarmRule).match(/\b(ALARM|OK|INSUFFICIENT_DATA)\(/g) ?? []).length;
    // An alarm ARN is the longest ARN prefix and the alarm's name (255 characters at most when it is not a literal).
    const alarms = [...resourcesOfType(node, 'AWS::CloudWatch::Alarm'), ...resourcesOfType(node, 'AWS::CloudWatch::CompositeAlarm')];
    const arnChars = (token: unknown) => {
      const [logicalId] = (token as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'] ?? [];
      const alarm = alarms.find((a) => logicalIdOf(a) === logicalId);
      const name = alarm ? props(alarm).AlarmName : undefined;
      return ALARM_ARN_PREFIX_MAX_CHARS + (typeof name === 'string' ? name.length : 255);
    };
    const ruleChars = maxLength(p.AlarmRule, arnChars);
    const descriptionChars = p.AlarmDescription === undefined ? 0 : maxLength(p.AlarmDescription);
    const ok = children <= COMPOSITE_MAX_CHILDREN && ruleChars <= COMPOSITE_RULE_MAX_CHARS && descriptionChars <= ALARM_DESCRIPTION_MAX_CHARS;
    return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
