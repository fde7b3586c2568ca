/**
 * The semantic cache's metrics (published by the client as embedded-metric-format log lines), shared by the run-time
 * client and the alarm catalog (lib/catalog/alarms.ts).
 */

/** Namespace of the semantic cache's metrics; dimension `Cache`. */
export const SEMANTIC_NAMESPACE = 'ElastiCacheToolkit/SemanticCache';
export const SEMANTIC_DIMENSION = 'Cache';

export const SEMANTIC_METRICS = {
  lookups: { name: 'SemanticLookups', unit: 'Count' },
  hits: { name: 'SemanticHits', unit: 'Count' },
  hitRatio: { name: 'SemanticHitRatio', unit: 'Percent' },
  lookupLatency: { name: 'SemanticLookupLatency', unit: 'Milliseconds' },
} as const;
