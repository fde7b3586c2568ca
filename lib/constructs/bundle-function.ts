import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SLO_NAMESPACE } from '../catalog/slo-check';
import { lambdaBundle } from './lambda-bundle';

/**
 * One of the toolkit's functions, all from its Lambda bundle: LatencySlo's worker, capacity search, aggregator and
 * deploy gate (`index.js`), and the vector-index function (`vector-indexes.js`).
 */
export interface BundleFunctionOptions {
  /** Exported handler: `handler` (worker), `capacity`, `aggregate` or `gate` in index.js, or `vector-indexes.<export>`. */
  readonly handler: 'handler' | 'capacity' | 'aggregate' | 'gate' | 'vector-indexes.onEvent' | 'vector-indexes.watch';
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: { [name: string]: string };
  /** Publishes metrics itself: `cloudwatch:PutMetricData` into this namespace only (the SLO namespace when `true`). */
  readonly publishes: boolean | string;
  /** Network of a function in the cache's VPC. */
  readonly network?: { readonly vpc: ec2.IVpc; readonly subnets: ec2.SubnetSelection; readonly securityGroup: ec2.ISecurityGroup };
}

/**
 * The one function factory of the toolkit: Node.js 24, the prebuilt bundle (shipped in the package: no bundling at
 * synth), source maps on, a log group kept a month, and the acknowledgements every such function needs.
 */
export function bundleFunction(scope: Construct, id: string, options: BundleFunctionOptions): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: options.handler.includes('.') ? options.handler : `index.${options.handler}`,
    code: lambda.Code.fromAsset(lambdaBundle().directory),
    memorySize: options.memorySize,
    timeout: options.timeout,
    description: options.description,
    environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    ...(options.network ? { vpc: options.network.vpc, vpcSubnets: options.network.subnets, securityGroups: [options.network.securityGroup] } : {}),
  });
  const policies = options.network ? ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole'] : ['AWSLambdaBasicExecutionRole'];
  for (const policy of policies) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
      reason: `${policy} is the AWS managed minimum for a Lambda function (logs${options.network ? ' and VPC network interfaces' : ''}); it grants nothing on the cache.`,
    });
  }
  if (options.publishes) {
    const namespace = options.publishes === true ? SLO_NAMESPACE : options.publishes;
    // cloudwatch:PutMetricData supports no resource, only this condition key.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
    }));
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `cloudwatch:PutMetricData supports no resource ARN; the statement is confined by the cloudwatch:namespace condition to ${namespace}.`,
    });
  }
  return fn;
}
