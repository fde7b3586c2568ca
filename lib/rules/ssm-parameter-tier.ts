import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { SSM_MAX_CHARS } from '../catalog/limits';
import { ElastiCacheRule, maxLength, props } from './rule';

export const SsmParameterTier: ElastiCacheRule = {
  id: 'SsmParameterTier',
  level: NagMessageLevel.ERROR,
  info: `The SSM parameter's value can be longer than its tier holds (Standard ${SSM_MAX_CHARS.Standard}, Advanced ${SSM_MAX_CHARS.Advanced} characters).`,
  explanation: 'PutParameter refuses a Standard parameter over 4,096 characters; references in the value (ARNs, endpoints) ' +
    'are counted at their longest. Use the Advanced tier, or a shorter document. Source: docs/aws-facts.md "Deploy-time ' +
    'limits and traps" (Systems Manager parameter tiers).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::SSM::Parameter') return NagRuleCompliance.NOT_APPLICABLE;
    const { Tier: tier, Value: value } = props(node);
    const limit = tier === undefined || tier === 'Standard' ? SSM_MAX_CHARS.Standard : SSM_MAX_CHARS.Advanced;
    return maxLength(value) <= limit ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
