/**
 * A serverless cache's network type and the subnets it needs (docs/aws-facts.md, "Serverless network type"), shared by
 * ServerlessCache's validation and the rule pack.
 */

export type NetworkType = 'ipv4' | 'ipv6' | 'dual_stack';

/** What a subnet has: IPv4 address space unless IPv6-only, and an IPv6 block or not. */
export interface SubnetAddressing {
  readonly ipv6Only: boolean;
  readonly hasIpv6: boolean;
}

/** Why a subnet cannot serve a network type, or undefined when it can. */
export function subnetProblem(networkType: NetworkType, subnet: SubnetAddressing): string | undefined {
  switch (networkType) {
    case 'ipv4': return subnet.ipv6Only ? 'ipv4 needs subnets with IPv4 addresses (IPv4 or dual stack), not IPv6-only ones' : undefined;
    case 'ipv6': return subnet.ipv6Only ? undefined : 'ipv6 needs IPv6-only subnets (dual-stack subnets are not supported)';
    case 'dual_stack': return !subnet.hasIpv6 || subnet.ipv6Only ? 'dual_stack needs subnets with both IPv4 and IPv6 address space' : undefined;
  }
}
