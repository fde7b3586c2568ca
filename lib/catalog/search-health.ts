/**
 * The health of a cache's vector indexes, alarmed on. ElastiCache publishes the search memory and document counts per
 * node (`SearchUsedMemoryBytes`, `SearchTotalIndexedDocuments`; docs/aws-facts.md, "CloudWatch metrics"); what it does
 * not publish (backfill state, out-of-memory pauses, indexing failures) is read from FT.INFO on every primary by the
 * function that manages the indexes (every 5 minutes) and published under SEARCH_NAMESPACE. `id` is also the runbook:
 * runbooks/<id>.md.
 */
import { AlarmDefinition } from './alarms';
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

export interface SearchAlarmDefinition extends Pick<AlarmDefinition,
  'id' | 'comparison' | 'datapointsToAlarm' | 'evaluationPeriods' | 'treatMissingData' | 'severity' | 'runbook' | 'summary' | 'periodSeconds'> {
  /** Where the threshold comes from. */
  readonly reason: string;
  readonly metric: string;
  /**
   * Where the metric comes from: `function`, the index function's SEARCH_NAMESPACE (dimension `Cache`); `elasticache`,
   * AWS/ElastiCache per node, the worst node's value as a percentage of the node type's maxmemory.
   */
  readonly source: 'function' | 'elasticache';
  readonly statistic: 'Maximum' | 'SampleCount';
  /** A fixed threshold, or `planned`: derived from the cache's reserve (`searchMemoryThresholdPercent`). */
  readonly threshold: number | 'planned';
}

export const SEARCH_ALARMS: readonly SearchAlarmDefinition[] = [
  {
    id: 'vector-index-out-of-memory', metric: SEARCH_METRICS.pausedByOom.name, source: 'function', statistic: 'Maximum', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 1, evaluationPeriods: 1, treatMissingData: 'notBreaching',
    severity: 'critical', runbook: 'vector-index-out-of-memory',
    summary: 'A vector index stopped ingesting: its backfill is paused because the node is out of memory, so new and changed keys are missing from searches.',
    reason: 'valkey-search FT.INFO: state backfill_paused_by_oom "backfill is paused because the Valkey instance is out of memory"',
  },
  {
    id: 'vector-index-backfill-stalled', metric: SEARCH_METRICS.backfilling.name, source: 'function', statistic: 'Maximum', periodSeconds: 300,
    threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', datapointsToAlarm: 6, evaluationPeriods: 6, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-backfill-stalled',
    summary: 'A vector index has been backfilling for 30 minutes: until it ends, searches on it miss keys (after FT.CREATE, a failover, a restore or scaling).',
    reason: 'ElastiCache guide, vector-search-features-limits: indexes are rebuilt by a backfill after a node starts; toolkit choice of 30 minutes',
  },
  {
    id: 'vector-index-memory-high', metric: 'SearchUsedMemoryBytes', source: 'elasticache', statistic: 'Maximum', periodSeconds: 300,
    threshold: 'planned', comparison: 'GreaterThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'vector-index-memory-high',
    summary: 'The vector indexes use more memory than the cache was sized for: the index copy of the vectors outgrew its share of maxmemory.',
    reason: 'ElastiCache guide, choosing-configuration: each index holds an additional copy of the vector; the toolkit sizes vector data at 80 % of data memory. ' +
      'Read from SearchUsedMemoryBytes (ElastiCache guide, CacheMetrics.Redis)',
  },
  {
    id: 'vector-index-health-missing', metric: SEARCH_METRICS.backfilling.name, source: 'function', statistic: 'SampleCount', periodSeconds: 300,
    threshold: 1, comparison: 'LessThanThreshold', datapointsToAlarm: 3, evaluationPeriods: 3, treatMissingData: 'breaching',
    severity: 'warning', runbook: 'vector-index-health-missing',
    summary: 'No vector index health for 15 minutes: the function that reads it cannot reach or read the cache, so the other vector-index alarms are blind.',
    reason: 'toolkit: the health is written every 5 minutes; three missing points mean its function fails',
  },
];

/**
 * The index memory a cache was sized for, as a percentage of maxmemory: vector data may fill VECTOR_MEMORY_BUDGET of
 * the data memory (maxmemory less the reserve), and the index's copy is about half of it (the other half is the keys).
 */
export function searchMemoryThresholdPercent(reservedMemoryPercent: number): number {
  return Math.round(100 * VECTOR_MEMORY_BUDGET * (1 - reservedMemoryPercent / 100) / 2);
}
