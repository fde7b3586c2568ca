import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ClusterCache, ServerlessCache, TtlPolicy } from '../../lib';
import { CACHE_METRICS, CacheFlavour, NODE_ONLY_METRICS } from '../../lib/catalog/metrics';
import { resourcesOf, testStack } from '../support/cdk';

describe('metrics', () => {
  // docs/aws-facts.md, "CloudWatch metrics": serverless caches publish under `clusterId` (lower-case c) with the cache name;
  // `ServerlessCacheName` returns zero data points (cdk-monitoring-constructs #750).
  test('serverless metrics use the clusterId dimension with the cache name', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc });
    const config = cache.metricThrottledCmds().toMetricConfig();
    expect(config.metricStat).toMatchObject({
      namespace: 'AWS/ElastiCache', metricName: 'ThrottledCmds', statistic: 'Sum', dimensions: [{ name: 'clusterId', value: 'infer' }],
    });
  });

  // docs/aws-facts.md, "CloudWatch metrics": node-based metrics are per node under `CacheClusterId` = member cluster id;
  // alarms on the replication group id get INSUFFICIENT_DATA forever (cloudposse/terraform-aws-elasticache-redis #56).
  // Five node metrics exist only with the pair CacheClusterId + CacheNodeId, and every node metric exists with it
  // (CloudWatch user guide, dimension combinations of AWS/ElastiCache), so every node metric carries both.
  test('cluster metrics aggregate the per-node CacheClusterId + CacheNodeId metrics of every member with metric math', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 2, replicasPerShard: 1 });
    const evictions = cache.metricEvictions().toMetricConfig().mathExpression!;
    expect(evictions.expression).toBe('SUM([evictions0,evictions1,evictions2,evictions3])');
    const dims = Object.values(evictions.usingMetrics).map((m) => m.toMetricConfig().metricStat!.dimensions);
    expect(dims).toEqual(['feat-0001-001', 'feat-0001-002', 'feat-0002-001', 'feat-0002-002']
      .map((value) => [{ name: 'CacheClusterId', value }, { name: 'CacheNodeId', value: '0001' }]));
    expect(cache.metricDatabaseMemoryUsagePercentage().toMetricConfig().mathExpression!.expression)
      .toBe('MAX([databasememoryusagepercentage0,databasememoryusagepercentage1,databasememoryusagepercentage2,databasememoryusagepercentage3])');
    expect(Object.values(evictions.usingMetrics).every((m) => m.toMetricConfig().metricStat!.statistic === 'Sum')).toBe(true);
  });

  test('a metric can be read for one node', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc });
    expect(cache.metricForNode('EngineCPUUtilization', 'feat-0001-002').toMetricConfig().metricStat).toMatchObject({
      metricName: 'EngineCPUUtilization', statistic: 'Average',
      dimensions: [{ name: 'CacheClusterId', value: 'feat-0001-002' }, { name: 'CacheNodeId', value: '0001' }],
    });
  });

  // docs/aws-facts.md, "CloudWatch metrics": these are published only with CacheClusterId + CacheNodeId; a query without
  // CacheNodeId reads nothing (the latency-high, traffic-management and ttl-missing alarms did).
  test('the node-only metrics carry CacheNodeId on every path: helpers, per-node reads, alarms and the dashboard', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'feat', vpc, shards: 2, ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(1), requireTtl: true }),
    });
    expect(cache.metricForNode('TrafficManagementActive', 'feat-0002-001').toMetricConfig().metricStat!.dimensions)
      .toEqual([{ name: 'CacheClusterId', value: 'feat-0002-001' }, { name: 'CacheNodeId', value: '0001' }]);
    const template = JSON.stringify(Template.fromStack(stack).toJSON());
    const alarmStats = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm')
      .flatMap(([, p]) => ((p.Metrics ?? []) as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Name: string }> } } }>)
        .filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric));
    for (const name of ['SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency', 'TrafficManagementActive', 'CurrVolatileItems']) {
      expect(alarmStats.filter((m) => m.MetricName === name).length).toBeGreaterThan(0);
    }
    for (const m of alarmStats.filter((s) => NODE_ONLY_METRICS.includes(s.MetricName))) {
      expect(m.Dimensions.map((d) => d.Name)).toEqual(['CacheClusterId', 'CacheNodeId']);
    }
    // The dashboard body is a JSON string: every member id in it is followed by its CacheNodeId.
    const body = /"DashboardBody":(\{.*?\}),"DashboardName"/.exec(template)![1];
    expect(body).toContain('SuccessfulReadRequestLatency');
    const members = body.match(/CacheClusterId\\",\\"feat-\d{4}-\d{3}\\"/g) ?? [];
    const withNode = body.match(/CacheClusterId\\",\\"feat-\d{4}-\d{3}\\",\\"CacheNodeId\\",\\"0001\\"/g) ?? [];
    expect(members.length).toBeGreaterThan(10);
    expect(withNode.length).toBe(members.length);
  });

  // CloudWatch user guide, the table of metrics and their dimension combinations, AWS/ElastiCache,
  // AWS::ElastiCache::CacheCluster (read 2026-12-07): these rows list only "CacheClusterId, CacheNodeId" (and Tier), never
  // CacheClusterId alone. The rule pack's AlarmNodeDimension reads the catalog's nodeOnly flags, so they must be exactly these.
  test('the catalog marks exactly the metrics that CloudWatch publishes only per node', () => {
    const table = [
      'AllocatorFragmentationBytes', 'AllocatorFragmentationRatio', 'BlockedConnections', 'BytesReadFromDisk', 'BytesWrittenToDisk',
      'ChannelAuthorizationFailures', 'ClusterBasedCmds', 'ClusterBasedCmdsLatency', 'CurrItemsWithVolatileFields', 'CurrVolatileItems',
      'DatabaseAuthorizationFailures', 'DatabaseCapacityUsageCountedForEvictPercentage', 'DatabaseCapacityUsagePercentage',
      'DatabaseMemoryUsageCountedForEvictPercentage', 'DurabilityBufferExceededErrorCount', 'DurabilityLag', 'ErrorCount',
      'IamAuthenticationExpirations', 'IamAuthenticationThrottling', 'JsonBasedCmds', 'JsonBasedCmdsLatency', 'JsonBasedGetCmds',
      'JsonBasedGetCmdsLatency', 'JsonBasedSetCmds', 'JsonBasedSetCmdsLatency', 'MajorPageFaults', 'NetworkBaselineMaxUsageInPercentage',
      'NetworkBaselineMaxUsageOutPercentage', 'NetworkBaselineUsageInPercentage', 'NetworkBaselineUsageOutPercentage', 'NetworkMaxBytesIn',
      'NetworkMaxBytesOut', 'NetworkMaxPacketsIn', 'NetworkMaxPacketsOut', 'NonKeyTypeCmds', 'NonKeyTypeCmdsLatency', 'NumItemsReadFromDisk',
      'NumItemsWrittenToDisk', 'ProcessedCommands', 'PubSubChannels', 'PubSubShardChannels', 'ReclaimedFields', 'RejectedConnections',
      'SearchBasedCmds', 'SearchBasedCmdsLatency', 'SearchBasedGetCmds', 'SearchBasedGetCmdsLatency', 'SearchBasedSetCmds',
      'SearchBasedSetCmdsLatency', 'SearchNumberOfIndexes', 'SearchTotalIndexedDocuments', 'SearchUsedMemoryBytes',
      'SuccessfulReadRequestLatency', 'SuccessfulWriteRequestLatency', 'TrafficManagementActive', 'UsedMemoryDataset',
    ];
    expect([...NODE_ONLY_METRICS].sort()).toEqual(table.sort());
    // Metrics the table lists with CacheClusterId alone too are not node-only.
    for (const both of ['Evictions', 'DatabaseMemoryUsagePercentage', 'AuthenticationFailures', 'CommandAuthorizationFailures', 'KeyAuthorizationFailures']) {
      expect(CACHE_METRICS.find((m) => m.name === both)?.nodeOnly).toBeUndefined();
    }
  });

  test('asking a flavour for a metric it does not publish names the metrics it does', () => {
    const { stack, vpc } = testStack();
    const serverless = new ServerlessCache(stack, 'S', { serverlessCacheName: 's', vpc });
    const cluster = new ClusterCache(stack, 'C', { replicationGroupId: 'c', vpc });
    expect(() => serverless.metric('EngineCPUUtilization')).toThrow(/^Test\/S: invalid metricName "EngineCPUUtilization": a serverless cache publishes CacheHits, .*ThrottledCmds/);
    expect(() => cluster.metric('ThrottledCmds')).toThrow(/^Test\/C: invalid metricName "ThrottledCmds": a cluster cache publishes .*DatabaseMemoryUsagePercentage/);
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
        .filter((n) => /^metric[A-Z]/.test(n) && !['metricForNode', 'metricAcrossNodes', 'metricHitRatio'].includes(n));
      expect(helpers.length).toBeGreaterThan(8);
      for (const helper of helpers) {
        const metric = (cache as unknown as Record<string, () => cloudwatch.IMetric>)[helper]();
        const def = CACHE_METRICS.find((d) => d.name === names(metric));
        expect(def?.flavours).toContain(flavour);
        expect(`metric${def!.name}`).toBe(helper);
      }
    }
  });

  // docs/aws-facts.md, "CloudWatch metrics": the serverless metrics table lists CacheHitRate and CacheHits but no
  // CacheMisses (ElastiCache guide, serverless-metrics-events-redis), so a serverless hit ratio reads CacheHitRate.
  test('hit ratio: CacheHitRate on serverless caches, hits / (hits + misses) on clusters', () => {
    const { stack, vpc } = testStack();
    const serverless = new ServerlessCache(stack, 'S', { serverlessCacheName: 's', vpc });
    const cluster = new ClusterCache(stack, 'C', { replicationGroupId: 'c', vpc });
    expect(serverless.metricHitRatio().toMetricConfig().metricStat).toMatchObject({ metricName: 'CacheHitRate', statistic: 'Average' });
    expect(cluster.metricHitRatio().toMetricConfig().mathExpression!.expression).toBe('IF(hits + misses >= 1, 100 * hits / (hits + misses), 100)');
    expect(() => serverless.metric('CacheMisses')).toThrow(/a serverless cache publishes/);
  });
});
