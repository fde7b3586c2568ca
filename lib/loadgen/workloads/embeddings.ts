import { unitVector } from '../../client/semantic/vectors';
import { Rng } from '../random';

/** Synthetic embeddings for the semantic-cache profile, its benchmark and its tests: seeded, so runs repeat. */

/** A random direction: a unit vector of `dimensions` standard normals. */
export function randomUnitVector(rng: Rng, dimensions: number): Float32Array {
  return unitVector(Array.from({ length: dimensions }, () => rng.normal()), dimensions);
}

/** A vector at exactly cosine `similarity` to the unit vector `c`, in a random direction. */
export function vectorNear(rng: Rng, c: Float32Array, similarity: number): Float32Array {
  const r = Array.from({ length: c.length }, () => rng.normal());
  let dot = 0;
  for (let i = 0; i < c.length; i++) dot += r[i] * c[i];
  const ortho = unitVector(r.map((x, i) => x - dot * c[i]), c.length);
  return Float32Array.from(c, (x, i) => similarity * x + Math.sqrt(1 - similarity * similarity) * ortho[i]);
}
