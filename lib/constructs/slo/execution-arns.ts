import { Fn, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** `arn:<partition>:states:<region>:<account>:execution:<state machine name>:` of a state machine's executions. */
export function executionArnPrefix(machine: sfn.StateMachine): string {
  const stack = Stack.of(machine);
  return `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${Fn.select(6, Fn.split(':', machine.stateMachineArn))}:`;
}

/**
 * The execution ARN of a state machine as cdk-nag prints it in AwsSolutions-IAM5 finding ids (how aws-cdk-lib renders
 * an execution ARN: the name is the seventh field of the state machine's ARN).
 */
export function executionArnPattern(machine: sfn.StateMachine): string {
  const logicalId = Stack.of(machine).getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine);
  return `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}`;
}
