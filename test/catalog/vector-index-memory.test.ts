/**
 * The key side of the vector sizing (catalog/vector-index.ts: 1.25 × payload + 400 bytes per key) against what a real
 * valkey-server uses: HASH keys of a vector, an answer and two tags, with a TTL, written to a fresh server, measured
 * as the growth of INFO used_memory. The estimate must never be below the measurement (a cluster sized by it would
 * run out of memory) and not far above it (it would buy shards for nothing). The index side needs the search module,
 * which cannot be installed here; its formula is documented with its source instead.
 */
import { randomBytes, randomUUID } from 'crypto';
import { estimateVectorMemory, VectorIndexSpec } from '../../lib/catalog/vector-index';
import { connect as admin, startRedis } from '../support/redis';

async function measuredBytesPerKey(dimensions: number, otherFieldBytes: number, keys: number): Promise<number> {
  const server = await startRedis({ engine: 'valkey' });
  const client = admin(server.port);
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const before = await used();
    for (let i = 0; i < keys; i += 500) {
      const batch = client.pipeline();
      for (let j = i; j < Math.min(keys, i + 500); j++) {
        const key = `sem:h:${randomUUID()}`;
        // The other fields add up to otherFieldBytes: the answer and the two tag values (8 bytes).
        batch.hset(key, { vec: randomBytes(4 * dimensions), answer: 'a'.repeat(otherFieldBytes - 8), tenant: 'acme', model: 'm1-v' });
        batch.pexpire(key, 3_600_000);
      }
      await batch.exec();
    }
    return ((await used()) - before) / keys;
  } finally {
    client.disconnect();
    await server.stop();
  }
}

describe('vector sizing: the keys', () => {
  test.each([[256, 256], [768, 4096], [1536, 1024], [32, 64]])('%i dimensions, %i bytes of other fields: estimate ≥ measured and at most 25 % above (the size-class gap the model rounds every payload up by)', async (dimensions, otherFieldBytes) => {
    const spec: VectorIndexSpec = {
      name: 'i', keyPrefixes: ['sem:h:'], vectorField: 'vec', dimensions, algorithm: 'FLAT', distanceMetric: 'COSINE',
      tagFields: ['tenant', 'model'], expectedVectors: 1, otherFieldBytes,
    };
    const estimated = estimateVectorMemory(spec).keyBytes;
    const measured = await measuredBytesPerKey(dimensions, otherFieldBytes, 3000);
    expect(estimated).toBeGreaterThanOrEqual(measured);
    expect(estimated).toBeLessThanOrEqual(measured * 1.25);
  });
});
