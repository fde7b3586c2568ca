/**
 * Vector indexes on ElastiCache for Valkey (vector search, node-based Valkey 8.2+): the declared shape of an index, the
 * limits AWS publishes, the memory an index needs, and the commands that create and inspect it. Shared by ClusterCache
 * (synth-time checks), the function that creates the indexes at deploy time, and the semantic cache client.
 * Sources are quoted in docs/aws-facts.md, "Vector search".
 */
import { nodeMaxmemoryBytes, usableNodeBytes } from './node-memory';

export type VectorAlgorithmName = 'HNSW' | 'FLAT';
export type VectorDistanceName = 'COSINE' | 'L2' | 'IP';

/** One declared vector index: HASH keys under the prefixes, one FLOAT32 vector field, TAG fields. */
export interface VectorIndexSpec {
  readonly name: string;
  readonly keyPrefixes: readonly string[];
  readonly vectorField: string;
  readonly dimensions: number;
  readonly algorithm: VectorAlgorithmName;
  readonly distanceMetric: VectorDistanceName;
  /** HNSW only: graph degree, build-time and query-time candidate lists. */
  readonly m?: number;
  readonly efConstruction?: number;
  readonly efRuntime?: number;
  readonly tagFields: readonly string[];
  /** For sizing: how many vectors the index will hold (all shards together). */
  readonly expectedVectors: number;
  /** For sizing: bytes of each key's other fields (answer, tags, metadata) on average. */
  readonly otherFieldBytes: number;
}

/** HNSW defaults of the toolkit: M and EF_CONSTRUCTION are the engine's; EF_RUNTIME within AWS's 50-200 guidance. */
export const HNSW_DEFAULTS = { m: 16, efConstruction: 200, efRuntime: 100 } as const;

/** The limits of one engine version ("Search features and limits", and valkey-search's FT.CREATE for M). */
export interface SearchLimits {
  readonly indexes: number;
  readonly fieldsPerIndex: number;
  readonly dimensions: number;
  readonly prefixesPerIndex: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly efRuntime: number;
}

/** Vector search starts at Valkey 8.2. */
export const VECTOR_SEARCH_MIN_VALKEY = [8, 2] as const;

/**
 * The limits for an engine version, or undefined where there is no vector search (Redis OSS, Valkey below 8.2).
 * AWS lists M up to 2,000,000; the engine's FT.CREATE documentation caps it at 512, the stricter of the two is kept.
 */
export function searchLimits(engine: string, version: string): SearchLimits | undefined {
  const [major, minor = 0] = version.split('.').map(Number);
  const [needMajor, needMinor] = VECTOR_SEARCH_MIN_VALKEY;
  if (engine !== 'valkey' || major < needMajor || (major === needMajor && minor < needMinor)) return undefined;
  const base = { dimensions: 32768, prefixesPerIndex: 16, m: 512 };
  return major >= 9
    ? { ...base, indexes: 1000, fieldsPerIndex: 1000, efConstruction: 1_000_000, efRuntime: 1_000_000 }
    : { ...base, indexes: 10, fieldsPerIndex: 50, efConstruction: 4096, efRuntime: 4096 };
}

/** Where a cache would hold vector indexes. */
export interface SearchHost {
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly reservedMemoryPercent: number;
}

/** Why AWS would refuse (or not run) vector indexes: the setting, its value and what is allowed. */
export interface VectorIndexProblem {
  /** The position of the index the problem is in, when it is one index's. */
  readonly index?: number;
  readonly setting: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** Burstable nodes need a larger memory reserve for search: 50 % on micro, 30 % on small ("Search features and limits"). */
export function burstableReserveForSearch(nodeType: string): number | undefined {
  const m = /^cache\.(t2|t3|t4g)\.(micro|small)$/.exec(nodeType);
  if (!m) return undefined;
  return m[2] === 'micro' ? 50 : 30;
}

/** The first reason the host cannot hold vector indexes, or undefined. */
export function searchHostProblem(host: SearchHost): VectorIndexProblem | undefined {
  if (!searchLimits(host.engine, host.engineVersion)) {
    return { setting: 'engine', value: `${host.engine} ${host.engineVersion}`, allowed: `vector search needs Valkey ${VECTOR_SEARCH_MIN_VALKEY.join('.')} or later` };
  }
  if (host.nodeType.split('.')[1] === 'r6gd') {
    return { setting: 'nodeType', value: host.nodeType, allowed: 'vector search is not available on data tiering (r6gd) nodes' };
  }
  const reserve = burstableReserveForSearch(host.nodeType);
  if (reserve !== undefined && host.reservedMemoryPercent < reserve) {
    return { setting: 'reservedMemoryPercent', value: host.reservedMemoryPercent, allowed: `search on ${host.nodeType} needs a memory reserve of at least ${reserve} %` };
  }
  return undefined;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDEX_NAME = /^[A-Za-z0-9_:.-]+$/;

/** Every way the declared indexes break the engine's limits or each other. */
export function vectorIndexProblems(specs: readonly VectorIndexSpec[], limits: SearchLimits): VectorIndexProblem[] {
  const problems: VectorIndexProblem[] = [];
  if (specs.length > limits.indexes) {
    problems.push({ setting: 'vectorIndexes', value: specs.length, allowed: `at most ${limits.indexes} indexes on this engine version` });
  }
  const names = new Set<string>();
  specs.forEach((s, position) => {
    const p = (setting: string, value: unknown, allowed: string) => problems.push({ index: position, setting, value, allowed });
    if (!INDEX_NAME.test(s.name)) p('name', s.name, 'letters, digits and _ : . -');
    if (names.has(s.name)) p('name', s.name, 'index names are unique');
    names.add(s.name);
    if (s.keyPrefixes.length < 1 || s.keyPrefixes.length > limits.prefixesPerIndex) {
      p('keyPrefixes', s.keyPrefixes.length, `1 to ${limits.prefixesPerIndex} prefixes`);
    }
    for (const prefix of s.keyPrefixes) {
      if (prefix.length === 0 || /[\s*?[\]\\]/.test(prefix)) p('keyPrefixes', prefix, 'a non-empty prefix without spaces or glob characters (* ? [ ] \\)');
    }
    const fields = [s.vectorField, ...s.tagFields];
    for (const f of fields) if (!FIELD_NAME.test(f)) p('field', f, 'field names are letters, digits and _, not starting with a digit');
    if (new Set(fields).size !== fields.length) p('tagFields', s.tagFields.join(','), 'field names are unique and differ from the vector field');
    if (fields.length > limits.fieldsPerIndex) p('tagFields', fields.length, `at most ${limits.fieldsPerIndex} fields per index, the vector field included`);
    if (!Number.isInteger(s.dimensions) || s.dimensions < 1 || s.dimensions > limits.dimensions) p('dimensions', s.dimensions, `an integer from 1 to ${limits.dimensions}`);
    if (s.algorithm === 'HNSW') {
      const hnsw: Array<[string, number | undefined, number]> = [['m', s.m, limits.m], ['efConstruction', s.efConstruction, limits.efConstruction], ['efRuntime', s.efRuntime, limits.efRuntime]];
      for (const [name, value, max] of hnsw) {
        if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) p(name, value, `an integer from 1 to ${max}`);
      }
      if (s.m !== undefined && s.m < 2) p('m', s.m, 'at least 2 (the graph degree)');
    }
    if (!Number.isInteger(s.expectedVectors) || s.expectedVectors < 0) p('expectedVectors', s.expectedVectors, 'a whole number of vectors, 0 or more');
    if (!Number.isInteger(s.otherFieldBytes) || s.otherFieldBytes < 0) p('otherFieldBytes', s.otherFieldBytes, 'a whole number of bytes, 0 or more');
  });
  // Two indexes over the same keys each hold a copy of every vector: allowed, but the sizing counts the keys once per index.
  return problems;
}

/**
 * Memory of the keys, measured on valkey-server 8.0 (test/catalog/vector-index-memory.test.ts): the payload (vector,
 * other fields, key name, tag names) rounded up by the allocator's size classes, at most 25 % apart, plus a fixed cost
 * per key (dictionary and expiry entries, the object headers, the hash's own table).
 */
export const KEY_ALLOCATOR_FACTOR = 1.25;
export const KEY_FIXED_BYTES = 400;
/**
 * Per vector in the index beyond its copy and its graph links: the label, the level and link-list pointer, a lock, and
 * the key-to-id maps (valkey-search's HNSW, third_party/hnswlib/hnswalg.h), with the key name interned once more.
 */
export const INDEX_BOOKKEEPING_BYTES = 128;
/** Share of a shard's data memory the vector data may fill; the rest is for other keys, fragmentation and growth. */
export const VECTOR_MEMORY_BUDGET = 0.8;

/** The memory one index needs, all shards together, in bytes. */
export interface VectorMemoryEstimate {
  /** The HASH keys: vector, other fields, key and allocator overhead. */
  readonly keyBytes: number;
  /** The index: a copy of each vector (AWS: "an additional copy of the vector in the index"), graph links, bookkeeping. */
  readonly indexBytes: number;
  readonly totalBytes: number;
}

/** Typical key name length under the prefix: the prefix and a 36-character id. */
function keyNameBytes(spec: VectorIndexSpec): number {
  return Math.max(...spec.keyPrefixes.map((p) => Buffer.byteLength(p))) + 36;
}

/**
 * The memory an index needs when it holds `expectedVectors` vectors. Per vector:
 * - key: 1.25 × (4 × dimensions + otherFieldBytes + key name + tag field names) + 400;
 * - index: 4 × dimensions (the copy) + links + 128 + key name, where HNSW links are 2M × 4 + 4 bytes on layer 0 and
 *   (M × 4 + 4) / (M − 1) bytes on the upper layers on average (levels are drawn with probability M^−l), FLAT has none.
 */
export function estimateVectorMemory(spec: VectorIndexSpec): VectorMemoryEstimate {
  const vectorBytes = 4 * spec.dimensions;
  const name = keyNameBytes(spec);
  const tagNames = spec.tagFields.reduce((sum, f) => sum + f.length, spec.vectorField.length);
  const perKey = Math.ceil(KEY_ALLOCATOR_FACTOR * (vectorBytes + spec.otherFieldBytes + name + tagNames)) + KEY_FIXED_BYTES;
  let links = 0;
  if (spec.algorithm === 'HNSW') {
    const m = spec.m ?? HNSW_DEFAULTS.m;
    links = 2 * m * 4 + 4 + Math.ceil((m * 4 + 4) / (m - 1));
  }
  const perIndexEntry = vectorBytes + links + INDEX_BOOKKEEPING_BYTES + name;
  const keyBytes = perKey * spec.expectedVectors;
  const indexBytes = perIndexEntry * spec.expectedVectors;
  return { keyBytes, indexBytes, totalBytes: keyBytes + indexBytes };
}

/** The node-based cluster that would hold the indexes. */
export interface ClusterMemoryPlan {
  readonly nodeType: string;
  /** Shards at the smallest the cluster can be (auto scaling's minimum). */
  readonly shards: number;
  readonly reservedMemoryPercent: number;
}

/** Whether the declared indexes fit the cluster, with the numbers to say so. */
export interface VectorMemoryFit {
  readonly requiredBytesPerShard: number;
  /** maxmemory less the reserve: the data memory of one shard's primary. */
  readonly usableBytesPerShard: number;
  /** The part of it vector data may fill (VECTOR_MEMORY_BUDGET). */
  readonly budgetBytesPerShard: number;
  readonly fits: boolean;
  /** The fewest shards of this node type that would hold the indexes. */
  readonly shardsNeeded: number;
}

/**
 * Checks the declared indexes against a cluster: keys spread evenly over the shards, and each shard indexes its own
 * keys, so a shard needs its share of the total. Undefined when the node type's maxmemory is unknown.
 */
export function vectorMemoryFit(specs: readonly VectorIndexSpec[], plan: ClusterMemoryPlan): VectorMemoryFit | undefined {
  const maxmemory = nodeMaxmemoryBytes(plan.nodeType);
  if (maxmemory === undefined) return undefined;
  const total = specs.reduce((sum, s) => sum + estimateVectorMemory(s).totalBytes, 0);
  const usable = usableNodeBytes(maxmemory, plan.reservedMemoryPercent);
  const budget = Math.floor(usable * VECTOR_MEMORY_BUDGET);
  const required = Math.ceil(total / plan.shards);
  return {
    requiredBytesPerShard: required,
    usableBytesPerShard: usable,
    budgetBytesPerShard: budget,
    fits: required <= budget,
    shardsNeeded: budget > 0 ? Math.max(1, Math.ceil(total / budget)) : Infinity,
  };
}

/** Bytes as GiB with two decimals, for messages. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/** FT.CREATE for the index (valkey-search FT.CREATE): HASH keys under the prefixes, the vector field, then the TAG fields. */
export function createIndexArguments(spec: VectorIndexSpec): string[] {
  const attributes = ['TYPE', 'FLOAT32', 'DIM', String(spec.dimensions), 'DISTANCE_METRIC', spec.distanceMetric];
  if (spec.algorithm === 'HNSW') {
    attributes.push('M', String(spec.m ?? HNSW_DEFAULTS.m), 'EF_CONSTRUCTION', String(spec.efConstruction ?? HNSW_DEFAULTS.efConstruction),
      'EF_RUNTIME', String(spec.efRuntime ?? HNSW_DEFAULTS.efRuntime));
  }
  return ['FT.CREATE', spec.name, 'ON', 'HASH', 'PREFIX', String(spec.keyPrefixes.length), ...spec.keyPrefixes, 'SCHEMA',
    spec.vectorField, 'VECTOR', spec.algorithm, String(attributes.length), ...attributes, ...spec.tagFields.flatMap((f) => [f, 'TAG'])];
}

/**
 * The index function's environment: how long a Create or Update waits for its user to log in. Adding a user to the
 * user group of an existing cache is applied by ElastiCache after CloudFormation has moved on; until then the login is
 * refused (WRONGPASS). 90 s leaves the function 30 s of its 2 minutes for the work.
 */
export const LOGIN_WAIT_ENV = 'ECTK_LOGIN_WAIT_SECONDS';
export const LOGIN_WAIT_SECONDS = 90;

/**
 * Where the index function records which custom resource (its physical id) owns an index: a string key under the
 * index's first prefix (FT indexes ON HASH ignore it). A Delete drops only the indexes its resource still owns, so
 * a resource whose logical id changed (created anew, the old one deleted after) never drops the indexes it handed on.
 */
export function indexOwnerKey(spec: Pick<VectorIndexSpec, 'name' | 'keyPrefixes'>): string {
  return `${spec.keyPrefixes[0]}ectk:index-owner:${spec.name}`;
}

/** The custom resource through which ClusterCache creates its declared vector indexes (properties `CacheName`, `Document`). */
export const VECTOR_INDEX_RESOURCE_TYPE = 'Custom::EctkVectorIndexes';

/** The document the construct hands the index function (a custom resource property): versioned, parsed once. */
export interface VectorIndexDocument {
  readonly version: 1;
  readonly indexes: VectorIndexSpec[];
  readonly changePolicy: 'refuse' | 'recreate';
}

export const VECTOR_INDEX_DOCUMENT_VERSION = 1;

/** Parses and checks the document; errors name the field. */
export function parseVectorIndexDocument(json: string): VectorIndexDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`vector index document: not JSON (${(e as Error).message})`, { cause: e });
  }
  const doc = raw as Record<string, unknown>;
  const fail = (field: string, allowed: string): never => {
    throw new Error(`vector index document: ${field} is ${JSON.stringify(field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc))}; allowed is ${allowed}`);
  };
  if (doc?.version !== VECTOR_INDEX_DOCUMENT_VERSION) fail('version', String(VECTOR_INDEX_DOCUMENT_VERSION));
  if (doc.changePolicy !== 'refuse' && doc.changePolicy !== 'recreate') fail('changePolicy', '"refuse" or "recreate"');
  if (!Array.isArray(doc.indexes)) fail('indexes', 'a list of index declarations');
  const indexes = (doc.indexes as Array<Record<string, unknown>>).map((s, i) => {
    const at = `indexes.${i}`;
    const str = (k: string) => (typeof s?.[k] === 'string' ? (s[k] as string) : fail(`${at}.${k}`, 'a string'));
    const int = (k: string, optional = false) => {
      const v = s?.[k];
      if (v === undefined && optional) return undefined;
      return Number.isInteger(v) ? (v as number) : fail(`${at}.${k}`, 'an integer');
    };
    const strings = (k: string) => (Array.isArray(s?.[k]) && (s[k] as unknown[]).every((x) => typeof x === 'string') ? (s[k] as string[]) : fail(`${at}.${k}`, 'a list of strings'));
    const algorithm = str('algorithm');
    if (algorithm !== 'HNSW' && algorithm !== 'FLAT') fail(`${at}.algorithm`, '"HNSW" or "FLAT"');
    const distanceMetric = str('distanceMetric');
    if (!['COSINE', 'L2', 'IP'].includes(distanceMetric)) fail(`${at}.distanceMetric`, '"COSINE", "L2" or "IP"');
    return {
      name: str('name'), keyPrefixes: strings('keyPrefixes'), vectorField: str('vectorField'), dimensions: int('dimensions')!,
      algorithm: algorithm as VectorAlgorithmName, distanceMetric: distanceMetric as VectorDistanceName,
      m: int('m', true), efConstruction: int('efConstruction', true), efRuntime: int('efRuntime', true),
      tagFields: strings('tagFields'), expectedVectors: int('expectedVectors')!, otherFieldBytes: int('otherFieldBytes')!,
    };
  });
  return { version: 1, indexes, changePolicy: doc.changePolicy as 'refuse' | 'recreate' };
}
