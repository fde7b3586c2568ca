/**
 * The health of a cache's vector indexes, alarmed on. ElastiCache publishes the search memory and document counts per
 * node (`SearchUsedMemoryBytes`, `SearchTotalIndexedDocuments`; docs/aws-facts.md, "CloudWatch metrics"); what it does
 * not publish (backfill state, out-of-memory pauses, indexing failures) is read from FT.INFO on every primary by the
 * function that manages the indexes (every 5 minutes) and published under SEARCH_NAMESPACE. The alarms on them are in
 * the alarm catalog (lib/catalog/alarms.ts).
 */
import { VECTOR_MEMORY_BUDGET } from './vector-index';

/** Namespace of the search health metrics; dimension `Cache`. */
export const SEARCH_NAMESPACE = 'ElastiCacheToolkit/Search';
export const SEARCH_DIMENSION = 'Cache';
/** How often the indexes are inspected. */
export const SEARCH_HEALTH_INTERVAL_MINUTES = 5;

/** What the function publishes: only what ElastiCache does not. */
export const SEARCH_METRICS = {
  /** 1 while any index on any primary is backfilling (queries fail or are partial until it ends). */
  backfilling: { name: 'SearchBackfillInProgress', unit: 'Count' },
  /** 1 while any index's backfill is paused because the node is out of memory (FT.INFO state backfill_paused_by_oom). */
  pausedByOom: { name: 'SearchBackfillPausedByOom', unit: 'Count' },
  /** Lowest backfill progress over the indexes and primaries, 0-100. */
  backfillComplete: { name: 'SearchBackfillCompletePercent', unit: 'Percent' },
  /** Keys the indexes could not ingest (FT.INFO hash_indexing_failures, summed). */
  indexingFailures: { name: 'SearchIndexingFailures', unit: 'Count' },
} as const;

/**
 * The index memory a cache was sized for, as a percentage of maxmemory: vector data may fill VECTOR_MEMORY_BUDGET of
 * the data memory (maxmemory less the reserve), and the index's copy is about half of it (the other half is the keys).
 */
export function searchMemoryThresholdPercent(reservedMemoryPercent: number): number {
  return Math.round(100 * VECTOR_MEMORY_BUDGET * (1 - reservedMemoryPercent / 100) / 2);
}
