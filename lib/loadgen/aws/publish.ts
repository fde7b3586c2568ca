import { CloudWatchClient, MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { SLO_DIMENSIONS, SLO_METRICS, SLO_NAMESPACE } from '../../catalog/slo-check';
import { workloadSpec } from '../../catalog/workloads';
import { decode, recordedValues } from '../histogram';
import { CapacityResult } from '../capacity';
import { LoadTestResult, sloVerdict } from '../run';

/**
 * PutMetricData limits (CloudWatch API reference): 150 values per datum, 1,000 datums and 1 MB per request. The
 * 150-value limit is also worded "per metric per request", so a request carries at most one Values datum of a metric
 * (docs/aws-facts.md, "Deploy-time limits and traps").
 */
export const PUT_LIMITS = { valuesPerDatum: 150, datumsPerRequest: 1000, bytesPerRequest: 1_000_000 } as const;

/**
 * The data points of one result: latency as Values/Counts taken from the histogram (every distinct value with its count,
 * split into datums of at most 150 values), then error rate, achieved rate, each figure the profile declares (in percent) and SLO met 0/1.
 */
export function metricData(result: LoadTestResult, cacheName: string, timestamp: Date): MetricDatum[] {
  const Dimensions = [{ Name: SLO_DIMENSIONS.cache, Value: cacheName }, { Name: SLO_DIMENSIONS.profile, Value: result.profile }];
  const datum = (metric: { name: string; unit: string }, value: number): MetricDatum => ({
    MetricName: metric.name, Dimensions, Timestamp: timestamp, Unit: metric.unit as StandardUnit, Value: value,
  });
  const data: MetricDatum[] = [];
  const values = recordedValues(decode(result.histogram));
  for (let i = 0; i < values.length; i += PUT_LIMITS.valuesPerDatum) {
    const chunk = values.slice(i, i + PUT_LIMITS.valuesPerDatum);
    data.push({
      MetricName: SLO_METRICS.latency.name, Dimensions, Timestamp: timestamp, Unit: SLO_METRICS.latency.unit,
      Values: chunk.map((v) => v.valueUs / 1000), Counts: chunk.map((v) => v.count),
    });
  }
  data.push(datum(SLO_METRICS.errorRate, result.error_rate * 100));
  data.push(datum(SLO_METRICS.achievedRate, result.achieved_rate));
  for (const figure of workloadSpec(result.profile).figures) {
    const value = result[figure.name as `${string}_ratio`];
    if (value !== undefined) data.push(datum({ name: figure.metricName, unit: 'Percent' }, value * 100));
  }
  // An untrustworthy run (breached by a generator that could not keep up) is no verdict: without its SloMet point, a
  // check that keeps failing this way fires slo-check-failing (the check is broken), not slo-breach.
  const verdict = sloVerdict(result);
  if (verdict === 'met' || verdict === 'breached') data.push(datum(SLO_METRICS.sloMet, verdict === 'met' ? 1 : 0));
  return data;
}

/**
 * Splits data points into PutMetricData requests that respect the datum-count and size limits and carry at most one
 * datum with Values (at most 150 of them) per metric.
 */
export function batches(data: MetricDatum[]): MetricDatum[][] {
  const out: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let withValues = new Set<string>();
  let bytes = 0;
  // The JSON size of a datum bounds its size on the wire; half the limit leaves room for the protocol's framing.
  const budget = PUT_LIMITS.bytesPerRequest / 2;
  for (const d of data) {
    const size = JSON.stringify(d).length;
    const key = d.Values ? JSON.stringify([d.MetricName, d.Dimensions]) : undefined;
    const full = current.length >= PUT_LIMITS.datumsPerRequest || bytes + size > budget || (key !== undefined && withValues.has(key));
    if (current.length > 0 && full) {
      out.push(current);
      current = [];
      withValues = new Set();
      bytes = 0;
    }
    current.push(d);
    if (key !== undefined) withValues.add(key);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Publishes a result to CloudWatch (namespace ElastiCacheToolkit/SLO); returns the number of PutMetricData calls. */
export async function publishResult(client: CloudWatchClient, result: LoadTestResult, cacheName: string, timestamp = new Date()): Promise<number> {
  const requests = batches(metricData(result, cacheName, timestamp));
  for (const MetricData of requests) await client.send(new PutMetricDataCommand({ Namespace: SLO_NAMESPACE, MetricData }));
  return requests.length;
}

/**
 * Publishes a capacity search's answer as `MaxRateMeetingSlo` (0 when no rate met the SLO), with the check's
 * dimensions. Only an answer that says something about the cache is published: a search ended by the SLO or by its
 * cap. One the generator limited, that ran out of steps or was stopped publishes nothing and returns false.
 */
export async function publishCapacity(client: CloudWatchClient, result: CapacityResult, cacheName: string, profile: string, timestamp = new Date()): Promise<boolean> {
  if (result.stopped_by !== 'slo' && result.stopped_by !== 'max-rate') return false;
  await client.send(new PutMetricDataCommand({
    Namespace: SLO_NAMESPACE,
    MetricData: [{
      MetricName: SLO_METRICS.maxRate.name, Unit: SLO_METRICS.maxRate.unit, Timestamp: timestamp, Value: result.max_rate ?? 0,
      Dimensions: [{ Name: SLO_DIMENSIONS.cache, Value: cacheName }, { Name: SLO_DIMENSIONS.profile, Value: profile }],
    }],
  }));
  return true;
}
