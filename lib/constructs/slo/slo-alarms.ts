import { Duration } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmApplies, SLO_ALARMS } from '../../catalog/alarms';
import { CacheFlavour } from '../../catalog/metrics';
import { SLO_DIMENSIONS, SloCheckSpec } from '../../catalog/slo-check';
import { alarmTargets } from '../alarm-targets';
import { CatalogAlarm } from '../cache-alarms';
import { alarmDescription, createAlarmTopic, createCatalogAlarm, runbookBase } from '../catalog-alarm';

/** What the SLO alarms watch and whom they notify. */
export interface SloAlarmsOptions {
  readonly cacheName: string;
  readonly check: SloCheckSpec;
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
  for (const def of SLO_ALARMS.filter((d) => alarmApplies(d, { canary: options.canary }))) {
    const [target] = alarmTargets(def, {
      flavour: CacheFlavour.CLUSTER, nodes: [], period: options.interval, hitRatioMinimumRequests: 0,
      toolkitDimensions: { [SLO_DIMENSIONS.cache]: options.cacheName, [SLO_DIMENSIONS.profile]: options.check.profile },
    });
    const alarm = createCatalogAlarm(scope, `Alarm-${def.id}`, {
      def, alarmName: `${options.cacheName}-${def.id}-${options.check.profile}`,
      alarmDescription: alarmDescription(scope, def, baseUrl, { note: `SLO: ${options.check.slo}.` }),
      metric: target.metric, threshold: def.threshold, action,
    });
    created.push({ id: def.id, alarm, threshold: def.threshold });
  }
  return created;
}
