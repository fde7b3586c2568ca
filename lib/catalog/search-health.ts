/**
 * The health of a cache's vector indexes: read from `INFO search` and FT.INFO on every primary by the function that
 * manages the indexes (every 5 minutes), published to CloudWatch, and alarmed on. ElastiCache publishes no search
 * metrics of its own (docs/aws-facts.md, "Vector search"). `id` is also the runbook: runbooks/<id>.md.
 */
import { AlarmDefinition } from './alarms';
import { VECTOR_MEMORY_BUDGET } from './vector-index';

/** Namespace of the search health metrics; dimension `Cache`. */
export const SEARCH_NAMESPACE = 'ElastiCacheToolkit/Search';
export const SEARCH_DIMENSION = 'Cache';
/** How often the indexes are inspected. */
export const SEARCH_HEALTH_INTERVAL_MINUTES = 5;

export const SEARCH_METRICS = {
  /** The search module's memory (INFO search used_memory_bytes) over the node's maxmemory, worst primary. */
  indexMemory: { name: 'SearchIndexMemoryPercent', unit: 'Percent' },
  /** 1 while any index on any primary is backfilling (queries fail or are partial until it ends). */
  backfilling: { name: 'SearchBackfillInProgress', unit: 'Count' },
  /** 1 while any index's backfill is paused because the node is out of memory (FT.INFO state backfill_paused_by_oom). */
  pausedByOom: { name: 'SearchBackfillPausedByOom', unit: 'Count' },
  /** Lowest backfill progress over the indexes and primaries, 0-100. */
  backfillComplete: { name: 'SearchBackfillCompletePercent', unit: 'Percent' },
  /** Keys the indexes could not ingest (FT.INFO hash_indexing_failures, summed). */
  indexingFailures: { name: 'SearchIndexingFailures', unit: 'Count' },
  /** Documents in the indexes, summed over the primaries. */
  documents: { name: 'SearchDocuments', unit: 'Count' },
} as const;

export interface SearchAlarmDefinition extends Pick<AlarmDefinition,
  'id' | 'comparison' | 'datapointsToAlarm' | 'evaluationPeriods' | 'treatMissingData' | 'severity' | 'runbook' | 'summary' | 'source' | 'periodSeconds'> {
  readonly metric: string;
  readonly statistic: 'Maximum' | 'SampleCount';
  /** A fixed threshold, or `planned`: derived from the cache's reserve (`searchMemoryThresholdPercent`). */
  readonly threshold: number | 'planned';
}

export const SEARCH_ALARMS: readonly SearchAlarmDefinition[] = [
  {
    id: 'vector-index-out-of-memory', metric: SEARCH_METRICS.pausedByOom.name, statistic: 'Maximum', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 1, evaluationPeriods: 1, treatMissingData: 'notBreaching',
    severity: 'critical', runbook: 'vector-index-out-of-memory',
    summary: 'A vector index stopped ingesting: its backfill is paused because the node is out of memory, so new and changed keys are missing from searches.',
    source: 'valkey-search FT.INFO: state backfill_paused_by_oom "backfill is paused because the Valkey instance is out of memory"',
  },
  {
    id: 'vector-index-backfill-stalled', metric: SEARCH_METRICS.backfilling.name, statistic: 'Maximum', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 6, evaluationPeriods: 6, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-backfill-stalled',
    summary: 'A vector index has been backfilling for 30 minutes: until it ends, searches on it miss keys (after FT.CREATE, a failover, a restore or scaling).',
    source: 'ElastiCache guide, vector-search-features-limits: indexes are rebuilt by a backfill after a node starts; toolkit choice of 30 minutes',
  },
  {
    id: 'vector-index-memory-high', metric: SEARCH_METRICS.indexMemory.name, statistic: 'Maximum', periodSeconds: 300,
    threshold: 'planned', comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-memory-high',
    summary: 'The vector indexes use more memory than the cache was sized for: the index copy of the vectors outgrew its share of maxmemory.',
    source: 'ElastiCache guide, choosing-configuration: each index holds an additional copy of the vector; the toolkit sizes vector data at 80 % of data memory',
  },
  {
    id: 'vector-index-health-missing', metric: SEARCH_METRICS.indexMemory.name, statistic: 'SampleCount', periodSeconds: 300,
    threshold: 1, comparison: 'LessThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'breaching',
    severity: 'warning', runbook: 'vector-index-health-missing',
    summary: 'No vector index health for 15 minutes: the function that reads it cannot reach or read the cache, so the other vector-index alarms are blind.',
    source: 'toolkit: the health is written every 5 minutes; three missing points mean its function fails',
  },
];

/**
 * The index memory a cache was sized for, as a percentage of maxmemory: vector data may fill VECTOR_MEMORY_BUDGET of
 * the data memory (maxmemory less the reserve), and the index's copy is about half of it (the other half is the keys).
 */
export function searchMemoryThresholdPercent(reservedMemoryPercent: number): number {
  return Math.round(100 * VECTOR_MEMORY_BUDGET * (1 - reservedMemoryPercent / 100) / 2);
}
