import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmDefinition } from '../catalog/alarms';
import { ALARM_DESCRIPTION_MAX_CHARS } from '../catalog/limits';
import { invalid } from './validation';

/** Where runbooks live when no `runbookBaseUrl` is given: this repository's runbooks folder. */
export const DEFAULT_RUNBOOK_BASE_URL = 'runbooks/';

/** Changes to how a catalog alarm evaluates (an `AlarmOverride` of `CacheAlarms`). */
export interface AlarmEvaluationOverride {
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

export interface CatalogAlarmProps {
  readonly def: AlarmDefinition;
  readonly alarmName: string;
  /** The description, its runbook link included (`alarmDescription`). */
  readonly alarmDescription: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** Notified on ALARM and on OK. */
  readonly action: cloudwatch.IAlarmAction;
  readonly override?: AlarmEvaluationOverride;
}

/**
 * The one factory of the toolkit's alarms (cache, SLO, semantic cache, vector indexes): evaluated as its catalog entry
 * says (or as overridden), notifying the action on ALARM and on OK.
 */
export function createCatalogAlarm(scope: Construct, id: string, props: CatalogAlarmProps): cloudwatch.Alarm {
  const { def, override = {} } = props;
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.alarmDescription,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: def.comparison as cloudwatch.ComparisonOperator,
    evaluationPeriods: override.evaluationPeriods ?? def.evaluationPeriods,
    datapointsToAlarm: override.datapointsToAlarm ?? def.datapointsToAlarm,
    treatMissingData: def.treatMissingData as cloudwatch.TreatMissingData,
  });
  alarm.addAlarmAction(props.action);
  alarm.addOkAction(props.action);
  return alarm;
}

/** What a description says besides the entry's summary. */
export interface DescriptionParts {
  /** The threshold, in the entry's unit. */
  readonly threshold?: number;
  /** A sentence of its own (the SLO a check holds the cache to). */
  readonly note?: string;
  /** The nodes or shards the alarm covers; a long list is shortened to its first entries and a count. */
  readonly scope?: string | readonly string[];
}

/**
 * Summary, threshold, note, scope and runbook link, within CloudWatch's 1,024 characters: a long scope is shortened to
 * its first entries and a count; a runbook base URL too long for any description is refused.
 */
export function alarmDescription(where: Construct, def: AlarmDefinition, runbookBaseUrl: string, parts: DescriptionParts): string {
  const head = [def.summary];
  if (parts.threshold !== undefined) head.push(`Threshold: ${parts.threshold} ${def.unit}.`.replace(' .', '.'));
  if (parts.note !== undefined) head.push(parts.note);
  const entries = parts.scope === undefined ? [] : typeof parts.scope === 'string' ? [parts.scope] : parts.scope;
  const render = (shown: number) => {
    const listed = entries.slice(0, shown).join(', ') + (shown < entries.length ? ` and ${entries.length - shown} more` : '');
    return withRunbook([...head, ...(entries.length > 0 ? [`Scope: ${listed}.`] : [])].join(' '), runbookBaseUrl, def.runbook);
  };
  let shown = entries.length;
  while (shown > 1 && render(shown).length > ALARM_DESCRIPTION_MAX_CHARS) shown--;
  const text = render(shown);
  if (text.length > ALARM_DESCRIPTION_MAX_CHARS) {
    invalid(where, 'runbookBaseUrl', runbookBaseUrl, `alarm descriptions hold at most ${ALARM_DESCRIPTION_MAX_CHARS} characters and this one would take ${text.length}; use a shorter base URL`);
  }
  return text;
}

/**
 * The runbook base URL as given, or this repository's runbooks folder: every construct that links runbooks takes it
 * through here, so a URL that `<runbook>.md` cannot be appended to is refused everywhere alike.
 */
export function runbookBase(where: Construct, value: string | undefined): string {
  if (value !== undefined && !Token.isUnresolved(value) && !/[/#=]$/.test(value)) {
    invalid(where, 'runbookBaseUrl', value, 'must end with "/" (or "#", "="): each alarm appends "<runbook>.md" to it');
  }
  return value ?? DEFAULT_RUNBOOK_BASE_URL;
}

/** An alarm description ending in its runbook link, `<baseUrl><runbook>.md`. */
export function withRunbook(text: string, runbookBaseUrl: string, runbook: string): string {
  return `${text} Runbook: ${runbookBaseUrl}${runbook}.md`;
}

/** SNS display names hold at most 100 characters (the sender name of e-mails): a long cache name is shortened there. */
export function topicDisplayName(cacheName: string): string {
  const room = 100 - 'ElastiCache  alarms'.length;
  return `ElastiCache ${cacheName.length <= room ? cacheName : `${cacheName.slice(0, room - 1)}…`} alarms`;
}

/** A topic for alarm notifications: KMS-encrypted with a rotated key that CloudWatch may use, SSL-only. */
export function createAlarmTopic(scope: Construct, cacheName: string): sns.Topic {
  const key = new kms.Key(scope, 'TopicKey', {
    description: `Encrypts alarm notifications of ElastiCache ${cacheName}`,
    enableKeyRotation: true,
  });
  // CloudWatch publishes alarm notifications to the encrypted topic, so it must be able to use the key.
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  return new sns.Topic(scope, 'Topic', {
    displayName: topicDisplayName(cacheName),
    masterKey: key,
    enforceSSL: true,
  });
}
