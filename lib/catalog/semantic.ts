/**
 * The semantic cache's metrics (published by the client as embedded-metric-format log lines) and the alarm on them,
 * shared by the run-time client and the SemanticCacheAlarms construct. `id` is also the runbook: runbooks/<id>.md.
 */
import { AlarmDefinition } from './alarms';

/** Namespace of the semantic cache's metrics; dimension `Cache`. */
export const SEMANTIC_NAMESPACE = 'ElastiCacheToolkit/SemanticCache';
export const SEMANTIC_DIMENSION = 'Cache';

export const SEMANTIC_METRICS = {
  lookups: { name: 'SemanticLookups', unit: 'Count' },
  hits: { name: 'SemanticHits', unit: 'Count' },
  hitRatio: { name: 'SemanticHitRatio', unit: 'Percent' },
  lookupLatency: { name: 'SemanticLookupLatency', unit: 'Milliseconds' },
} as const;

export interface SemanticAlarmDefinition extends Pick<AlarmDefinition,
  'id' | 'threshold' | 'comparison' | 'datapointsToAlarm' | 'evaluationPeriods' | 'treatMissingData' | 'severity' | 'runbook' | 'summary' | 'source' | 'periodSeconds'> {
  /**
   * A percentage from two counts, each summed over the period across every record: 100 × SUM(numerator) /
   * SUM(denominator). Averaging the records' own ratios would weigh a record of one lookup like one of a hundred.
   */
  readonly ratio: { readonly numerator: string; readonly denominator: string };
}

export const SEMANTIC_ALARMS: readonly SemanticAlarmDefinition[] = [
  {
    id: 'semantic-hit-ratio-low', ratio: { numerator: SEMANTIC_METRICS.hits.name, denominator: SEMANTIC_METRICS.lookups.name }, periodSeconds: 300,
    threshold: 25, comparison: 'LessThanThreshold', datapointsToAlarm: 4, evaluationPeriods: 6, treatMissingData: 'notBreaching',
    severity: 'warning', runbook: 'semantic-hit-ratio-low',
    summary: 'The semantic cache answers fewer prompts than expected: its hit ratio stayed below the threshold for 20 of the last 30 minutes.',
    source: 'AWS semantic-caching guidance: about 25 % of prompts hit at similarity threshold 0.95, 55 % at 0.90; set the expectation of your threshold',
  },
];
