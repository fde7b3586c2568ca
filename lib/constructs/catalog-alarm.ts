import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmDefinition } from '../catalog/alarms';

/** How a catalog alarm evaluates, whichever catalog it comes from (cache, SLO, semantic cache, vector indexes). */
export type AlarmEvaluation = Pick<AlarmDefinition, 'comparison' | 'evaluationPeriods' | 'datapointsToAlarm' | 'treatMissingData'>;

export interface NotifyingAlarmProps {
  readonly alarmName: string;
  /** The description, its runbook link included. */
  readonly alarmDescription: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluation: AlarmEvaluation;
  /** Notified on ALARM and on OK. */
  readonly action: cloudwatch.IAlarmAction;
}

/** An alarm evaluated as its catalog definition says, notifying the action on ALARM and on OK. */
export function notifyingAlarm(scope: Construct, id: string, props: NotifyingAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.alarmDescription,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.evaluation.comparison as cloudwatch.ComparisonOperator,
    evaluationPeriods: props.evaluation.evaluationPeriods,
    datapointsToAlarm: props.evaluation.datapointsToAlarm,
    treatMissingData: props.evaluation.treatMissingData as cloudwatch.TreatMissingData,
  });
  alarm.addAlarmAction(props.action);
  alarm.addOkAction(props.action);
  return alarm;
}
