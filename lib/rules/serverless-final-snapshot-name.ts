import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ElastiCacheRule, literal, props } from './rule';

export const ServerlessFinalSnapshotName: ElastiCacheRule = {
  id: 'ServerlessFinalSnapshotName',
  level: NagMessageLevel.WARN,
  info: 'The serverless cache has a fixed final snapshot name: deleting a re-created cache fails because the snapshot exists.',
  explanation: 'DeleteServerlessCache with a FinalSnapshotName that already exists fails (ServerlessCacheSnapshotAlreadyExists), ' +
    'so the second deletion of a re-created stack is stuck. Derive the name from something unique per stack, for example ' +
    'the stack id. Source: docs/aws-facts.md "Deploy-time limits and traps" (ElastiCache API reference, DeleteServerlessCache).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ServerlessCache') return NagRuleCompliance.NOT_APPLICABLE;
    const name = props(node).FinalSnapshotName;
    if (name === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return literal(name) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
