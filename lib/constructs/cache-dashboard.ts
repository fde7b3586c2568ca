import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { alarmDefinition, ALARMS, cpuAlarmFor } from '../catalog/alarms';
import { WIDGET_MAX_METRICS } from '../catalog/limits';
import { CacheFlavour, NodeAggregation } from '../catalog/metrics';
import { nodeTypeFacts } from '../catalog/node-types';
import { CacheAlarms } from './cache-alarms';
import { runbookBase } from './catalog-alarm';
import { ICache } from './cache-base';
import { ElastiCacheMetrics } from './metric-factory';
import { invalid } from './validation';

/** Options for a cache's dashboard. */
export interface CacheDashboardOptions {
  /**
   * Dashboard name. Dashboards are global to an account: the name must differ from every dashboard in every region.
   * @default - `ElastiCache-<cache name>-<region>`
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
   */
  readonly dashboardName?: string;
  /**
   * Add a text widget listing the cache's alarms and their runbooks.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
   */
  readonly runbookIndex?: boolean;
}

/** Properties of `CacheDashboard`. */
export interface CacheDashboardProps extends CacheDashboardOptions {
  /**
   * The cache to draw.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
   */
  readonly cache: ICache;
  /**
   * The cache's alarms: their thresholds are drawn as annotations and they are listed in the runbook index.
   * @default - no thresholds drawn
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
   */
  readonly cacheAlarms?: CacheAlarms;
  /**
   * Base URL of the runbooks for the index.
   * @default 'runbooks/'
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
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
    const { cache, cacheAlarms: alarms } = props;
    const period = Duration.minutes(1);
    /** The thresholds of the alarms with these ids that exist: warnings in orange, critical tiers in red. */
    const threshold = (...alarmIds: string[]): cloudwatch.HorizontalAnnotation[] => alarmIds.flatMap((alarmId) => {
      const found = alarms?.alarms.find((a) => a.id === alarmId);
      if (!found) return [];
      const critical = alarmDefinition(alarmId).severity === 'critical';
      return [{ value: found.threshold, label: `${alarmId} alarm`, color: critical ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE }];
    });
    const graph = (title: string, left: cloudwatch.IMetric[], leftAnnotations: cloudwatch.HorizontalAnnotation[] = []) =>
      new cloudwatch.GraphWidget({ title, left, leftAnnotations, width: 8, height: 6, period });

    const widgets: cloudwatch.IWidget[] = [];

    if (cache.flavour === CacheFlavour.CLUSTER) {
      const facts = cache.monitoringFacts;
      const metrics = new ElastiCacheMetrics(CacheFlavour.CLUSTER);
      const nodeMetric = (name: string, node: string, statistic: string) => metrics.node(name, node, { statistic, period, label: node });
      // Math ids must be unique across all expressions of one graph: <prefix><shard>n<node>.
      const acrossNodes = (fn: NodeAggregation, name: string, statistic: string, nodes: string[], prefix: string, label: string) =>
        metrics.across(fn, name, nodes, { statistic, period, label }, `${prefix}n`);
      const shards = facts.shards;
      const nodes = shards.flatMap((s) => s.memberClusterIds);
      const perShard = (name: string, statistic: string) => (group: typeof shards) => group.map((shard) =>
        acrossNodes('MAX', name, statistic, shard.memberClusterIds, `s${shard.shardId}`, `shard ${shard.shardId}`));
      const shardRange = (group: typeof shards) => `shards ${group[0].shardId}-${group[group.length - 1].shardId}`;
      const nodeRange = (group: string[]) => `${group[0]} .. ${group[group.length - 1]}`;
      const nodesPerShard = (shards[0]?.memberClusterIds.length ?? 1);
      // The CPU metric that fits the node type, as the catalog's CPU alarms say.
      const cpuAlarm = cpuAlarmFor(facts.nodeType);
      const cpuMetric = alarmDefinition(cpuAlarm).metrics[0];
      widgets.push(
        ...split('Hit ratio (%)', shards, 2 * nodesPerShard, shardRange,
          (group) => [metrics.hitRatio(group.flatMap((s) => s.memberClusterIds), { period }, 1)], threshold('hit-ratio-low')),
        ...split('Evictions', nodes, 1, nodeRange, (group) => [acrossNodes('SUM', 'Evictions', 'Sum', group, 'e', 'evictions')], threshold('evictions')),
        ...(nodeTypeFacts(facts.nodeType ?? '')?.dataTiering
          // Data tiering nodes run memory full by design: what can fill up is memory and SSD together.
          ? split('Memory and SSD used of their capacity (%), worst node per shard', shards, nodesPerShard, shardRange,
            perShard('DatabaseCapacityUsagePercentage', 'Maximum'), threshold('capacity-high', 'capacity-critical'))
          : split('Memory used of maxmemory (%), worst node per shard', shards, nodesPerShard, shardRange,
            perShard('DatabaseMemoryUsagePercentage', 'Maximum'), threshold('memory-high', 'memory-critical'))),
        ...split(`${cpuMetric} (%) per node`, nodes, 1, nodeRange, (group) => group.map((n) => nodeMetric(cpuMetric, n, 'Average')), threshold(cpuAlarm)),
        ...split('Connections per node', nodes, 1, nodeRange, (group) => group.map((n) => nodeMetric('CurrConnections', n, 'Maximum')),
          threshold('connections-high')),
        ...split('Replication lag (s), worst node per shard', shards, nodesPerShard, shardRange,
          perShard('ReplicationLag', 'Maximum'), threshold('replication-lag', 'replication-lag-critical')),
        ...split('New connections per minute', nodes, 1, nodeRange, (group) => [acrossNodes('SUM', 'NewConnections', 'Sum', group, 'c', 'new connections')],
          threshold('connection-storm')),
        ...split('Server-side latency (µs), worst node', nodes, 2, nodeRange, (group) => [
          acrossNodes('MAX', 'SuccessfulReadRequestLatency', 'Average', group, 'r', 'read'),
          acrossNodes('MAX', 'SuccessfulWriteRequestLatency', 'Average', group, 'w', 'write'),
        ], threshold('latency-high', 'latency-critical')),
      );
    } else {
      widgets.push(
        graph('Hit ratio (%)', [cache.metricHitRatio({ period })], threshold('hit-ratio-low')),
        graph('Evictions', [cache.metricEvictions({ period })], threshold('evictions')),
        graph('Data stored (bytes)', [cache.metricBytesUsedForCache({ period })]),
        graph('ECPU per minute', [cache.metric('ElastiCacheProcessingUnits', { period })]),
        graph('Throttled commands', [cache.metric('ThrottledCmds', { period })], threshold('throttling')),
        graph('Connections', [cache.metricCurrConnections({ period })]),
        graph('New connections per minute', [cache.metricNewConnections({ period })], threshold('connection-storm')),
        graph('Server-side latency (µs)', [
          cache.metricSuccessfulReadRequestLatency({ period, label: 'read' }),
          cache.metricSuccessfulWriteRequestLatency({ period, label: 'write' }),
        ], threshold('latency-high', 'latency-critical')),
      );
    }

    /**
     * One graph over all items, or several when they would draw more than CloudWatch's 500 metrics in one graph.
     */
    function split<T>(title: string, items: T[], metricsPerItem: number, range: (group: T[]) => string,
      render: (group: T[]) => cloudwatch.IMetric[], annotations: cloudwatch.HorizontalAnnotation[] = []): cloudwatch.GraphWidget[] {
      const perGraph = Math.max(1, Math.floor(WIDGET_MAX_METRICS / metricsPerItem));
      const groups: T[][] = [];
      for (let i = 0; i < items.length; i += perGraph) groups.push(items.slice(i, i + perGraph));
      return groups.map((group) => graph(groups.length > 1 ? `${title}, ${range(group)}` : title, render(group), annotations));
    }

    if (props.runbookIndex ?? true) {
      const base = runbookBase(this, props.runbookBaseUrl);
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

    if (props.dashboardName !== undefined && !Token.isUnresolved(props.dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName)) {
      invalid(this, 'dashboardName', props.dashboardName, 'allowed are 1-255 letters, digits, "-" and "_" (CloudWatch PutDashboard)');
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      // Dashboards are global to an account (docs/aws-facts.md): the region keeps names apart.
      dashboardName: props.dashboardName ?? `ElastiCache-${cache.cacheName}-${Stack.of(this).region}`,
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
