import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SLO_ALARMS, SloCheckSpec } from '../../catalog/slo-check';
import { CatalogAlarm, createAlarmTopic, runbookBase, withRunbook } from '../cache-alarms';
import { notifyingAlarm } from '../catalog-alarm';

/** What the SLO alarms watch and whom they notify. */
export interface SloAlarmsOptions {
  readonly cacheName: string;
  readonly check: SloCheckSpec;
  /** The check's metric by name, with its dimensions. */
  readonly metric: (metricName: string, props: cloudwatch.MetricOptions) => cloudwatch.IMetric;
  /** Also the alarm period. */
  readonly interval: Duration;
  readonly canary: boolean;
  readonly alarmTopic?: sns.ITopic;
  readonly runbookBaseUrl?: string;
}

/** `slo-breach`, and `slo-check-failing` with the canary on (without it, silence would always page), from the catalog. */
export function sloAlarms(scope: Construct, options: SloAlarmsOptions): CatalogAlarm[] {
  const topic = options.alarmTopic ?? createAlarmTopic(scope, options.cacheName);
  const action = new cloudwatchActions.SnsAction(topic);
  const baseUrl = runbookBase(scope, options.runbookBaseUrl);
  const created: CatalogAlarm[] = [];
  for (const def of SLO_ALARMS) {
    if (def.id === 'slo-check-failing' && !options.canary) continue;
    const alarm = notifyingAlarm(scope, `Alarm-${def.id}`, {
      alarmName: `${options.cacheName}-${def.id}-${options.check.profile}`,
      alarmDescription: withRunbook(`${def.summary} SLO: ${options.check.slo}.`, baseUrl, def.runbook),
      metric: options.metric(def.metric, { statistic: def.statistic, period: options.interval }),
      threshold: def.threshold, evaluation: def, action,
    });
    created.push({ id: def.id, alarm, threshold: def.threshold });
  }
  return created;
}
