import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { cacheSubnetSelection } from '../cache-foundation';
import { ICacheUser, UserAuthentication } from '../cache-user';
import { invalid } from '../validation';

/** What the worker's network depends on. */
export interface WorkerNetworkOptions {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly cacheName: string;
  readonly user: ICacheUser;
  readonly workers: number;
  readonly createMonitoringEndpoint?: boolean;
}

/** The worker's place in the VPC: its subnets and a security group that opens only what it needs. */
export interface WorkerNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * Subnets (private, or isolated when the VPC has no private ones) and a security group with no egress but what the
 * worker needs: the cache port (opened by `bind()`), and HTTPS where it must reach AWS APIs.
 */
export function workerNetwork(scope: Construct, options: WorkerNetworkOptions): WorkerNetwork {
  const subnets = cacheSubnetSelection(options.vpc, options.vpcSubnets);
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: options.vpc,
    description: `Load generator of ${options.cacheName}: out to the cache port and HTTPS only`,
    allowAllOutbound: false,
  });
  allowHttps(scope, securityGroup, options, subnets);
  return { vpc: options.vpc, subnets, securityGroup };
}

/**
 * HTTPS out of the worker, where it needs it: to CloudWatch when a lone worker publishes, to Secrets Manager for a
 * password user. Through a NAT (so to any address) from private subnets; from isolated subnets to interface endpoints:
 * the monitoring endpoint this construct creates opens its own security group to the worker, and other endpoints are
 * reached through the VPC's CIDR, which an imported VPC must then declare.
 */
function allowHttps(scope: Construct, securityGroup: ec2.SecurityGroup, options: WorkerNetworkOptions, subnets: ec2.SubnetSelection): void {
  const needs = [
    ...(options.workers === 1 ? ['CloudWatch (a lone worker publishes its result)'] : []),
    ...(options.user.authentication === UserAuthentication.PASSWORD ? ['Secrets Manager (the password of the cache user)'] : []),
  ];
  if (needs.length === 0) return;
  if (subnets.subnetType !== ec2.SubnetType.PRIVATE_ISOLATED) {
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs through the NAT');
    return;
  }
  const beyondOwnEndpoint = options.createMonitoringEndpoint ? needs.filter((n) => !n.startsWith('CloudWatch')) : needs;
  if (beyondOwnEndpoint.length === 0) return;
  let cidr: string;
  try {
    cidr = options.vpc.vpcCidrBlock;
  } catch {
    invalid(scope, 'vpc', options.vpc.vpcId, `the load generator runs in isolated subnets and needs HTTPS to ${beyondOwnEndpoint.join(' and ')} ` +
      'through interface endpoints in the VPC, but the imported VPC has no vpcCidrBlock to allow it to; pass vpcCidrBlock to ' +
      'Vpc.fromVpcAttributes, or use an IAM-authenticated user with createMonitoringEndpoint: true (egress then goes to that ' +
      'endpoint\'s security group only), or subnets with a NAT (vpcSubnets)');
  }
  securityGroup.addEgressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS to interface endpoints in the VPC');
}

/** An interface endpoint for CloudWatch (`monitoring`) in the worker's subnets, open to the worker only. */
export function monitoringEndpoint(scope: Construct, network: WorkerNetwork, worker: ec2.IConnectable): ec2.InterfaceVpcEndpoint {
  const endpoint = new ec2.InterfaceVpcEndpoint(scope, 'MonitoringEndpoint', {
    vpc: network.vpc,
    service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    subnets: network.subnets,
    privateDnsEnabled: true,
    open: false,
    // An endpoint answers; it never opens connections, so its group needs no egress.
    securityGroups: [new ec2.SecurityGroup(scope, 'MonitoringEndpointSecurityGroup', {
      vpc: network.vpc, description: 'CloudWatch monitoring endpoint: HTTPS in from the load generator', allowAllOutbound: false,
    })],
  });
  endpoint.connections.allowDefaultPortFrom(worker, 'load generator publishes SLO metrics');
  return endpoint;
}
