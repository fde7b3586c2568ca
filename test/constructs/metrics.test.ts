import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ClusterCache, ServerlessCache } from '../../lib';
import { CACHE_METRICS, CacheFlavour } from '../../lib/catalog/metrics';
import { testStack } from '../support/cdk';

describe('metrics', () => {
  // FACTS.md, "CloudWatch metrics": serverless caches publish under `clusterId` (lower-case c) with the cache name;
  // `ServerlessCacheName` returns zero data points (cdk-monitoring-constructs #750).
  test('serverless metrics use the clusterId dimension with the cache name', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc });
    const config = cache.metricThrottledCmds().toMetricConfig();
    expect(config.metricStat).toMatchObject({
      namespace: 'AWS/ElastiCache', metricName: 'ThrottledCmds', statistic: 'Sum', dimensions: [{ name: 'clusterId', value: 'infer' }],
    });
  });

  // FACTS.md: node-based metrics are per node under `CacheClusterId` = member cluster id; alarms on the replication
  // group id get INSUFFICIENT_DATA forever (cloudposse/terraform-aws-elasticache-redis #56).
  test('cluster metrics aggregate the per-node CacheClusterId metrics of every member with metric math', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 2, replicasPerShard: 1 });
    const evictions = cache.metricEvictions().toMetricConfig().mathExpression!;
    expect(evictions.expression).toBe('SUM([evictions0,evictions1,evictions2,evictions3])');
    const dims = Object.values(evictions.usingMetrics).map((m) => m.toMetricConfig().metricStat!.dimensions);
    expect(dims).toEqual(['feat-0001-001', 'feat-0001-002', 'feat-0002-001', 'feat-0002-002'].map((value) => [{ name: 'CacheClusterId', value }]));
    expect(cache.metricDatabaseMemoryUsagePercentage().toMetricConfig().mathExpression!.expression)
      .toBe('MAX([databasememoryusagepercentage0,databasememoryusagepercentage1,databasememoryusagepercentage2,databasememoryusagepercentage3])');
    expect(Object.values(evictions.usingMetrics).every((m) => m.toMetricConfig().metricStat!.statistic === 'Sum')).toBe(true);
  });

  test('a metric can be read for one node', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc });
    expect(cache.metricForNode('EngineCPUUtilization', 'feat-0001-002').toMetricConfig().metricStat).toMatchObject({
      metricName: 'EngineCPUUtilization', statistic: 'Average', dimensions: [{ name: 'CacheClusterId', value: 'feat-0001-002' }],
    });
  });

  test('asking a flavour for a metric it does not publish names the metrics it does', () => {
    const { stack, vpc } = testStack();
    const serverless = new ServerlessCache(stack, 'S', { serverlessCacheName: 's', vpc });
    const cluster = new ClusterCache(stack, 'C', { replicationGroupId: 'c', vpc });
    expect(() => serverless.metric('EngineCPUUtilization')).toThrow(/metricName: got "EngineCPUUtilization"; a serverless cache publishes CacheHits, .*ThrottledCmds/);
    expect(() => cluster.metric('ThrottledCmds')).toThrow(/a cluster cache publishes .*DatabaseMemoryUsagePercentage/);
  });

  test('every named helper on either flavour resolves to a catalog metric of that flavour', () => {
    const { stack, vpc } = testStack();
    const serverless = new ServerlessCache(stack, 'S', { serverlessCacheName: 's', vpc });
    const cluster = new ClusterCache(stack, 'C', { replicationGroupId: 'c', vpc });
    const names = (m: cloudwatch.IMetric): string => {
      const c = m.toMetricConfig();
      return c.metricStat?.metricName ?? Object.values(c.mathExpression!.usingMetrics)[0].toMetricConfig().metricStat!.metricName;
    };
    for (const [cache, flavour] of [[serverless, CacheFlavour.SERVERLESS], [cluster, CacheFlavour.CLUSTER]] as const) {
      const helpers = Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(cache)))
        .concat(Object.getOwnPropertyNames(Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf(cache)))))
        .filter((n) => /^metric[A-Z]/.test(n) && !['metricForNode', 'metricAcrossNodes'].includes(n));
      expect(helpers.length).toBeGreaterThan(8);
      for (const helper of helpers) {
        const metric = (cache as unknown as Record<string, () => cloudwatch.IMetric>)[helper]();
        const def = CACHE_METRICS.find((d) => d.name === names(metric));
        expect(def?.flavours).toContain(flavour);
        expect(`metric${def!.name}`).toBe(helper);
      }
    }
  });
});
