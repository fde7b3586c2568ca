import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { subnetProblem } from '../catalog/network-type';
import { invalid } from './validation';

/**
 * The IP protocols a serverless cache accepts connections over. Set at creation only.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-network-type.html
 */
export enum CacheNetworkType {
  /** IPv4 connections only; subnets need IPv4 address space (IPv4 or dual stack). */
  IPV4 = 'ipv4',
  /** IPv6 connections only; subnets must be IPv6-only. */
  IPV6 = 'ipv6',
  /** IPv4 and IPv6; subnets need both. The protocol of a connection follows how the client resolves the endpoint. */
  DUAL_STACK = 'dual_stack',
}

/**
 * Refuses subnets that cannot serve the network type. Subnets created in this app are judged by their
 * `AWS::EC2::Subnet` (Ipv6CidrBlock, Ipv6Native); imported ones, whose addressing is not known at synth, are not.
 */
export function checkSubnetsFor(scope: Construct, networkType: CacheNetworkType, subnets: readonly ec2.ISubnet[]): void {
  if (!Object.values(CacheNetworkType).includes(networkType)) {
    invalid(scope, 'networkType', networkType, `allowed are ${Object.values(CacheNetworkType).join(', ')}`);
  }
  for (const subnet of subnets) {
    const cfn = subnet.node.defaultChild;
    if (!(cfn instanceof ec2.CfnSubnet)) continue;
    const problem = subnetProblem(networkType, { ipv6Only: cfn.ipv6Native === true, hasIpv6: cfn.ipv6CidrBlock !== undefined || cfn.ipv6Native === true });
    if (problem) invalid(scope, 'networkType', networkType, `${problem}; subnet ${subnet.node.path} does not fit (vpcSubnets selects the subnets)`);
  }
}
