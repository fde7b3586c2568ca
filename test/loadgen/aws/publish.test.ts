import { parseSlo } from '../../../lib/catalog/slo';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, Metric } from '@aws-sdk/client-cloudwatch';
import { SLO_NAMESPACE } from '../../../lib/catalog/slo-check';
import { batches, metricData, PUT_LIMITS, publishResult } from '../../../lib/loadgen/aws/publish';
import { encode, newHistogram, recordedValues } from '../../../lib/loadgen/histogram';
import { LoadTestResult, mergeResults } from '../../../lib/loadgen/run';
import { Moto, startMoto } from '../../support/moto';

/** A result whose histogram holds exactly the given latencies (µs). */
function resultOf(latenciesUs: number[], extra: Partial<LoadTestResult> = {}): LoadTestResult {
  const h = newHistogram();
  for (const v of latenciesUs) h.recordValue(v);
  const errors = extra.errors ?? 0;
  return mergeResults([{
    profile: 'inference-cache', endpoint: 'rediss://x:6379', run_id: 'r1', mode: 'open-loop', threads: 1, connections: 4,
    target_rate: 1000, achieved_rate: latenciesUs.length, ops: latenciesUs.length, errors, error_rate: errors / latenciesUs.length,
    errors_by_kind: errors ? { timeout: errors } : {}, error_examples: errors ? { timeout: 'Command timed out' } : {}, duration_s: 1, latency_ms: { p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0, mean: 0 },
    service_time_ms: { p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0, mean: 0 }, cut_short: false, interrupted: false, keys_deleted: 5,
    counts: { hits: 80, misses: 20, allowed: 0, denied: 0, falseHits: 0 }, series: [], histogram: encode(h), service_histogram: encode(h),
    lag_histogram: encode(newHistogram()),
    generator: { scheduling_lag_ms: null, event_loop_delay_ms: { p50: 0, p99: 0, max: 0 }, limited: false, spoils_slo: false },
    ...extra,
  }], parseSlo('p99<5ms,hit_ratio>90%'));
}

describe('CloudWatch data points of a result', () => {
  test('latency goes out as Values/Counts of the histogram, split at 150 values per datum, counts summing to the ops', () => {
    // 400 distinct latencies from 100 µs to 40 ms, each a different number of times.
    const latencies: number[] = [];
    for (let i = 1; i <= 400; i++) for (let n = 0; n < (i % 3) + 1; n++) latencies.push(i * 100);
    const result = resultOf(latencies);
    const data = metricData(result, 'ectk-inference', new Date('2026-11-26T10:00:00Z'));
    const latency = data.filter((d) => d.MetricName === 'Latency');
    expect(latency.length).toBe(Math.ceil(recordedValues(newHistogramOf(latencies)).length / 150));
    for (const d of latency) {
      expect(d.Values!.length).toBeLessThanOrEqual(PUT_LIMITS.valuesPerDatum);
      expect(d.Values!.length).toBe(d.Counts!.length);
      expect(d.Unit).toBe('Milliseconds');
      expect(d.Dimensions).toEqual([{ Name: 'Cache', Value: 'ectk-inference' }, { Name: 'Profile', Value: 'inference-cache' }]);
    }
    expect(latency.flatMap((d) => d.Counts!).reduce((a, b) => a + b, 0)).toBe(latencies.length);
    expect(Math.max(...latency.flatMap((d) => d.Values!))).toBeCloseTo(40, 1);
    const byName = Object.fromEntries(data.filter((d) => d.MetricName !== 'Latency').map((d) => [d.MetricName, d]));
    expect(byName.HitRatio).toMatchObject({ Value: 80, Unit: 'Percent' });
    expect(byName.ErrorRate).toMatchObject({ Value: 0, Unit: 'Percent' });
    expect(byName.AchievedRate).toMatchObject({ Unit: 'Count/Second' });
    // hit_ratio>90% fails at 80 %: SLO met 0.
    expect(byName.SloMet).toMatchObject({ Value: 0, Unit: 'None' });
    expect(byName.AllowRatio).toBeUndefined();
  });

  test('batches respect 1,000 datums and the 1 MB size per request', () => {
    const small = Array.from({ length: 2500 }, (_, i) => ({ MetricName: 'M', Value: i }));
    expect(batches(small).map((b) => b.length)).toEqual([1000, 1000, 500]);
    const big = Array.from({ length: 400 }, (_, m) => ({ MetricName: `Latency${m}`, Values: Array.from({ length: 150 }, (_, i) => i + 0.123456789), Counts: Array.from({ length: 150 }, () => 123456) }));
    const requests = batches(big);
    expect(requests.flat().length).toBe(400);
    for (const r of requests) expect(JSON.stringify(r).length).toBeLessThan(PUT_LIMITS.bytesPerRequest / 2 + 10_000);
    expect(requests.length).toBeGreaterThan(1);
  });

  // docs/aws-facts.md, "Deploy-time limits and traps": the 150-value limit is also worded "per metric per request";
  // the safe reading is one Values datum of at most 150 values per metric and request.
  test('a request carries at most one Values datum per metric; single values of that metric may share it', () => {
    const latencies: number[] = [];
    for (let i = 1; i <= 400; i++) latencies.push(i * 100);
    const data = metricData(resultOf(latencies), 'ectk-inference', new Date('2026-11-26T10:00:00Z'));
    const requests = batches(data);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      const withValues = request.filter((d) => d.Values).map((d) => JSON.stringify([d.MetricName, d.Dimensions]));
      expect(new Set(withValues).size).toBe(withValues.length);
      for (const d of request) expect((d.Values ?? []).length).toBeLessThanOrEqual(150);
    }
    expect(requests.flat()).toHaveLength(data.length);
  });
});

function newHistogramOf(values: number[]) {
  const h = newHistogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe('publishing to the moto_server emulator over HTTP', () => {
  let moto: Moto;
  beforeAll(async () => { moto = await startMoto(); });
  afterAll(async () => { await moto.stop(); });

  test('the data points arrive with namespace, dimensions, units, values and counts', async () => {
    const cw = new CloudWatchClient(moto.clientConfig);
    const latencies = [...Array(300).fill(500), ...Array(150).fill(1500), ...Array(50).fill(12_000)];
    const result = resultOf(latencies, { errors: 5 });
    const timestamp = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    expect(await publishResult(cw, result, 'ectk-inference', timestamp)).toBe(1);

    const listed: Metric[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cw.send(new ListMetricsCommand({ Namespace: SLO_NAMESPACE, NextToken }));
      listed.push(...page.Metrics!);
      NextToken = page.NextToken;
    } while (NextToken);
    // moto lists a metric once per data point; CloudWatch once per metric: compare the distinct names.
    expect([...new Set(listed.map((m) => m.MetricName))].sort()).toEqual(['AchievedRate', 'ErrorRate', 'HitRatio', 'Latency', 'SloMet']);
    for (const m of listed) {
      expect(m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).sort()).toEqual(['Cache=ectk-inference', 'Profile=inference-cache']);
    }

    const dims = [{ Name: 'Cache', Value: 'ectk-inference' }, { Name: 'Profile', Value: 'inference-cache' }];
    const window = { StartTime: new Date(timestamp.getTime() - 60_000), EndTime: new Date(timestamp.getTime() + 120_000), Period: 300 };
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: SLO_NAMESPACE, MetricName: 'Latency', Dimensions: dims, ...window, Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum'],
    }));
    const point = stats.Datapoints![0];
    // Every request is one sample; values are the histogram's bucket tops in ms (3 significant digits).
    expect(point.SampleCount).toBe(500);
    expect(point.Minimum).toBeCloseTo(0.5, 2);
    expect(point.Maximum).toBeCloseTo(12, 1);
    const expectedSum = recordedValues(newHistogramOf(latencies)).reduce((s, v) => s + (v.valueUs / 1000) * v.count, 0);
    expect(point.Sum).toBeCloseTo(expectedSum, 3);
    expect(point.Unit).toBe('Milliseconds');

    const data = await cw.send(new GetMetricDataCommand({
      StartTime: window.StartTime, EndTime: window.EndTime,
      MetricDataQueries: [
        { Id: 'err', MetricStat: { Metric: { Namespace: SLO_NAMESPACE, MetricName: 'ErrorRate', Dimensions: dims }, Period: 60, Stat: 'Average' } },
        { Id: 'met', MetricStat: { Metric: { Namespace: SLO_NAMESPACE, MetricName: 'SloMet', Dimensions: dims }, Period: 60, Stat: 'Minimum' } },
        { Id: 'hit', MetricStat: { Metric: { Namespace: SLO_NAMESPACE, MetricName: 'HitRatio', Dimensions: dims }, Period: 60, Stat: 'Average' } },
      ],
    }));
    const value = (id: string) => data.MetricDataResults!.find((r) => r.Id === id)!.Values![0];
    expect(value('err')).toBeCloseTo(1, 6);
    expect(value('met')).toBe(0);
    expect(value('hit')).toBe(80);
  });
});
