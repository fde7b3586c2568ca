import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SEMANTIC_ALARMS } from '../catalog/alarms';
import { CacheFlavour } from '../catalog/metrics';
import { SEMANTIC_DIMENSION } from '../catalog/semantic';
import { alarmTargets } from './alarm-targets';
import { alarmDescription, createAlarmTopic, createCatalogAlarm, runbookBase } from './catalog-alarm';
import { invalid } from './validation';

/** Props of `SemanticCacheAlarms`. */
export interface SemanticCacheAlarmsProps {
  /**
   * The `Cache` dimension the application's semantic cache publishes its metrics under (the runtime client's
   * `SemanticCache` option `metrics.cacheName`).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
   */
  readonly cacheName: string;
  /**
   * Alarm when the semantic hit ratio stays below this percentage. Set it from your threshold: AWS's guidance is about
   * 25 % of prompts at similarity 0.95 and 55 % at 0.90; `ectk semantic-tune` gives the ratio on your own pairs.
   * @default 25
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/semantic-caching-best-practices.html
   */
  readonly minHitRatioPercent?: number;
  /**
   * Topic the alarm notifies, on ALARM and OK.
   * @default - a new KMS-encrypted topic
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Where the runbook link in the alarm description points.
   * @default 'runbooks/'
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly runbookBaseUrl?: string;
}

/**
 * The alarm on a semantic cache's hit ratio (`semantic-hit-ratio-low`), from the metrics the runtime client writes as
 * embedded-metric-format log lines: a falling semantic hit ratio is threshold drift, an embedding-model change, TTLs
 * too short or evictions, each in runbooks/semantic-hit-ratio-low.md. Missing data (no lookups) does not alarm.
 */
export class SemanticCacheAlarms extends Construct {
  /** The hit-ratio alarm. */
  public readonly alarm: cloudwatch.Alarm;
  /** The topic it notifies. */
  public readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: SemanticCacheAlarmsProps) {
    super(scope, id);
    const def = SEMANTIC_ALARMS[0];
    // The alarm's name is `<cacheName>-<alarm id>`, within CloudWatch's 255 characters.
    const longest = 255 - def.id.length - 1;
    if (!new RegExp(`^[^\\s]{1,${longest}}$`).test(props.cacheName)) {
      invalid(this, 'cacheName', props.cacheName, `1-${longest} characters without spaces: the Cache dimension of the metrics, and with "-${def.id}" the alarm's name (CloudWatch allows 255)`);
    }
    const threshold = props.minHitRatioPercent ?? def.threshold;
    if (!(threshold > 0 && threshold < 100)) invalid(this, 'minHitRatioPercent', threshold, 'a percentage above 0 and below 100');
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, props.cacheName);
    const [target] = alarmTargets(def, {
      flavour: CacheFlavour.SERVERLESS, nodes: [], period: Duration.seconds(def.periodSeconds), hitRatioMinimumRequests: 0,
      toolkitDimensions: { [SEMANTIC_DIMENSION]: props.cacheName },
    });
    this.alarm = createCatalogAlarm(this, 'HitRatioLow', {
      def, alarmName: `${props.cacheName}-${def.id}`,
      alarmDescription: alarmDescription(this, def, runbookBase(this, props.runbookBaseUrl), { threshold }),
      metric: target.metric, threshold, action: new cloudwatchActions.SnsAction(this.alarmTopic),
    });
  }
}
