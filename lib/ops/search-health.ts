/**
 * Reads the health of a cache's vector indexes from every primary: the search module's memory from `INFO search`
 * (valkey-search's field `used_memory_bytes`; a module's INFO fields may carry its name as a prefix, `search_`), the
 * node's `maxmemory` from `INFO memory`, and each index's state from FT.INFO on that node. The result is what the
 * function publishes to CloudWatch (catalog/search-health.ts).
 *
 * Tested on valkey-search 1.0.3: the figures equal what INFO search and FT.INFO say on the same server.
 */
import type { Redis } from 'ioredis';
import { SEARCH_METRICS } from '../catalog/search-health';
import { Client, primaries } from '../client/target';
import { parseFtInfo } from './vector-index-info';
import { listIndexes } from './vector-indexes';

/** One primary's view. */
export interface NodeSearchHealth {
  readonly node: string;
  readonly maxmemoryBytes: number;
  readonly searchMemoryBytes: number;
  readonly indexes: Array<{ name: string; state: string; backfillInProgress: boolean; backfillCompleteFraction: number; numDocs: number; indexingFailures: number }>;
}

/** Fields of an INFO section (`name:value` lines), with a module prefix `search_` taken off. */
export function parseInfoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || !line.includes(':')) continue;
    const at = line.indexOf(':');
    fields.set(line.slice(0, at).replace(/^search_/, ''), line.slice(at + 1).trim());
  }
  return fields;
}

/** Reads one node. */
export async function nodeSearchHealth(node: Redis, label: string): Promise<NodeSearchHealth> {
  const memory = parseInfoFields(String(await node.info('memory')));
  const search = parseInfoFields(String(await node.info('search')));
  const indexes = [];
  for (const name of await listIndexes(node)) {
    const info = parseFtInfo(await node.call('FT.INFO', name));
    indexes.push({ name, state: info.state, backfillInProgress: info.backfillInProgress, backfillCompleteFraction: info.backfillCompleteFraction, numDocs: info.numDocs, indexingFailures: info.indexingFailures });
  }
  return {
    node: label,
    maxmemoryBytes: Number(memory.get('maxmemory') ?? 0),
    searchMemoryBytes: Number(search.get('used_memory_bytes') ?? 0),
    indexes,
  };
}

/** Reads every primary of a cluster (or the one node of a standalone server). */
export async function searchHealth(client: Client): Promise<NodeSearchHealth[]> {
  return Promise.all(primaries(client).map((n) => nodeSearchHealth(n, `${n.options.host}:${n.options.port}`)));
}

export interface SearchHealthMetric {
  readonly name: string;
  readonly unit: 'Percent' | 'Count';
  readonly value: number;
}

/**
 * The metrics of the cache from its primaries' views (catalog SEARCH_METRICS): worst node, or summed where noted. The
 * search memory and document counts are not among them: ElastiCache publishes those per node.
 */
export function searchHealthMetrics(nodes: readonly NodeSearchHealth[]): SearchHealthMetric[] {
  const all = nodes.flatMap((n) => n.indexes);
  const m = SEARCH_METRICS;
  return [
    { ...m.backfilling, value: all.some((i) => i.backfillInProgress) ? 1 : 0 },
    { ...m.pausedByOom, value: all.some((i) => i.state === 'backfill_paused_by_oom') ? 1 : 0 },
    { ...m.backfillComplete, value: all.length === 0 ? 100 : Math.round(100 * Math.min(...all.map((i) => i.backfillCompleteFraction)) * 100) / 100 },
    { ...m.indexingFailures, value: all.reduce((s, i) => s + i.indexingFailures, 0) },
  ];
}
