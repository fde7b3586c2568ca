import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CacheFlavour, ELASTICACHE_NAMESPACE, metricDimensions, NodeAggregation } from '../catalog/metrics';

/** How one query of a metric is read: statistic, period, label (and the other options of a CloudWatch metric). */
export type MetricQuery = cloudwatch.MetricOptions;

/**
 * Every AWS/ElastiCache metric of the toolkit is built here, one way per flavour: a node's metric with the dimensions
 * its flavour publishes it under (`clusterId` for a serverless cache; `CacheClusterId` + `CacheNodeId` for a member of a
 * cluster-mode group), the math across nodes, and the hit ratio with its one guard. `cache.metric*()`, `CacheAlarms`,
 * `CacheDashboard` and the vector index alarms all read their metrics through it; the rule pack checks the same
 * dimensions against the catalog (`AlarmNodeDimension`, `AlarmServerlessDimension`).
 */
export class ElastiCacheMetrics {
  constructor(public readonly flavour: CacheFlavour) {}

  /** One node's metric: a member cluster id, or a serverless cache's name. */
  public node(metricName: string, node: string, query: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: ELASTICACHE_NAMESPACE, metricName, dimensionsMap: metricDimensions(this.flavour, node), ...query });
  }

  /**
   * A metric ElastiCache publishes without dimensions, for the account in the stack's Region
   * (`GlobalDatastoreReplicationLag`; docs/aws-facts.md, "Global Datastore").
   */
  public account(metricName: string, query: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: ELASTICACHE_NAMESPACE, metricName, ...query });
  }

  /**
   * One metric over several nodes, `fn([<prefix>0, <prefix>1, ...])`. With `single`, one node is its own metric rather
   * than an expression over one.
   */
  public across(fn: NodeAggregation, metricName: string, nodes: readonly string[], query: MetricQuery, prefix: string, single = false): cloudwatch.IMetric {
    const { label, ...read } = query;
    if (single && nodes.length === 1) return this.node(metricName, nodes[0], { ...read, ...(label ? { label } : {}) });
    const usingMetrics = Object.fromEntries(nodes.map((node, i) => [`${prefix}${i}`, this.node(metricName, node, read)]));
    return new cloudwatch.MathExpression({ expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, label, period: query.period });
  }

  /** Several metrics over several nodes in one expression, `fn([m<node>_<metric>, ...])`: the worst (or total) of all. */
  public combined(fn: NodeAggregation, metricNames: readonly string[], nodes: readonly string[], query: MetricQuery): cloudwatch.IMetric {
    const { label, ...read } = query;
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    nodes.forEach((n, i) => metricNames.forEach((m, j) => { usingMetrics[`m${i}_${j}`] = this.node(m, n, read); }));
    return new cloudwatch.MathExpression({ expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, label, period: query.period });
  }

  /**
   * The hit ratio in percent, with its one guard: 100 while fewer than `minimumRequests` arrive in a period (an idle cache
   * is a healthy one). Clusters: 100 × hits / (hits + misses) over the nodes, requests being reads. Serverless caches
   * publish no `CacheMisses`: their `CacheHitRate`, guarded by `TotalCmdsCount`; without a minimum above 1, the
   * `CacheHitRate` AWS computes (it has no data points without traffic).
   */
  public hitRatio(nodes: readonly string[], query: MetricQuery, minimumRequests: number): cloudwatch.IMetric {
    const period = query.period;
    const label = query.label ?? 'Hit ratio (%)';
    if (this.flavour === CacheFlavour.SERVERLESS) {
      const rate = this.node('CacheHitRate', nodes[0], { statistic: 'Average', period, label });
      if (minimumRequests <= 1) return rate;
      return new cloudwatch.MathExpression({
        expression: `IF(cmds >= ${minimumRequests}, rate, 100)`,
        usingMetrics: { rate: this.node('CacheHitRate', nodes[0], { statistic: 'Average', period }), cmds: this.node('TotalCmdsCount', nodes[0], { statistic: 'Sum', period }) },
        label, period,
      });
    }
    return new cloudwatch.MathExpression({
      expression: `IF(hits + misses >= ${Math.max(1, minimumRequests)}, 100 * hits / (hits + misses), 100)`,
      usingMetrics: {
        hits: this.across('SUM', 'CacheHits', nodes, { statistic: 'Sum', period }, 'h', true),
        misses: this.across('SUM', 'CacheMisses', nodes, { statistic: 'Sum', period }, 'm', true),
      },
      label, period,
    });
  }
}
