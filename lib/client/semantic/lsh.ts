import { planeNormals } from './plane-source';

/**
 * Locality-sensitive hashing by random hyperplanes (SimHash): each table draws `bits` hyperplanes; a vector's
 * signature in a table is which side of each it lies on. Two vectors at angle θ agree on one bit with probability
 * 1 − θ/π, so near vectors share a table's bucket often and far ones rarely; several tables make a near neighbour
 * likely to share at least one bucket. The hyperplanes come from a seed, so every client of a cache draws the same.
 */
export class Hyperplanes {
  private readonly planes: Float32Array[][];

  constructor(public readonly dimensions: number, public readonly tables: number, public readonly bits: number, public readonly seed: number) {
    if (!Number.isInteger(tables) || tables < 1 || tables > 64) throw new RangeError(`tables: invalid value ${tables}: a whole number from 1 to 64`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 52) throw new RangeError(`bits: invalid value ${bits}: a whole number from 1 to 52`);
    const normal = planeNormals(seed);
    this.planes = Array.from({ length: tables }, () => Array.from({ length: bits }, () => {
      const plane = new Float32Array(dimensions);
      for (let i = 0; i < dimensions; i++) plane[i] = normal();
      return plane;
    }));
  }

  /** The vector's signature in each table, as hex. */
  public signatures(v: Float32Array): string[] {
    return this.planes.map((table) => {
      // value * 2 + bit stays exact up to 53 bits (the constructor refuses more).
      let value = 0;
      for (const plane of table) {
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += v[i] * plane[i];
        value = value * 2 + (dot >= 0 ? 1 : 0);
      }
      return value.toString(16).padStart(Math.ceil(this.bits / 4), '0');
    });
  }

  /**
   * The probability that a stored vector at cosine similarity `similarity` to a query shares a bucket with it in at
   * least one table: 1 − (1 − p^bits)^tables with p = 1 − arccos(similarity)/π. The bucketed index's expected recall.
   */
  public recallAt(similarity: number): number {
    const p = 1 - Math.acos(Math.max(-1, Math.min(1, similarity))) / Math.PI;
    return 1 - (1 - p ** this.bits) ** this.tables;
  }
}
