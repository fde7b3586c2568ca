/**
 * Facts about ElastiCache node types that alarm thresholds depend on.
 * maxclients: a node allows 65,000 connections, 20,000 on t2/t3/t4g.micro and 46,000 on t3.small/medium
 * (docs/aws-facts.md, "Alarm thresholds that AWS publishes"). vCPUs follow the EC2 size names: micro/small/medium 2 (t2.micro and
 * t2.small 1), large 2, xlarge 4, Nxlarge 4×N.
 */

export interface NodeTypeFacts {
  readonly vcpus: number;
  readonly maxClients: number;
  /** The r6gd family tiers data between memory and SSD (docs/aws-facts.md, "Data tiering"). */
  readonly dataTiering: boolean;
}

/** Facts for a node type such as `cache.r7g.large`, or undefined when the name does not follow the pattern. */
export function nodeTypeFacts(nodeType: string): NodeTypeFacts | undefined {
  const m = /^cache\.([a-z0-9]+)\.(\d*)(micro|small|medium|large|xlarge)$/.exec(nodeType);
  if (!m) return undefined;
  const [, family, multiplier, size] = m;
  let vcpus: number;
  if (size === 'xlarge') vcpus = 4 * (multiplier ? Number(multiplier) : 1);
  else if (family === 't2' && (size === 'micro' || size === 'small')) vcpus = 1;
  else vcpus = 2;
  let maxClients = 65000;
  if (size === 'micro' && ['t2', 't3', 't4g'].includes(family)) maxClients = 20000;
  else if (family === 't3' && (size === 'small' || size === 'medium')) maxClients = 46000;
  return { vcpus, maxClients, dataTiering: family === 'r6gd' };
}

/**
 * Whether an engine cannot tier data on this node type: data tiering (r6gd) starts with Redis OSS 6.2 (Enhanced);
 * every Valkey version ElastiCache offers has it (docs/aws-facts.md, "Data tiering").
 */
export function dataTieringEngineProblem(engine: string, version: string, nodeType: string): boolean {
  if (!nodeTypeFacts(nodeType)?.dataTiering || engine !== 'redis') return false;
  const [major, minor = 0] = version.split('.').map(Number);
  return major < 6 || (major === 6 && minor < 2);
}
