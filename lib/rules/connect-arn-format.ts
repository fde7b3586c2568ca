import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, props, renderText } from './rule';

interface Statement { Effect?: string; Action?: unknown; Resource?: unknown }

/** The policy documents of an IAM resource: a policy's or managed policy's document, or a role's inline policies. */
function documents(node: CfnResource): unknown[] {
  const p = props(node);
  if (node.cfnResourceType === 'AWS::IAM::Policy' || node.cfnResourceType === 'AWS::IAM::ManagedPolicy') return [p.PolicyDocument];
  if (node.cfnResourceType === 'AWS::IAM::Role' && Array.isArray(p.Policies)) {
    return (p.Policies as Array<{ PolicyDocument?: unknown }>).map((policy) => policy.PolicyDocument);
  }
  return [];
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const SLASH_FORM = /:(serverlesscache|replicationgroup|user|usergroup)\//;

export const ConnectArnFormat: ElastiCacheRule = {
  id: 'ConnectArnFormat',
  level: NagMessageLevel.ERROR,
  info: 'elasticache:Connect is granted on an ARN with a slash before the name (serverlesscache/<name>): it matches no cache, and IAM auth fails.',
  explanation: 'ElastiCache ARNs put a colon before the resource name: arn:<partition>:elasticache:<region>:<account>:' +
    'serverlesscache:<name>, ...:replicationgroup:<id>, ...:user:<userId>. A slash-form ARN grants nothing. Source: ' +
    'docs/aws-facts.md "ARNs" (Service Authorization Reference, Amazon ElastiCache resource types).',
  check: (node: CfnResource) => {
    const statements = documents(node).flatMap((d) => asList((d as { Statement?: unknown } | undefined)?.Statement) as Statement[]);
    const connect = statements.filter((s) => asList(s.Action).some((a) => a === 'elasticache:Connect' || a === 'elasticache:*'));
    if (connect.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const slashed = connect.some((s) => asList(s.Resource).some((r) => SLASH_FORM.test(renderText(r))));
    return slashed ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
