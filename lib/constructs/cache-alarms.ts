import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  AlarmDefinition, alarmApplies, ALARMS, AlarmSubject, HIT_RATIO_MINIMUM_REQUESTS, thresholdFor, thresholdRange,
} from '../catalog/alarms';
import {
  ALARM_ARN_PREFIX_MAX_CHARS, COMPOSITE_MAX_CHILDREN, COMPOSITE_RULE_MAX_CHARS, STACK_MAX_RESOURCES, TEMPLATE_MAX_BYTES,
} from '../catalog/limits';
import { CacheFlavour } from '../catalog/metrics';
import { alarmTargets } from './alarm-targets';
import { ICache } from './cache-base';
import { alarmDescription, createAlarmTopic, createCatalogAlarm, runbookBase } from './catalog-alarm';
import { Durability } from './durability';
import { checkAlarmPeriod, checkInteger, checkNumber, invalid } from './validation';

interface RenderedStack {
  readonly resources: number;
  readonly template: { Resources?: Record<string, unknown> };
  /** The template as it is written and uploaded: JSON with one-space indentation. */
  readonly templateBytes: number;
}

/**
 * A stack's template, rendered once per validation pass however many caches it watches: every CacheAlarms of the
 * stack validates in the same pass, when no construct changes any more. A new construct count renders it again.
 */
const renderedStacks = new WeakMap<Stack, RenderedStack>();

function renderedStack(stack: Stack): RenderedStack {
  const resources = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  const cached = renderedStacks.get(stack);
  if (cached && cached.resources === resources) return cached;
  const template = stack.resolve((stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as RenderedStack['template'];
  const rendered = { resources, template, templateBytes: JSON.stringify(template, undefined, 1).length };
  renderedStacks.set(stack, rendered);
  return rendered;
}

/** Changes to one catalog alarm. */
export interface AlarmOverride {
  /**
   * Create the alarm.
   * @default true (where the alarm applies to the cache)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly enabled?: boolean;
  /**
   * Threshold, in the unit of the catalog entry.
   * @default - the catalog default for the cache's configuration
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly threshold?: number;
  /**
   * Periods evaluated.
   * @default - the catalog default
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods within `evaluationPeriods` that fire the alarm.
   * @default - the catalog default
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly datapointsToAlarm?: number;
  /**
   * Period of each datapoint.
   * @default - the catalog default
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly period?: Duration;
}

/** Options for the alarms of a cache. */
export interface CacheAlarmsOptions {
  /**
   * Topic for ALARM and OK notifications.
   * @default - a new topic, encrypted with a new KMS key that CloudWatch may use, SSL-only
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Changes per catalog alarm id (`memory-high`, `evictions`, ...).
   * @default - catalog defaults
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly overrides?: { [alarmId: string]: AlarmOverride };
  /**
   * Base URL of the runbooks; each alarm links `<runbookBaseUrl><id>.md`.
   * @default 'runbooks/' - the runbooks folder of cdk-elasticache-toolkit
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly runbookBaseUrl?: string;
  /**
   * One alarm per node for the per-node gauges (memory, CPU, connections, swap, lag) instead of one alarm over the
   * MAX of all nodes (chunked by 10). Names the node in the alarm, at one alarm per node per metric in cost.
   * @default false
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  readonly perNodeAlarms?: boolean;
  /**
   * Requests per 5 minutes below which the hit ratio counts as healthy (an idle cache must not page anyone).
   * @default 100
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly hitRatioMinimumRequests?: number;
}

/** Properties of `CacheAlarms`. */
export interface CacheAlarmsProps extends CacheAlarmsOptions {
  /**
   * The cache to watch, new or imported.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly cache: ICache;
}

/** One alarm created from the catalog. */
export interface CatalogAlarm {
  /**
   * Catalog id (and runbook id).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly id: string;
  /**
   * The CloudWatch alarm.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly alarm: cloudwatch.Alarm;
  /**
   * The threshold it uses.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  readonly threshold: number;
}

/**
 * The alarm catalog applied to one cache: the right dimension per flavour, thresholds for its configuration, node
 * metrics aggregated with metric math (chunked to CloudWatch's 10-metric limit), runbook links, SNS actions, and a
 * composite `cache-unhealthy` alarm over the critical ones.
 */
export class CacheAlarms extends Construct {
  /** Every alarm created, with its catalog id. */
  public readonly alarms: CatalogAlarm[] = [];
  /** The topic that receives ALARM and OK notifications. */
  public readonly alarmTopic: sns.ITopic;
  /** Any critical alarm in ALARM; undefined when the cache has no critical alarm. */
  public readonly unhealthy?: cloudwatch.CompositeAlarm;
  private readonly cache: ICache;
  private readonly runbookBaseUrl: string;

  constructor(scope: Construct, id: string, props: CacheAlarmsProps) {
    super(scope, id);
    this.cache = props.cache;
    this.runbookBaseUrl = runbookBase(this, props.runbookBaseUrl);
    const overrides = props.overrides ?? {};
    for (const [alarmId, override] of Object.entries(overrides)) {
      const def = ALARMS.find((a) => a.id === alarmId && a.kind !== 'composite');
      if (!def) {
        invalid(this, 'overrides', alarmId, `allowed are the catalog alarm ids: ${ALARMS.filter((a) => a.kind !== 'composite').map((a) => a.id).join(', ')}`);
      }
      validateOverride(this, alarmId, def, override);
    }
    if (props.hitRatioMinimumRequests !== undefined) checkInteger(this, 'hitRatioMinimumRequests', props.hitRatioMinimumRequests, 0, Number.MAX_SAFE_INTEGER);
    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this, this.cache.cacheName);
    const action = new actions.SnsAction(this.alarmTopic);

    const facts = this.cache.monitoringFacts;
    const serverless = this.cache.flavour === CacheFlavour.SERVERLESS;
    for (const def of ALARMS.filter((d) => d.kind !== 'composite' && alarmApplies(d, this.subject()))) {
      const override = overrides[def.id] ?? {};
      if (override.enabled === false) continue;
      const threshold = override.threshold ?? thresholdFor(def, this.subject());
      const targets = alarmTargets(def, {
        flavour: this.cache.flavour,
        nodes: serverless ? [this.cache.cacheName] : facts.shards.flatMap((s) => s.memberClusterIds),
        shardNodes: facts.shards.map((s) => s.memberClusterIds[0]),
        period: override.period ?? Duration.seconds(def.periodSeconds),
        perNodeAlarms: props.perNodeAlarms,
        hitRatioMinimumRequests: props.hitRatioMinimumRequests ?? HIT_RATIO_MINIMUM_REQUESTS,
        dataStorageMaximumBytes: facts.dataStorageMaximumBytes,
        ecpuPerSecondMaximum: facts.ecpuPerSecondMaximum,
      });
      targets.forEach((target, i) => {
        const suffix = targets.length > 1 ? `-${target.suffix ?? i + 1}` : '';
        const alarm = createCatalogAlarm(this, `${def.id}${suffix}`, {
          def, alarmName: `${this.cache.cacheName}-${def.id}${suffix}`,
          alarmDescription: alarmDescription(this, def, this.runbookBaseUrl, { threshold, scope: target.scope }),
          metric: target.metric, threshold, action, override,
        });
        this.alarms.push({ id: def.id, alarm, threshold });
      });
    }

    const critical = this.alarms.filter((a) => ALARMS.find((d) => d.id === a.id)?.severity === 'critical');
    if (critical.length > 0) {
      const def = ALARMS.find((d) => d.kind === 'composite')!;
      this.unhealthy = this.compositeOf(def, critical.map((a) => a.alarm), `${this.cache.cacheName}-${def.id}`, def.id);
      this.unhealthy.addAlarmAction(action);
      this.unhealthy.addOkAction(action);
    }

    // CloudFormation refuses a stack of more than 500 resources; say which alarms to drop before it does.
    this.node.addValidation({ validate: () => this.checkStackSize(props) });
  }

  /**
   * The alarms created for one catalog id (several when node metrics are chunked or per node).
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
   */
  public alarmsFor(alarmId: string): cloudwatch.Alarm[] {
    return this.alarms.filter((a) => a.id === alarmId).map((a) => a.alarm);
  }

  /**
   * Any of the alarms in ALARM, as one composite alarm. A composite takes at most 100 children and a rule of 10,240
   * characters, so larger sets are split into child composites (`<name>-1`, `-2`, ...) under one parent.
   */
  private compositeOf(def: AlarmDefinition, children: cloudwatch.IAlarm[], name: string, id: string): cloudwatch.CompositeAlarm {
    const groups = compositeGroups(children);
    const members = groups.length === 1 ? groups[0]
      : groups.map((group, i) => this.compositeOf(def, group, `${name}-${i + 1}`, `${id}-${i + 1}`));
    if (compositeGroups(members).length > 1) {
      invalid(this, 'alarms', `${children.length} critical alarms`, 'a composite alarm tree of two levels holds them all at most; switch off per-node alarms or some critical ones');
    }
    const names = members.map((a) => a.node.id);
    return new cloudwatch.CompositeAlarm(this, id, {
      compositeAlarmName: name,
      alarmDescription: alarmDescription(this, def, this.runbookBaseUrl, { scope: names }),
      alarmRule: cloudwatch.AlarmRule.anyOf(...members.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM))),
    });
  }

  /**
   * CloudFormation refuses a stack of more than 500 resources or a template over 1 MB; large clusters reach both with
   * their alarms and dashboard. Says how much this cache's monitoring takes and what to drop, before CloudFormation does.
   */
  private checkStackSize(props: CacheAlarmsOptions): string[] {
    const stack = Stack.of(this);
    const { resources, template, templateBytes } = renderedStack(stack);
    if (resources <= STACK_MAX_RESOURCES && templateBytes <= TEMPLATE_MAX_BYTES) return [];

    const kb = (bytes: number) => `${Math.ceil(bytes / 1000).toLocaleString('en-US')} KB`;
    const bytesOf = (c: CfnResource) => JSON.stringify(template.Resources?.[stack.resolve(c.logicalId) as string] ?? {}, undefined, 1).length;
    const shares = new Map<string, { count: number; bytes: number }>();
    const monitoring = this.node.scope ?? this;
    for (const c of monitoring.node.findAll().filter((r): r is CfnResource => CfnResource.isCfnResource(r))) {
      const alarmId = this.alarms.find((a) => a.alarm.node.defaultChild === c)?.id;
      const key = alarmId ?? (c.cfnResourceType === 'AWS::CloudWatch::Dashboard' ? 'dashboard' : c.cfnResourceType === 'AWS::CloudWatch::CompositeAlarm' ? ALARMS.find((d) => d.kind === 'composite')!.id : 'other');
      const share = shares.get(key) ?? { count: 0, bytes: 0 };
      shares.set(key, { count: share.count + 1, bytes: share.bytes + bytesOf(c) });
    }
    const largest = [...shares.entries()].filter(([key]) => key !== 'other').sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 5)
      .map(([key, share]) => (key === 'dashboard' ? `the dashboard (${kb(share.bytes)})` : `${key} (${share.count} alarm${share.count > 1 ? 's' : ''}, ${kb(share.bytes)})`))
      .join(', ');
    return [`invalid monitoring of ${this.cache.cacheName}: stack ${stack.stackName} would hold ${resources} resources in a template of ` +
      `${kb(templateBytes)}; CloudFormation allows ${STACK_MAX_RESOURCES} resources and ${kb(TEMPLATE_MAX_BYTES)}. This cache's monitoring ` +
      `takes most: ${largest}. ` + (props.perNodeAlarms ? 'Turn perNodeAlarms off, switch' : 'Switch') +
      ' off alarms you do not need (overrides: { \'<id>\': { enabled: false } }), turn the dashboard off (dashboard: false), ' +
      'or watch the cache from a stack of its own (new CacheMonitoring(otherStack, ..., { cache })).'];
  }

  /** What the catalog's conditions and thresholds are read against. */
  private subject(): AlarmSubject {
    const facts = this.cache.monitoringFacts;
    return {
      flavour: this.cache.flavour, engine: this.cache.engine?.engine, engineVersion: this.cache.engine?.version, nodeType: facts.nodeType,
      replicasPerShard: facts.replicasPerShard, asyncDurability: facts.durability === Durability.ASYNC,
      dataStorageMaximum: facts.dataStorageMaximumBytes !== undefined, ecpuMaximum: facts.ecpuPerSecondMaximum !== undefined,
      requireTtl: facts.requireTtl, evictsAnyKey: facts.evictsAnyKey, globalSecondary: facts.globalSecondary ?? false,
    };
  }
}

/** Refuses an override that CloudWatch would reject or that could never (or would always) fire. */
function validateOverride(scope: Construct, alarmId: string, def: AlarmDefinition, override: AlarmOverride): void {
  const at = `overrides["${alarmId}"]`;
  const [min, max] = thresholdRange(def);
  checkNumber(scope, `${at}.threshold`, override.threshold, min, max, def.unit.startsWith('%') ? ' %' : '');
  const evaluationPeriods = override.evaluationPeriods ?? def.evaluationPeriods;
  checkInteger(scope, `${at}.evaluationPeriods`, override.evaluationPeriods, 1, 100);
  checkInteger(scope, `${at}.datapointsToAlarm`, override.datapointsToAlarm, 1, evaluationPeriods);
  if (override.datapointsToAlarm === undefined && def.datapointsToAlarm > evaluationPeriods) {
    invalid(scope, `${at}.evaluationPeriods`, evaluationPeriods, `at least datapointsToAlarm (${def.datapointsToAlarm} by default); set both`);
  }
  if (override.period !== undefined) checkAlarmPeriod(scope, `${at}.period`, override.period.toSeconds({ integral: false }));
}

/**
 * Children split into groups that each fit one composite alarm: at most 100 children and a rule of at most 10,240
 * characters, each child counted as `ALARM("<longest ARN prefix><alarm name>") OR `.
 */
function compositeGroups(children: cloudwatch.IAlarm[]): cloudwatch.IAlarm[][] {
  const groups: cloudwatch.IAlarm[][] = [[]];
  let chars = 0;
  for (const child of children) {
    const name = (child.node.defaultChild as cloudwatch.CfnAlarm | cloudwatch.CfnCompositeAlarm | undefined);
    const literal = name && 'alarmName' in name ? name.alarmName : undefined;
    const size = 'ALARM("") OR '.length + ALARM_ARN_PREFIX_MAX_CHARS + (typeof literal === 'string' ? literal.length : 255);
    const current = groups[groups.length - 1];
    if (current.length >= COMPOSITE_MAX_CHILDREN || chars + size > COMPOSITE_RULE_MAX_CHARS) {
      groups.push([child]);
      chars = size;
    } else {
      current.push(child);
      chars += size;
    }
  }
  return groups;
}
