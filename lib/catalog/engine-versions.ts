/**
 * The engine versions ElastiCache documents, per flavour (docs/aws-facts.md, "Engine versions"). A version newer than
 * the newest listed may be one AWS added since this table was read: it is let through with a warning. One that is not
 * listed but older than the newest is not a version ElastiCache offers (a typo, or a version that never existed) and is
 * refused.
 */

/** Node-based versions (`EngineVersion`, MAJOR.MINOR): Valkey 7.2-9.1; Redis OSS 6.0-7.1 (4.0.10 and 5.0.6, in Extended Support, the toolkit does not create). */
export const NODE_BASED_ENGINE_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  valkey: ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1'],
  redis: ['6.0', '6.2', '7.0', '7.1'],
};

/**
 * Node-based versions ElastiCache still runs but the toolkit does not create: Redis OSS 5.0.6 and 4.0.10, in paid
 * Extended Support. A raw replication group may name them (the rule pack accepts them).
 */
export const EXTENDED_SUPPORT_NODE_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  redis: ['4.0.10', '5.0.6'],
};

/** Serverless major versions (`MajorEngineVersion`): Valkey 7, 8 and 9; Redis OSS 7. */
export const SERVERLESS_MAJOR_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  valkey: ['7', '8', '9'],
  redis: ['7'],
};

/** What the table says of a version: listed, newer than every listed one, or neither (with what is allowed). */
export type EngineVersionVerdict =
  | { readonly kind: 'documented' }
  | { readonly kind: 'newer'; readonly newest: string }
  | { readonly kind: 'unknown'; readonly allowed: string };

function compare(a: string, b: string): number {
  const [pa, pb] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function verdict(version: string, listed: readonly string[] | undefined, what: string): EngineVersionVerdict {
  if (!listed) return { kind: 'unknown', allowed: `allowed are the ${what} ElastiCache documents, and it documents none for this engine` };
  if (listed.includes(version)) return { kind: 'documented' };
  const newest = listed[listed.length - 1];
  if (compare(version, newest) > 0) return { kind: 'newer', newest };
  return { kind: 'unknown', allowed: `allowed are the ${what} ElastiCache documents: ${listed.join(', ')}, or a newer one` };
}

/** A node-based engine version (MAJOR.MINOR) against the table. */
export function nodeBasedVersionVerdict(engine: string, version: string): EngineVersionVerdict {
  return verdict(version, NODE_BASED_ENGINE_VERSIONS[engine], 'node-based versions');
}

/**
 * A serverless engine version against the table: its major version, and, when a minor is given, the version too (a
 * `CacheEngine.valkey('7.1')` names no Valkey that ever existed, whatever flavour runs it).
 */
export function serverlessVersionVerdict(engine: string, version: string): EngineVersionVerdict {
  const major = verdict(version.split('.')[0], SERVERLESS_MAJOR_VERSIONS[engine], 'serverless major versions');
  if (major.kind !== 'documented' || !version.includes('.')) return major;
  const known = NODE_BASED_ENGINE_VERSIONS[engine] ?? [];
  const sameMajor = known.filter((v) => v.split('.')[0] === version.split('.')[0]);
  if (sameMajor.includes(version) || compare(version, known[known.length - 1]) > 0) return { kind: 'documented' };
  return { kind: 'unknown', allowed: `ElastiCache documents ${sameMajor.join(', ')} in that major version (a serverless cache needs only the major version)` };
}
