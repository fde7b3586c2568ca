import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ICache, ICacheUser } from '../lib';

/** A function of the reference apps in the VPC, bound to a cache as a user: network, elasticache:Connect and the connection contract. */
export function boundFunction(scope: Construct, id: string, vpc: ec2.IVpc, cache: ICache, user: ICacheUser, code: lambda.Code, description: string): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code,
    vpc,
    allowAllOutbound: false,
    timeout: Duration.seconds(15),
    description,
    environment: { NODE_OPTIONS: '--enable-source-maps' },
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
  });
  cache.bind(fn, { user });
  for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
      reason: `${policy} is the AWS managed minimum for a VPC Lambda function (logs and ENIs); it grants nothing on the cache.`,
    });
  }
  return fn;
}
