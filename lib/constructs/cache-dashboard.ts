import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ALARMS } from '../catalog/alarms';
import { CacheFlavour, ELASTICACHE_NAMESPACE, METRIC_DIMENSION } from '../catalog/metrics';
import { CacheAlarms, DEFAULT_RUNBOOK_BASE_URL } from './cache-alarms';
import { ICache } from './cache-base';

/** Options for a cache's dashboard. */
export interface CacheDashboardOptions {
  /**
   * Dashboard name.
   * @default - `ElastiCache-<cache name>`
   */
  readonly dashboardName?: string;
  /**
   * Add a text widget listing the cache's alarms and their runbooks.
   * @default true
   */
  readonly runbookIndex?: boolean;
}

/** Properties of `CacheDashboard`. */
export interface CacheDashboardProps extends CacheDashboardOptions {
  /** The cache to draw. */
  readonly cache: ICache;
  /**
   * The cache's alarms: their thresholds are drawn as annotations and they are listed in the runbook index.
   * @default - no thresholds drawn
   */
  readonly alarms?: CacheAlarms;
  /**
   * Base URL of the runbooks for the index.
   * @default 'runbooks/'
   */
  readonly runbookBaseUrl?: string;
}

/**
 * A CloudWatch dashboard per cache: hit ratio, memory, evictions, CPU, connections and latency, with the alarm
 * thresholds drawn on the graphs; clusters get one line per shard (memory) or per node (CPU).
 */
export class CacheDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CacheDashboardProps) {
    super(scope, id);
    const { cache, alarms } = props;
    const period = Duration.minutes(1);
    const threshold = (alarmId: string, label: string): cloudwatch.HorizontalAnnotation[] => {
      const found = alarms?.alarms.find((a) => a.id === alarmId);
      return found ? [{ value: found.threshold, label: `${label} alarm`, color: cloudwatch.Color.RED }] : [];
    };
    const graph = (title: string, left: cloudwatch.IMetric[], leftAnnotations: cloudwatch.HorizontalAnnotation[] = []) =>
      new cloudwatch.GraphWidget({ title, left, leftAnnotations, width: 8, height: 6, period });

    const hitRatio = new cloudwatch.MathExpression({
      expression: 'IF(hits + misses > 0, 100 * hits / (hits + misses), 100)',
      usingMetrics: { hits: cache.metricCacheHits({ period }), misses: cache.metricCacheMisses({ period }) },
      label: 'Hit ratio (%)',
      period,
    });
    const widgets: cloudwatch.IWidget[] = [
      graph('Hit ratio (%)', [hitRatio], threshold('hit-ratio-low', 'hit-ratio-low')),
      graph('Evictions', [cache.metricEvictions({ period })], threshold('evictions', 'evictions')),
    ];

    if (cache.flavour === CacheFlavour.CLUSTER) {
      const facts = cache.monitoringFacts;
      const nodeMetric = (name: string, node: string, statistic: string) => new cloudwatch.Metric({
        namespace: ELASTICACHE_NAMESPACE, metricName: name, dimensionsMap: { [METRIC_DIMENSION[CacheFlavour.CLUSTER]]: node }, statistic, period, label: node,
      });
      // Ids must be unique across all expressions of one graph: s<shard>n<node>.
      const perShard = (name: string, statistic: string) => facts.shards.map((shard, s) => new cloudwatch.MathExpression({
        expression: `MAX([${shard.memberClusterIds.map((_, i) => `s${s}n${i}`).join(',')}])`,
        usingMetrics: Object.fromEntries(shard.memberClusterIds.map((node, i) => [`s${s}n${i}`, nodeMetric(name, node, statistic)])),
        label: `shard ${shard.shardId}`,
        period,
      }));
      const nodes = facts.shards.flatMap((s) => s.memberClusterIds);
      const cpuAlarm = alarms?.alarms.find((a) => a.id === 'cpu-high') ? 'cpu-high' : 'engine-cpu-high';
      const cpuMetric = cpuAlarm === 'cpu-high' ? 'CPUUtilization' : 'EngineCPUUtilization';
      widgets.push(
        graph('Memory used of maxmemory (%), worst node per shard', perShard('DatabaseMemoryUsagePercentage', 'Maximum'), threshold('memory-high', 'memory-high')),
        graph(`${cpuMetric} (%) per node`, nodes.map((n) => nodeMetric(cpuMetric, n, 'Average')), threshold(cpuAlarm, cpuAlarm)),
        graph('Connections per node', nodes.map((n) => nodeMetric('CurrConnections', n, 'Maximum')), threshold('connections-high', 'connections-high')),
        graph('Replication lag (s), worst node per shard', perShard('ReplicationLag', 'Maximum'), threshold('replication-lag', 'replication-lag')),
      );
    } else {
      widgets.push(
        graph('Data stored (bytes)', [cache.metricBytesUsedForCache({ period })]),
        graph('ECPU per minute', [cache.metric('ElastiCacheProcessingUnits', { period })]),
        graph('Throttled commands', [cache.metric('ThrottledCmds', { period })], threshold('throttling', 'throttling')),
        graph('Connections', [cache.metricCurrConnections({ period })]),
      );
    }
    widgets.push(
      graph('New connections per minute', [cache.metricNewConnections({ period })], threshold('connection-storm', 'connection-storm')),
      graph('Server-side latency (µs)', [
        cache.metricSuccessfulReadRequestLatency({ period, label: 'read' }),
        cache.metricSuccessfulWriteRequestLatency({ period, label: 'write' }),
      ], threshold('latency-high', 'latency-high')),
    );

    if (props.runbookIndex ?? true) {
      const base = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
      const ids = alarms ? [...new Set(alarms.alarms.map((a) => a.id)), ...(alarms.unhealthy ? ['cache-unhealthy'] : [])]
        : ALARMS.filter((a) => a.flavours.includes(cache.flavour)).map((a) => a.id);
      const lines = ids.map((alarmId) => {
        const def = ALARMS.find((d) => d.id === alarmId)!;
        return `| ${alarmId} | ${def.severity} | [${def.runbook}.md](${base}${def.runbook}.md) |`;
      });
      widgets.push(new cloudwatch.TextWidget({
        markdown: [`## Runbooks for ${cache.cacheName}`, '', '| alarm | severity | runbook |', '|---|---|---|', ...lines].join('\n'),
        width: 24,
        height: Math.min(2 + lines.length, 20),
      }));
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName ?? `ElastiCache-${cache.cacheName}`,
      widgets: chunkRows(widgets),
    });
  }
}

/** Rows of three 8-wide graphs; full-width widgets on a row of their own. */
function chunkRows(widgets: cloudwatch.IWidget[]): cloudwatch.IWidget[][] {
  const rows: cloudwatch.IWidget[][] = [];
  for (const w of widgets) {
    const last = rows[rows.length - 1];
    if (last && last.length < 3 && w.width === 8 && last[0].width === 8) last.push(w);
    else rows.push([w]);
  }
  return rows;
}
