import {
  AlarmHistoryItem, CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { CACHE_METRICS, CacheFlavour, ELASTICACHE_NAMESPACE, metricDimensions } from '../catalog/metrics';
import { call } from './aws';
import { CacheDescription, memberIds } from './describe';

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

export interface MetricFigure {
  readonly metric: string;
  readonly statistic: string;
  /** Serverless cache name or member cluster id. */
  readonly dimensionValue: string;
  /** Most recent value in the window, null without data. */
  readonly latest: number | null;
  /** Highest value in the window (lowest for Minimum statistics), null without data. */
  readonly worst: number | null;
  readonly datapoints: number;
}

/** One query per catalog metric the toolkit reads (and per member node for node-based caches), with the flavour's dimensions. */
export function metricQueries(cache: CacheDescription, periodSeconds: number): Array<MetricDataQuery & { meta: Omit<MetricFigure, 'latest' | 'worst' | 'datapoints'> }> {
  const values = cache.flavour === CacheFlavour.SERVERLESS ? [cache.name] : memberIds(cache);
  const queries: Array<MetricDataQuery & { meta: Omit<MetricFigure, 'latest' | 'worst' | 'datapoints'> }> = [];
  for (const m of CACHE_METRICS.filter((d) => d.flavours.includes(cache.flavour) && !d.reference)) {
    // A metric published per account and Region (no dimensions) is read once, not per node.
    for (const value of m.accountLevel ? ['(account)'] : values) {
      queries.push({
        Id: `m${queries.length}`,
        MetricStat: {
          Metric: {
            Namespace: ELASTICACHE_NAMESPACE,
            MetricName: m.name,
            Dimensions: m.accountLevel ? [] : Object.entries(metricDimensions(cache.flavour, value)).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: periodSeconds,
          Stat: m.statistic,
        },
        meta: { metric: m.name, statistic: m.statistic, dimensionValue: value },
      });
    }
  }
  return queries;
}

/** The catalog metrics of a cache over the last `sinceSeconds`, in as few GetMetricData calls as the 500-query limit allows. */
export async function cacheMetrics(cw: CloudWatchClient, cache: CacheDescription, sinceSeconds: number, now = new Date()): Promise<MetricFigure[]> {
  const period = Math.max(60, Math.ceil(sinceSeconds / 60 / 10) * 60);
  const queries = metricQueries(cache, period);
  const figures: MetricFigure[] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    const chunk = queries.slice(i, i + MAX_QUERIES);
    let NextToken: string | undefined;
    const byId = new Map<string, { values: number[]; timestamps: Date[] }>();
    do {
      const page = await call('cloudwatch:GetMetricData', () => cw.send(new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - sinceSeconds * 1000), EndTime: now, ScanBy: 'TimestampDescending', NextToken,
        MetricDataQueries: chunk.map(({ meta: _meta, ...q }) => q),
      })));
      for (const r of page.MetricDataResults ?? []) {
        const entry = byId.get(r.Id!) ?? { values: [], timestamps: [] };
        entry.values.push(...(r.Values ?? []));
        entry.timestamps.push(...(r.Timestamps ?? []));
        byId.set(r.Id!, entry);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    for (const q of chunk) {
      const r = byId.get(q.Id!) ?? { values: [], timestamps: [] };
      const newest = r.timestamps.length ? r.timestamps.reduce((best, t, idx) => (t > r.timestamps[best] ? idx : best), 0) : -1;
      const worst = r.values.length === 0 ? null : q.meta.statistic === 'Minimum' ? Math.min(...r.values) : Math.max(...r.values);
      figures.push({ ...q.meta, latest: newest >= 0 ? r.values[newest] : null, worst, datapoints: r.values.length });
    }
  }
  return figures;
}

export interface AlarmState {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
  readonly since: string | null;
  /** Runbook link from the alarm description (`Runbook: <url>`), or null. */
  readonly runbook: string | null;
}

/** Alarm ids the toolkit names `<cache>-<id>[...]`; runbook link parsed from the description it writes. */
export async function cacheAlarms(cw: CloudWatchClient, cacheName: string): Promise<AlarmState[]> {
  const alarms: AlarmState[] = [];
  let NextToken: string | undefined;
  do {
    const page = await call('cloudwatch:DescribeAlarms', () => cw.send(new DescribeAlarmsCommand({
      AlarmNamePrefix: `${cacheName}-`, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken,
    })));
    for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      alarms.push({
        name: a.AlarmName ?? '',
        state: a.StateValue ?? 'UNKNOWN',
        reason: a.StateReason ?? '',
        since: a.StateUpdatedTimestamp ? a.StateUpdatedTimestamp.toISOString() : null,
        runbook: /Runbook: (\S+)\s*$/.exec(a.AlarmDescription ?? '')?.[1] ?? null,
      });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}

export interface AlarmTransition {
  readonly alarm: string;
  readonly at: string;
  readonly summary: string;
}

/** State changes of the cache's alarms since `sinceSeconds` ago, newest first. */
export async function alarmHistory(cw: CloudWatchClient, alarmNames: string[], sinceSeconds: number, now = new Date()): Promise<AlarmTransition[]> {
  const items: AlarmHistoryItem[] = [];
  for (const AlarmName of alarmNames) {
    let NextToken: string | undefined;
    do {
      const page = await call('cloudwatch:DescribeAlarmHistory', () => cw.send(new DescribeAlarmHistoryCommand({
        AlarmName, HistoryItemType: 'StateUpdate', StartDate: new Date(now.getTime() - sinceSeconds * 1000), EndDate: now, NextToken,
      })));
      items.push(...(page.AlarmHistoryItems ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return items
    .map((i) => ({ alarm: i.AlarmName ?? '', at: i.Timestamp ? i.Timestamp.toISOString() : '', summary: i.HistorySummary ?? '' }))
    .sort((a, b) => b.at.localeCompare(a.at));
}
