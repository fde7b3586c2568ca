import { Hyperplanes } from '../../lib/client/semantic/lsh';
import { Rng } from '../../lib/loadgen/random';

/**
 * Every client of a deployed semantic cache must draw the same hyperplanes from the cache's seed, for as long as the
 * cache lives: a vector's bucket may never change between releases. These signatures were computed by the release that
 * introduced the bucketed index; a change to the hyperplanes' random source fails here, not in production as a cache
 * whose every lookup misses.
 */
describe('semantic cache hyperplanes', () => {
  test('sign known vectors exactly as every release before did', () => {
    const small = new Float32Array([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]);
    expect(new Hyperplanes(8, 3, 12, 42).signatures(small)).toEqual(['6d6', '6eb', '960']);
    const embedding = new Float32Array(384).map((_, i) => Math.sin(i));
    expect(new Hyperplanes(384, 8, 16, 1).signatures(embedding)).toEqual(['2e5a', '0732', 'c3c3', '4922', '9b05', 'f1d0', 'c140', 'b17f']);
  });

  test('draw from a source of their own: the load generator\'s Rng can change without moving a bucket', () => {
    const planes = new Hyperplanes(8, 1, 4, 42);
    const before = planes.signatures(new Float32Array([1, 0, 0, 0, 0, 0, 0, 0]));
    const original = Rng.prototype.normal;
    Rng.prototype.normal = () => 0.5;
    try {
      expect(new Hyperplanes(8, 1, 4, 42).signatures(new Float32Array([1, 0, 0, 0, 0, 0, 0, 0]))).toEqual(before);
    } finally {
      Rng.prototype.normal = original;
    }
  });
});
