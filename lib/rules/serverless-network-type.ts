import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { NetworkType, subnetProblem } from '../catalog/network-type';
import { ElastiCacheRule, literal, props, refersTo, resourcesOfType } from './rule';

export const ServerlessNetworkType: ElastiCacheRule = {
  id: 'ServerlessNetworkType',
  level: NagMessageLevel.ERROR,
  info: 'A subnet of the serverless cache cannot serve its NetworkType.',
  explanation: 'ipv4 needs subnets with IPv4 space, ipv6 IPv6-only subnets (dual-stack ones are refused), dual_stack ' +
    'subnets with both; otherwise creating the cache fails. Only subnets defined in this app are judged. Source: ' +
    'docs/aws-facts.md "Serverless network type" (ElastiCache guide, serverless-network-type).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ServerlessCache') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const networkType = literal(p.NetworkType) as NetworkType | undefined;
    if (networkType !== 'ipv4' && networkType !== 'ipv6' && networkType !== 'dual_stack') return NagRuleCompliance.NOT_APPLICABLE;
    const subnetIds = Array.isArray(p.SubnetIds) ? p.SubnetIds : [];
    for (const subnet of resourcesOfType(node, 'AWS::EC2::Subnet')) {
      if (!subnetIds.some((id) => refersTo(node, id, subnet, undefined))) continue;
      const s = props(subnet);
      const ipv6Only = s.Ipv6Native === true;
      if (subnetProblem(networkType, { ipv6Only, hasIpv6: ipv6Only || s.Ipv6CidrBlock !== undefined })) return NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.COMPLIANT;
  },
};
