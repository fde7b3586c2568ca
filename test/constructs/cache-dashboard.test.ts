import { Template } from 'aws-cdk-lib/assertions';
import { CacheDashboard, ClusterCache, ServerlessCache } from '../../lib';
import { flattenJoin, resourcesOf, testStack } from '../support/cdk';

interface Widget { type: string; properties: { title?: string; markdown?: string; metrics?: unknown[][]; annotations?: { horizontal?: Array<{ value: number; label: string }> } } }

function widgetsOf(stack: ReturnType<typeof testStack>['stack']): Widget[] {
  const [[, dashboard]] = resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Dashboard');
  return (JSON.parse(flattenJoin(dashboard.DashboardBody)) as { widgets: Widget[] }).widgets;
}

describe('CacheDashboard', () => {
  test('a cluster dashboard draws memory per shard, CPU per node, and the alarm thresholds as annotations', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 3 });
    const widgets = widgetsOf(stack);
    const byTitle = Object.fromEntries(widgets.filter((w) => w.properties.title).map((w) => [w.properties.title!, w]));
    const memory = byTitle['Memory used of maxmemory (%), worst node per shard'];
    expect(memory.properties.metrics!.filter((m) => JSON.stringify(m).includes('"label":"shard')).length).toBe(3);
    // The warning in orange, the critical tier in red.
    expect(memory.properties.annotations!.horizontal).toEqual([
      expect.objectContaining({ value: 80, label: 'memory-high alarm', color: '#ff7f0e' }),
      expect.objectContaining({ value: 90, label: 'memory-critical alarm', color: '#d62728' }),
    ]);
    const cpu = byTitle['CPUUtilization (%) per node'];
    expect(cpu.properties.metrics!.length).toBe(6);
    expect(cpu.properties.annotations!.horizontal![0].value).toBe(45);
    expect(byTitle['Hit ratio (%)'].properties.annotations!.horizontal![0].value).toBe(80);
  });

  test('the runbook index lists each alarm of the cache with its runbook link', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, monitoring: { runbookBaseUrl: 'https://runbooks.example/' } });
    const text = widgetsOf(stack).find((w) => w.type === 'text')!.properties.markdown!;
    expect(text).toContain('| throttling | critical | [throttling.md](https://runbooks.example/throttling.md) |');
    expect(text).toContain('| cache-unhealthy | critical | [cache-unhealthy.md](https://runbooks.example/cache-unhealthy.md) |');
    expect(text).not.toContain('memory-high');
  });

  test('a serverless dashboard uses the clusterId dimension and shows ECPU and throttling', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, monitoring: { enabled: false } });
    new CacheDashboard(stack, 'Dash', { cache, runbookIndex: false });
    const widgets = widgetsOf(stack);
    expect(widgets.some((w) => w.type === 'text')).toBe(false);
    const body = JSON.stringify(widgets);
    expect(body).toContain('"ElastiCacheProcessingUnits","clusterId","infer"');
    expect(body).toContain('"ThrottledCmds","clusterId","infer"');
    expect(body).not.toContain('CacheClusterId');
  });
});
