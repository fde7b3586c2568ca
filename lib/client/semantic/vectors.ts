/** Embedding vectors: unit length for cosine similarity, and their FLOAT32 wire form (little-endian, as search engines take it). */

/** The vector scaled to unit length; refuses a vector of the wrong size, a zero vector, or one with a NaN. */
export function unitVector(v: ArrayLike<number>, dimensions: number, what = 'embedding'): Float32Array {
  if (v.length !== dimensions) throw new RangeError(`${what}: ${v.length} dimensions; this cache holds ${dimensions}`);
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  if (!(norm > 0) || !Number.isFinite(norm)) throw new RangeError(`${what}: a zero vector or one with NaN/Infinity has no direction`);
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * scale;
  return out;
}

/** Cosine similarity of two unit vectors: their dot product, in [-1, 1]. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

/** FLOAT32 bytes, little-endian. */
export function toBytes(v: Float32Array): Buffer {
  const out = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i], i * 4);
  return out;
}

/** The vector of FLOAT32 bytes; undefined when the length does not match. */
export function fromBytes(bytes: Buffer, dimensions: number): Float32Array | undefined {
  if (bytes.length !== dimensions * 4) return undefined;
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
