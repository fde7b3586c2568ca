import { CfnResource } from 'aws-cdk-lib';
import { ELASTICACHE_NAMESPACE } from '../catalog/metrics';
import { props } from './rule';

/** One metric an alarm reads, with its dimensions resolved. */
export interface AlarmMetric {
  readonly namespace: unknown;
  readonly metricName: unknown;
  readonly dimensions: ReadonlyArray<{ readonly name: unknown; readonly value: unknown }>;
}

interface Dimension { Name?: unknown; Value?: unknown }
interface Query { MetricStat?: { Metric?: { Namespace?: unknown; MetricName?: unknown; Dimensions?: Dimension[] } } }

const dimensions = (list: unknown) => (Array.isArray(list) ? list as Dimension[] : []).map((d) => ({ name: d.Name, value: d.Value }));

/** The metrics an alarm reads: its single metric, or every MetricStat of its metric math. */
export function alarmMetrics(alarm: CfnResource): AlarmMetric[] {
  if (alarm.cfnResourceType !== 'AWS::CloudWatch::Alarm') return [];
  const p = props(alarm);
  if (Array.isArray(p.Metrics)) {
    return (p.Metrics as Query[]).filter((q) => q.MetricStat?.Metric).map((q) => {
      const m = q.MetricStat!.Metric!;
      return { namespace: m.Namespace, metricName: m.MetricName, dimensions: dimensions(m.Dimensions) };
    });
  }
  if (p.MetricName === undefined) return [];
  return [{ namespace: p.Namespace, metricName: p.MetricName, dimensions: dimensions(p.Dimensions) }];
}

/** The metrics an alarm reads in namespace AWS/ElastiCache. */
export function elastiCacheMetrics(alarm: CfnResource): AlarmMetric[] {
  return alarmMetrics(alarm).filter((m) => m.namespace === ELASTICACHE_NAMESPACE);
}
