import { mulberry32 } from '../../util/mulberry32';

/**
 * The random source of the semantic cache's hyperplanes: standard normals (Box-Muller) from mulberry32 with the
 * cache's seed. Its own, apart from the load generator's `Rng`, because every client of a deployed cache must draw the
 * same hyperplanes for ever: a change here rebuckets every entry (a test pins the signatures of known vectors).
 */
export function planeNormals(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
