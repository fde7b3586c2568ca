/**
 * What ElastiCache requires of a Global Datastore and its members (docs/aws-facts.md, "Global Datastore"). Pure data
 * and checks, shared by the constructs and the rule pack.
 */

/** The Regions that support Global Datastore, as Region codes (the guide lists them by name). */
export const GLOBAL_DATASTORE_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-4', 'ap-south-1', 'ap-northeast-3',
  'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-7', 'ap-northeast-1',
  'ca-central-1', 'ca-west-1',
  'cn-north-1', 'cn-northwest-1',
  'eu-central-1', 'eu-west-2', 'eu-west-1', 'eu-south-1', 'eu-west-3', 'eu-south-2', 'eu-north-1', 'eu-central-2',
  'us-gov-west-1', 'us-gov-east-1',
  'il-central-1',
  'me-south-1', 'me-central-1',
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'mx-central-1', 'sa-east-1',
];

/** Secondary Regions a primary can replicate to. */
export const MAX_SECONDARY_REGIONS = 2;

/** China (Beijing) and China (Ningxia) replicate only between each other. */
const CHINA = ['cn-north-1', 'cn-northwest-1'];

/** Properties a secondary replication group inherits from the primary and must not send (InvalidParameterCombination). */
export const INHERITED_BY_SECONDARY: readonly string[] = [
  'Engine', 'EngineVersion', 'CacheNodeType', 'CacheParameterGroupName', 'NumNodeGroups', 'TransitEncryptionEnabled',
  'AtRestEncryptionEnabled',
];

/** Families of the previous generation, which Global Datastore does not support ("such as M4 and R4"). */
const PREVIOUS_GENERATION = /^(m1|m2|m3|m4|r3|r4|t1|t2|c1)$/;

/** Why a Region cannot hold a member of a global datastore, or undefined when it can. */
export function regionProblem(region: string): string | undefined {
  return GLOBAL_DATASTORE_REGIONS.includes(region) ? undefined
    : `Global Datastore is not offered there; it is in ${GLOBAL_DATASTORE_REGIONS.join(', ')}`;
}

/** Why a set of member Regions (the primary's first) cannot form a global datastore, or undefined. */
export function membersProblem(regions: readonly string[]): string | undefined {
  const [primary, ...secondaries] = regions;
  if (secondaries.length > MAX_SECONDARY_REGIONS) return `at most ${MAX_SECONDARY_REGIONS} secondary Regions`;
  if (secondaries.includes(primary)) return 'a secondary must be in another Region than the primary';
  if (new Set(secondaries).size !== secondaries.length) return 'one secondary per Region';
  const china = regions.filter((r) => CHINA.includes(r)).length;
  if (china > 0 && china < regions.length) return 'China (Beijing) and China (Ningxia) replicate only between each other';
  return undefined;
}

/** Why a node type cannot be in a global datastore (size below large, previous generation), or undefined. */
export function nodeTypeProblem(nodeType: string): string | undefined {
  const m = /^cache\.([a-z0-9]+)\.(\d*)(micro|small|medium|large|xlarge)$/.exec(nodeType);
  if (!m) return undefined;
  const [, family, , size] = m;
  if (PREVIOUS_GENERATION.test(family)) return `previous-generation ${family} nodes are not supported in a global datastore`;
  if (['micro', 'small', 'medium'].includes(size)) return 'a global datastore needs nodes of size large or above';
  return undefined;
}
