import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, props } from './rule';

export const IamUserIdName: ElastiCacheRule = {
  id: 'IamUserIdName',
  level: NagMessageLevel.ERROR,
  info: 'The IAM-authenticated user has a user id different from its user name: CreateUser fails.',
  explanation: 'A user with authentication mode iam must have user id = user name ("User Id and User name must be same for ' +
    'authentication type: iam"). Source: docs/aws-facts.md "Auth" (ElastiCache guide, auth-iam).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::User') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    if ((p.AuthenticationMode as { Type?: string } | undefined)?.Type !== 'iam') return NagRuleCompliance.NOT_APPLICABLE;
    return JSON.stringify(p.UserId) === JSON.stringify(p.UserName) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
