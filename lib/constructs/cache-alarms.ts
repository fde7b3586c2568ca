import { CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  AlarmDefinition, ALARMS, cpuAlarmFor, HIT_RATIO_MINIMUM_REQUESTS, thresholdFor, thresholdRange,
} from '../catalog/alarms';
import {
  ALARM_ARN_PREFIX_MAX_CHARS, ALARM_DESCRIPTION_MAX_CHARS, ALARM_MAX_METRICS, COMPOSITE_MAX_CHILDREN, COMPOSITE_RULE_MAX_CHARS, STACK_MAX_RESOURCES,
  TEMPLATE_MAX_BYTES,
} from '../catalog/limits';
import { CacheFlavour, ELASTICACHE_NAMESPACE, metricDimensions } from '../catalog/metrics';
import { nodeTypeFacts } from '../catalog/node-types';
import { ICache } from './cache-base';
import { Durability } from './durability';
import { checkAlarmPeriod, checkInteger, checkNumber, invalid } from './validation';

/** Where runbooks live when no `runbookBaseUrl` is given: this repository's runbooks folder. */
export const DEFAULT_RUNBOOK_BASE_URL = 'runbooks/';

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

    for (const def of this.applicable()) {
      const override = overrides[def.id] ?? {};
      if (override.enabled === false) continue;
      const facts = this.cache.monitoringFacts;
      const threshold = override.threshold ?? thresholdFor(def, { nodeType: facts.nodeType, evictsAnyKey: facts.evictsAnyKey });
      const period = override.period ?? Duration.seconds(def.periodSeconds);
      const targets = this.targets(def, period, props);
      targets.forEach((target, i) => {
        const suffix = targets.length > 1 ? `-${target.suffix ?? i + 1}` : '';
        const alarm = new cloudwatch.Alarm(this, `${def.id}${suffix}`, {
          alarmName: `${this.cache.cacheName}-${def.id}${suffix}`,
          alarmDescription: this.description(def, threshold, target.scope),
          metric: target.metric,
          threshold,
          comparisonOperator: def.comparison as cloudwatch.ComparisonOperator,
          evaluationPeriods: override.evaluationPeriods ?? def.evaluationPeriods,
          datapointsToAlarm: override.datapointsToAlarm ?? def.datapointsToAlarm,
          treatMissingData: def.treatMissingData as cloudwatch.TreatMissingData,
        });
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        this.alarms.push({ id: def.id, alarm, threshold });
      });
    }

    const critical = this.alarms.filter((a) => ALARMS.find((d) => d.id === a.id)?.severity === 'critical');
    if (critical.length > 0) {
      const def = ALARMS.find((d) => d.id === 'cache-unhealthy')!;
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
      alarmDescription: this.description(def, undefined, names),
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
      const key = alarmId ?? (c.cfnResourceType === 'AWS::CloudWatch::Dashboard' ? 'dashboard' : c.cfnResourceType === 'AWS::CloudWatch::CompositeAlarm' ? 'cache-unhealthy' : 'other');
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

  /** The catalog entries that apply to this cache's flavour and configuration. */
  private applicable(): AlarmDefinition[] {
    const facts = this.cache.monitoringFacts;
    const flavour = this.cache.flavour;
    return ALARMS.filter((def) => {
      if (def.kind === 'composite' || !def.flavours.includes(flavour)) return false;
      const tiered = facts.nodeType !== undefined && (nodeTypeFacts(facts.nodeType)?.dataTiering ?? false);
      switch (def.id) {
        // Data tiering nodes run memory full by design; their capacity is memory and SSD together (docs/aws-facts.md,
        // "CloudWatch metrics", DatabaseCapacityUsagePercentage).
        case 'memory-high':
        case 'memory-critical':
          return !tiered;
        case 'capacity-high':
        case 'capacity-critical':
          return tiered;
        // docs/aws-facts.md, "CloudWatch metrics": "Available for Valkey 9.1 and later".
        case 'database-authorization-failures':
          return this.cache.engine !== undefined && this.cache.engine.isAtLeast('valkey', 9, 1);
        case 'engine-cpu-high':
        case 'cpu-high':
          return cpuAlarmFor(facts.nodeType) === def.id;
        case 'replication-lag':
        case 'replication-lag-critical':
          return (facts.replicasPerShard ?? 1) > 0;
        case 'storage-near-limit':
          return facts.dataStorageMaximumBytes !== undefined;
        case 'ecpu-near-limit':
          return facts.ecpuPerSecondMaximum !== undefined;
        case 'ttl-missing':
          return facts.requireTtl;
        // Both are always 0 under synchronous durability (ElastiCache Durability "Monitoring").
        case 'durability-lag':
        case 'durability-writes-rejected':
          return facts.durability === Durability.ASYNC;
        default:
          return true;
      }
    });
  }

  /**
   * Summary, threshold, scope and runbook link, within CloudWatch's 1,024 characters: a long scope is shortened to its
   * first entries and a count.
   */
  private description(def: AlarmDefinition, threshold: number | undefined, scope: string | string[] | undefined): string {
    const head = [def.summary];
    if (threshold !== undefined) head.push(`Threshold: ${threshold} ${def.unit}.`.replace(' .', '.'));
    const entries = scope === undefined ? [] : Array.isArray(scope) ? scope : [scope];
    const render = (shown: number) => {
      const listed = entries.slice(0, shown).join(', ') + (shown < entries.length ? ` and ${entries.length - shown} more` : '');
      return withRunbook([...head, ...(entries.length > 0 ? [`Scope: ${listed}.`] : [])].join(' '), this.runbookBaseUrl, def.runbook);
    };
    let shown = entries.length;
    while (shown > 1 && render(shown).length > ALARM_DESCRIPTION_MAX_CHARS) shown--;
    const text = render(shown);
    if (text.length > ALARM_DESCRIPTION_MAX_CHARS) {
      invalid(this, 'runbookBaseUrl', this.runbookBaseUrl, `alarm descriptions hold at most ${ALARM_DESCRIPTION_MAX_CHARS} characters and this one would take ${text.length}; use a shorter base URL`);
    }
    return text;
  }

  /** The metric (or metrics, chunked or per node) that one catalog entry alarms on. */
  private targets(def: AlarmDefinition, period: Duration, props: CacheAlarmsOptions): Array<{ metric: cloudwatch.IMetric; scope?: string; suffix?: string }> {
    const facts = this.cache.monitoringFacts;
    const serverless = this.cache.flavour === CacheFlavour.SERVERLESS;
    const nodes = serverless ? [this.cache.cacheName] : facts.shards.flatMap((s) => s.memberClusterIds);
    const metricOf = (name: string, node: string, statistic: string = def.statistic) => new cloudwatch.Metric({
      namespace: ELASTICACHE_NAMESPACE,
      metricName: name,
      dimensionsMap: metricDimensions(this.cache.flavour, node),
      statistic,
      period,
    });

    switch (def.kind) {
      case 'hit-ratio': {
        const minimum = props.hitRatioMinimumRequests ?? HIT_RATIO_MINIMUM_REQUESTS;
        if (serverless) {
          // Serverless caches publish CacheHitRate, not CacheMisses (docs/aws-facts.md); commands measure the traffic.
          const [rate, commands] = def.serverlessMetrics!;
          return [{
            metric: new cloudwatch.MathExpression({
              expression: `IF(cmds >= ${minimum}, rate, 100)`,
              usingMetrics: { rate: metricOf(rate, nodes[0], 'Average'), cmds: metricOf(commands, nodes[0], 'Sum') },
              label: 'Hit ratio (%)',
              period,
            }),
          }];
        }
        return chunk(nodes, ALARM_MAX_METRICS / 2).map((group) => ({
          scope: serverless ? undefined : describeNodes(group),
          metric: new cloudwatch.MathExpression({
            expression: `IF(hits + misses >= ${minimum}, 100 * hits / (hits + misses), 100)`,
            usingMetrics: {
              hits: sumOf(group.map((n) => metricOf('CacheHits', n)), period, 'h'),
              misses: sumOf(group.map((n) => metricOf('CacheMisses', n)), period, 'm'),
            },
            label: 'Hit ratio (%)',
            period,
          }),
        }));
      }
      case 'missing-ttl': {
        // Every node of a shard holds the same keys, so one node per shard counts the keyspace.
        const counted = serverless ? nodes : facts.shards.map((s) => s.memberClusterIds[0]);
        return chunk(counted, ALARM_MAX_METRICS / 2).map((group) => ({
          scope: serverless ? undefined : `shards of ${describeNodes(group)}`,
          metric: new cloudwatch.MathExpression({
            expression: 'IF(items > 0, 100 * (items - volatile) / items, 0)',
            usingMetrics: {
              items: sumOf(group.map((n) => metricOf('CurrItems', n)), period, 'i'),
              volatile: sumOf(group.map((n) => metricOf('CurrVolatileItems', n)), period, 'v'),
            },
            label: 'Keys without TTL (%)',
            period,
          }),
        }));
      }
      case 'per-second':
        return [{
          metric: new cloudwatch.MathExpression({
            expression: `100 * (ecpu / PERIOD(ecpu)) / ${facts.ecpuPerSecondMaximum}`,
            usingMetrics: { ecpu: metricOf(def.metrics[0], nodes[0]) },
            label: 'ECPU/s (% of maximum)',
            period,
          }),
        }];
      default: {
        if (def.id === 'storage-near-limit') {
          return [{
            metric: new cloudwatch.MathExpression({
              expression: `100 * bytes / ${facts.dataStorageMaximumBytes}`,
              usingMetrics: { bytes: metricOf(def.metrics[0], nodes[0]) },
              label: 'Storage (% of maximum)',
              period,
            }),
          }];
        }
        if (props.perNodeAlarms && !serverless && def.combine === 'MAX' && def.metrics.length === 1) {
          return nodes.map((n) => ({ metric: metricOf(def.metrics[0], n), scope: n, suffix: n }));
        }
        const pairs = nodes.flatMap((n) => def.metrics.map((m) => metricOf(m, n)));
        if (pairs.length === 1) return [{ metric: pairs[0] }];
        const nodesPerChunk = Math.max(1, Math.floor(ALARM_MAX_METRICS / def.metrics.length));
        return chunk(nodes, nodesPerChunk).map((group) => {
          const usingMetrics: Record<string, cloudwatch.IMetric> = {};
          group.forEach((n, i) => def.metrics.forEach((m, j) => { usingMetrics[`m${i}_${j}`] = metricOf(m, n); }));
          return {
            scope: serverless ? undefined : describeNodes(group),
            metric: new cloudwatch.MathExpression({
              expression: `${def.combine}([${Object.keys(usingMetrics).join(',')}])`,
              usingMetrics,
              label: `${def.id} (${def.combine.toLowerCase()})`,
              period,
            }),
          };
        });
      }
    }
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

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** SUM of metrics; ids carry a prefix because ids must be unique across nested expressions. */
function sumOf(metrics: cloudwatch.Metric[], period: Duration, prefix: string): cloudwatch.IMetric {
  if (metrics.length === 1) return metrics[0];
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`${prefix}${i}`, m]));
  return new cloudwatch.MathExpression({ expression: `SUM([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, period });
}

function describeNodes(nodes: string[]): string {
  return nodes.length === 1 ? nodes[0] : `${nodes[0]} .. ${nodes[nodes.length - 1]} (${nodes.length} nodes)`;
}
