import type { Cluster, Redis } from 'ioredis';
import { primaries } from '../target';

/** How long to wait for a cluster's other primaries to see an index created or dropped (the coordinator spreads it). */
const PROPAGATION_TIMEOUT_MS = 5000;

/**
 * Waits, bounded, until FT._LIST on every primary agrees that the index exists, or that it does not. valkey-search's
 * coordinator applies FT.CREATE and FT.DROPINDEX to the other primaries after it answers: a query or a new FT.CREATE of
 * the same name sent at once can meet a primary that does not know yet ("not found", "already exists").
 */
export async function indexPropagated(client: Redis | Cluster, indexName: string, exists: boolean): Promise<void> {
  const nodes = primaries(client);
  if (nodes.length < 2) return;
  const until = Date.now() + PROPAGATION_TIMEOUT_MS;
  for (;;) {
    const lists = await Promise.all(nodes.map((n) => n.call('FT._LIST') as Promise<unknown[]>));
    const pending = nodes.filter((_, i) => lists[i].map(String).includes(indexName) !== exists);
    if (pending.length === 0) return;
    if (Date.now() > until) {
      throw new Error(`FT index ${indexName}: ${exists ? 'created' : 'dropped'}, but after ${PROPAGATION_TIMEOUT_MS} ms ` +
        `${pending.map((n) => `${n.options.host}:${n.options.port}`).join(', ')} still ${exists ? 'lacks' : 'has'} it`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
