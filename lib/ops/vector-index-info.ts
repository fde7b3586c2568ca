/**
 * FT.INFO, read: the definition of an existing index, in the shape of a declared one so the two can be compared, and
 * its state. The reply shape is valkey-search's (docs/commands/ft.info.md): an array of key/value pairs, nested for the
 * definition and each attribute. RESP3 may deliver the same pairs as a map; both are read.
 *
 * Tested on valkey-search 1.0.3's own replies: a flat RESP2 array (RESP3 the same), attributes in no stable order.
 */
import type { VectorIndexSpec } from '../catalog/vector-index';

/** What FT.INFO says of an index: the parts a declaration sets, and its state. */
export interface ObservedIndex {
  readonly name: string;
  readonly keyType: string;
  readonly keyPrefixes: string[];
  readonly vectorFields: Array<{ field: string; algorithm: string; dimensions: number; distanceMetric: string; m?: number; efConstruction?: number; efRuntime?: number }>;
  readonly tagFields: string[];
  readonly otherFields: Array<{ field: string; type: string }>;
  readonly numDocs: number;
  readonly backfillInProgress: boolean;
  /** 0 to 1. */
  readonly backfillCompleteFraction: number;
  /** `ready`, `backfill_in_progress` or `backfill_paused_by_oom`. */
  readonly state: string;
  readonly indexingFailures: number;
}

type Pairs = Map<string, unknown>;

/** Key/value pairs from an array `[k, v, k, v, ...]`, a Map or an object; keys lower-cased. */
function pairs(value: unknown, what: string): Pairs {
  const out: Pairs = new Map();
  if (Array.isArray(value)) {
    if (value.length % 2 !== 0) throw new Error(`FT.INFO: ${what} is not a list of key/value pairs: ${JSON.stringify(value).slice(0, 200)}`);
    for (let i = 0; i < value.length; i += 2) out.set(String(value[i]).toLowerCase(), value[i + 1]);
  } else if (value instanceof Map) {
    for (const [k, v] of value) out.set(String(k).toLowerCase(), v);
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) out.set(k.toLowerCase(), v);
  } else {
    throw new Error(`FT.INFO: ${what} is not a list of key/value pairs: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return out;
}

function text(p: Pairs, key: string): string | undefined {
  const v = p.get(key);
  return v === undefined || v === null ? undefined : String(v);
}

function num(p: Pairs, key: string): number | undefined {
  const v = text(p, key);
  return v === undefined ? undefined : Number(v);
}

/** Parses an FT.INFO reply (the LOCAL form). Throws, naming the part, on a reply of another shape. */
export function parseFtInfo(reply: unknown): ObservedIndex {
  const top = pairs(reply, 'the reply');
  const name = text(top, 'index_name');
  if (name === undefined) throw new Error('FT.INFO: the reply has no index_name');
  const definition = pairs(top.get('index_definition') ?? [], 'index_definition');
  const prefixes = definition.get('prefixes');
  const vectorFields: ObservedIndex['vectorFields'] = [];
  const tagFields: string[] = [];
  const otherFields: Array<{ field: string; type: string }> = [];
  const attributes = top.get('attributes');
  if (!Array.isArray(attributes)) throw new Error('FT.INFO: the reply has no attributes list');
  for (const raw of attributes) {
    const a = pairs(raw, 'an attribute');
    const field = text(a, 'attribute') ?? text(a, 'identifier') ?? '';
    const type = (text(a, 'type') ?? '').toUpperCase();
    if (type === 'VECTOR') {
      const index = pairs(a.get('index') ?? [], `the vector attribute ${field}`);
      const algorithm = pairs(index.get('algorithm') ?? [], `the algorithm of ${field}`);
      vectorFields.push({
        field,
        algorithm: (text(algorithm, 'name') ?? '').toUpperCase(),
        dimensions: num(index, 'dimensions') ?? NaN,
        distanceMetric: (text(index, 'distance_metric') ?? '').toUpperCase(),
        m: num(algorithm, 'm'),
        efConstruction: num(algorithm, 'ef_construction'),
        efRuntime: num(algorithm, 'ef_runtime'),
      });
    } else if (type === 'TAG') {
      tagFields.push(field);
    } else {
      otherFields.push({ field, type });
    }
  }
  return {
    name,
    keyType: (text(definition, 'key_type') ?? '').toUpperCase(),
    keyPrefixes: Array.isArray(prefixes) ? prefixes.map(String) : [],
    vectorFields,
    tagFields,
    otherFields,
    numDocs: num(top, 'num_docs') ?? 0,
    backfillInProgress: text(top, 'backfill_in_progress') === '1',
    backfillCompleteFraction: num(top, 'backfill_complete_percent') ?? 1,
    state: text(top, 'state') ?? 'unknown',
    indexingFailures: num(top, 'hash_indexing_failures') ?? 0,
  };
}

/** How an existing index differs from its declaration, one line per difference; empty when they match. */
export function indexDifferences(declared: VectorIndexSpec, observed: ObservedIndex): string[] {
  const out: string[] = [];
  const differ = (what: string, want: unknown, have: unknown) => out.push(`${what}: declared ${JSON.stringify(want)}, the index has ${JSON.stringify(have)}`);
  if (observed.keyType !== 'HASH') differ('key type', 'HASH', observed.keyType);
  const sorted = (xs: readonly string[]) => [...xs].sort();
  if (JSON.stringify(sorted(declared.keyPrefixes)) !== JSON.stringify(sorted(observed.keyPrefixes))) differ('keyPrefixes', declared.keyPrefixes, observed.keyPrefixes);
  const vectors = observed.vectorFields;
  const v = vectors.find((f) => f.field === declared.vectorField);
  if (!v || vectors.length !== 1) {
    differ('vector fields', [declared.vectorField], vectors.map((f) => f.field));
  } else {
    if (v.algorithm !== declared.algorithm) differ('algorithm', declared.algorithm, v.algorithm);
    if (v.dimensions !== declared.dimensions) differ('dimensions', declared.dimensions, v.dimensions);
    if (v.distanceMetric !== declared.distanceMetric) differ('distanceMetric', declared.distanceMetric, v.distanceMetric);
    if (declared.algorithm === 'HNSW' && v.algorithm === 'HNSW') {
      for (const [what, want, have] of [['m', declared.m, v.m], ['efConstruction', declared.efConstruction, v.efConstruction], ['efRuntime', declared.efRuntime, v.efRuntime]] as const) {
        if (want !== undefined && have !== undefined && want !== have) differ(what, want, have);
      }
    }
  }
  if (JSON.stringify(sorted(declared.tagFields)) !== JSON.stringify(sorted(observed.tagFields))) differ('tagFields', declared.tagFields, observed.tagFields);
  if (observed.otherFields.length > 0) differ('other fields', [], observed.otherFields.map((f) => `${f.field} ${f.type}`));
  return out;
}
