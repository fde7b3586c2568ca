/**
 * One CloudWatch embedded-metric-format record: a JSON log line from which CloudWatch Logs extracts metrics, so a
 * Lambda function publishes them without an API call. Root members `_aws` (Timestamp, CloudWatchMetrics with the
 * namespace, dimension sets and metric names/units) and one member per dimension and metric; a metric's value may be
 * an array of up to 100 values. Source: Amazon CloudWatch, "Specification: Embedded metric format".
 * (The aws-embedded-metrics library does this and more: environment detection and an agent sink, which a client
 * that only writes to stdout does not need; one record is these few lines.)
 */
export type EmfUnit = 'Count' | 'Percent' | 'Milliseconds';

export interface EmfMetric {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly value: number | readonly number[];
}

/** The most values one metric may carry in a record. */
export const EMF_MAX_VALUES = 100;

export function emfRecord(namespace: string, dimensions: Readonly<Record<string, string>>, metrics: readonly EmfMetric[], timestamp = Date.now()): string {
  const values: Record<string, number | readonly number[]> = {};
  for (const m of metrics) {
    if (Array.isArray(m.value) && m.value.length > EMF_MAX_VALUES) throw new RangeError(`${m.name}: ${m.value.length} values; a record holds at most ${EMF_MAX_VALUES}`);
    values[m.name] = m.value;
  }
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })) }],
    },
    ...dimensions,
    ...values,
  });
}
