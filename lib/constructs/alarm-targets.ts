import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmDefinition } from '../catalog/alarms';
import { ALARM_MAX_METRICS } from '../catalog/limits';
import { CacheFlavour } from '../catalog/metrics';
import { ElastiCacheMetrics } from './metric-factory';

/** One alarm's metric, and what part of the cache it covers when the catalog entry needs several alarms. */
export interface AlarmTarget {
  readonly metric: cloudwatch.IMetric;
  /** The nodes or shards covered, for the description. */
  readonly scope?: string;
  /** The alarm id's suffix when there are several (default: their position). */
  readonly suffix?: string;
}

/** What the metric of an alarm is read from: the cache (nodes, configured maximums) or the toolkit's own metrics. */
export interface AlarmTargetContext {
  readonly flavour: CacheFlavour;
  /** Every member cluster id of a cluster, or a serverless cache's name. */
  readonly nodes: readonly string[];
  /** One member of each shard of a cluster (each holds its shard's keys). */
  readonly shardNodes?: readonly string[];
  readonly period: Duration;
  /** One alarm per node for the per-node gauges, instead of the worst of up to 10 nodes. */
  readonly perNodeAlarms?: boolean;
  readonly hitRatioMinimumRequests: number;
  readonly dataStorageMaximumBytes?: number;
  readonly ecpuPerSecondMaximum?: number;
  /** The node type's maxmemory, for `node-share`. */
  readonly maxmemoryBytes?: number;
  /** Dimensions of the toolkit's own metrics (`toolkit`, `sum-ratio`): Cache (and Profile for the SLO). */
  readonly toolkitDimensions?: Record<string, string>;
}

/**
 * The metric (or metrics, chunked by CloudWatch's 10 metrics per alarm, or per node) of one catalog alarm, from what
 * its `kind` says. Every construct that creates the toolkit's alarms reads them here.
 */
export function alarmTargets(def: AlarmDefinition, ctx: AlarmTargetContext): AlarmTarget[] {
  const metrics = new ElastiCacheMetrics(ctx.flavour);
  const serverless = ctx.flavour === CacheFlavour.SERVERLESS;
  const { period } = ctx;
  const read = { statistic: def.statistic, period };
  const scopeOf = (group: readonly string[], prefix = '') => (serverless ? undefined : `${prefix}${describeNodes(group)}`);
  const expression = (text: string, usingMetrics: Record<string, cloudwatch.IMetric>, label: string | undefined) =>
    new cloudwatch.MathExpression({ expression: text, usingMetrics, label, period });
  const toolkit = (name: string, statistic: string) => new cloudwatch.Metric({
    namespace: def.namespace!, metricName: name, dimensionsMap: ctx.toolkitDimensions ?? {}, statistic, period,
  });

  switch (def.kind) {
    case 'hit-ratio':
      if (serverless) return [{ metric: metrics.hitRatio(ctx.nodes, { period }, ctx.hitRatioMinimumRequests) }];
      return chunk(ctx.nodes, ALARM_MAX_METRICS / 2).map((group) => ({
        scope: scopeOf(group), metric: metrics.hitRatio(group, { period }, ctx.hitRatioMinimumRequests),
      }));
    case 'missing-ttl':
      // Every node of a shard holds the same keys, so one node per shard counts the keyspace.
      return chunk(serverless ? ctx.nodes : ctx.shardNodes ?? ctx.nodes, ALARM_MAX_METRICS / 2).map((group) => ({
        scope: scopeOf(group, 'shards of '),
        metric: expression('IF(items > 0, 100 * (items - volatile) / items, 0)', {
          items: metrics.across('SUM', 'CurrItems', group, read, 'i', true),
          volatile: metrics.across('SUM', 'CurrVolatileItems', group, read, 'v', true),
        }, 'Keys without TTL (%)'),
      }));
    case 'per-second':
      return [{ metric: expression(`100 * (ecpu / PERIOD(ecpu)) / ${ctx.ecpuPerSecondMaximum}`, { ecpu: metrics.node(def.metrics[0], ctx.nodes[0], read) }, def.label) }];
    case 'share-of-maximum':
      return [{ metric: expression(`100 * bytes / ${ctx.dataStorageMaximumBytes}`, { bytes: metrics.node(def.metrics[0], ctx.nodes[0], read) }, def.label) }];
    case 'node-share':
      // Every node holds its shard's indexes, replicas included: the worst node, in groups of 10.
      return chunk(ctx.nodes, ALARM_MAX_METRICS).map((group) => {
        const usingMetrics = Object.fromEntries(group.map((node, i) => [`n${i}`, metrics.node(def.metrics[0], node, read)]));
        return { metric: expression(`100 * MAX([${Object.keys(usingMetrics).join(',')}]) / ${ctx.maxmemoryBytes}`, usingMetrics, `${def.metrics[0]} (% of maxmemory, worst node)`) };
      });
    case 'toolkit':
      return [{ metric: toolkit(def.metrics[0], def.statistic) }];
    case 'sum-ratio':
      // A record is written only after a lookup, so a period without lookups has no data (never a division by zero).
      return [{ metric: expression('100 * numerator / denominator', { numerator: toolkit(def.metrics[0], 'Sum'), denominator: toolkit(def.metrics[1], 'Sum') }, def.label) }];
    case 'account':
      return [{ metric: metrics.account(def.metrics[0], read) }];
    case 'composite':
      return [];
    default: {
      if (ctx.perNodeAlarms && !serverless && def.combine === 'MAX' && def.metrics.length === 1) {
        return ctx.nodes.map((n) => ({ metric: metrics.node(def.metrics[0], n, read), scope: n, suffix: n }));
      }
      if (ctx.nodes.length * def.metrics.length === 1) return [{ metric: metrics.node(def.metrics[0], ctx.nodes[0], read) }];
      const nodesPerChunk = Math.max(1, Math.floor(ALARM_MAX_METRICS / def.metrics.length));
      return chunk(ctx.nodes, nodesPerChunk).map((group) => ({
        scope: scopeOf(group),
        metric: metrics.combined(def.combine, def.metrics, group, { ...read, label: `${def.id} (${def.combine.toLowerCase()})` }),
      }));
    }
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function describeNodes(nodes: readonly string[]): string {
  return nodes.length === 1 ? nodes[0] : `${nodes[0]} .. ${nodes[nodes.length - 1]} (${nodes.length} nodes)`;
}
