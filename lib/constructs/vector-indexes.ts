import { CfnResource, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { CLUSTER_CLIENT_COMMANDS } from '../catalog/connection';
import { alarmApplies, SEARCH_ALARMS, thresholdFor } from '../catalog/alarms';
import { CacheFlavour } from '../catalog/metrics';
import { nodeMaxmemoryBytes } from '../catalog/node-memory';
import { SEARCH_DIMENSION, SEARCH_HEALTH_INTERVAL_MINUTES } from '../catalog/search-health';
import {
  LOGIN_WAIT_ENV, LOGIN_WAIT_SECONDS, VECTOR_INDEX_DOCUMENT_VERSION, VECTOR_INDEX_RESOURCE_TYPE, VectorIndexDocument, VectorIndexSpec,
} from '../catalog/vector-index';
import { AccessString, CommandCategory } from './access-string';
import { bundleFunction } from './bundle-function';
import { alarmTargets } from './alarm-targets';
import { cacheSubnetSelection } from './cache-foundation';
import { alarmDescription, createAlarmTopic, createCatalogAlarm, runbookBase } from './catalog-alarm';
import type { ClusterCache } from './cluster-cache';
import { CacheUser, UserAuthentication } from './cache-user';
import { VectorIndexChangePolicy } from './vector-index-options';

/** The commands the index function runs: the FT commands, INFO for the health metrics, and cluster routing. */
export const VECTOR_INDEX_COMMANDS = ['ft.create', 'ft.info', 'ft.dropindex', 'ft._list', 'info', ...CLUSTER_CLIENT_COMMANDS];

/** The index function's access string: the commands it runs, on the keys under the index prefixes only. */
export function indexManagerAccess(prefixes: readonly string[]): AccessString {
  return AccessString.of({
    keyPatterns: prefixes.map((p) => `${p}*`), allow: [CommandCategory.CONNECTION, CommandCategory.READ, CommandCategory.WRITE],
    deny: [CommandCategory.DANGEROUS], allowCommands: VECTOR_INDEX_COMMANDS,
  });
}

export interface VectorIndexesProps {
  readonly cache: ClusterCache;
  /** The cache's user group, which the function's user joins: the function runs after the group has changed. */
  readonly userGroup: CfnResource;
  readonly indexes: VectorIndexSpec[];
  readonly changePolicy: VectorIndexChangePolicy;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly reservedMemoryPercent: number;
  readonly alarmTopic?: sns.ITopic;
  readonly runbookBaseUrl?: string;
}

/**
 * The deploy-time side of ClusterCache's `vectorIndexes`: a function in the cache's VPC, bound as an IAM user confined
 * to the index prefixes, that creates the indexes through a custom resource (after the cache and its user exist), and
 * its twin that every 5 minutes writes their health as embedded-metric-format log lines; and the alarms on that health, each with its runbook.
 */
export class VectorIndexes extends Construct {
  public readonly fn: lambda.Function;
  public readonly user: CacheUser;
  public readonly resource: CustomResource;
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: VectorIndexesProps) {
    super(scope, id);
    const { cache } = props;
    const prefixes = [...new Set(props.indexes.flatMap((s) => s.keyPrefixes))];
    this.user = cache.addUser('IndexManager', {
      authentication: UserAuthentication.IAM,
      // valkey-search runs FT.CREATE, FT.INFO and FT.DROPINDEX only for a user whose key patterns cover every prefix
      // of the index, and (1.0.x) only when the user's rules name a category of the command: FT.CREATE and
      // FT.DROPINDEX are @write, FT.INFO and FT._LIST @read; `+ft.create` alone is refused (tested on the engine,
      // docs/aws-facts.md, "Vector search on the engine"). So @read and @write, confined to the index prefixes; no other key.
      accessString: indexManagerAccess(prefixes),
    });
    // The cache's subnets; out to the cache port only (bind() opens it): the IAM token is signed locally, and the
    // health metrics leave through the function's logs.
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, description: `Vector index functions of ${cache.cacheName}: out to the cache port only`, allowAllOutbound: false,
    });
    const network = { vpc: props.vpc, subnets: cacheSubnetSelection(props.vpc, props.vpcSubnets), securityGroup };
    this.fn = bundleFunction(this, 'Function', {
      handler: 'vector-indexes.onEvent', description: `Creates the vector indexes of ${cache.cacheName} (custom resource)`,
      memorySize: 256, timeout: Duration.minutes(2), environment: { [LOGIN_WAIT_ENV]: String(LOGIN_WAIT_SECONDS) }, publishes: false, network,
    });
    cache.bind(this.fn, { user: this.user });

    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.fn });
    // The provider framework's own function may invoke any version of the index function, and nothing else.
    const fnLogicalId = Stack.of(this).getLogicalId(this.fn.node.defaultChild as lambda.CfnFunction);
    Validations.of(provider).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
        reason: 'The CDK provider framework\'s function may invoke any version of the index function it fronts, and nothing else.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The CDK provider framework\'s function: the AWS managed minimum for its logs; it only invokes the index function.',
      },
    );
    const document: VectorIndexDocument = { version: VECTOR_INDEX_DOCUMENT_VERSION, indexes: props.indexes, changePolicy: props.changePolicy };
    this.resource = new CustomResource(this, 'Indexes', {
      serviceToken: provider.serviceToken,
      resourceType: VECTOR_INDEX_RESOURCE_TYPE,
      // CacheName lets the rule pack find the replication group the indexes live on (VectorIndexHost).
      properties: { CacheName: cache.cacheName, Document: Stack.of(this).toJsonString(document) },
    });
    // The cache, the function's user and the user group it joins must exist before the function can log in. Adding the
    // user to the group of an existing cache is applied after CloudFormation moves on, so the function also waits,
    // bounded, until the login works (LOGIN_WAIT_ENV).
    this.resource.node.addDependency(cache.resource, this.user, props.userGroup);

    const watcher = bundleFunction(this, 'Watch', {
      handler: 'vector-indexes.watch', description: `Publishes the vector index health of ${cache.cacheName}`,
      memorySize: 256, timeout: Duration.minutes(1), environment: {}, publishes: false, network,
    });
    cache.bind(watcher, { user: this.user });
    new events.Rule(this, 'Schedule', {
      description: `Vector index health of ${cache.cacheName} every ${SEARCH_HEALTH_INTERVAL_MINUTES} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(SEARCH_HEALTH_INTERVAL_MINUTES)),
      targets: [new targets.LambdaFunction(watcher, { retryAttempts: 0 })],
    });

    const topic = props.alarmTopic ?? createAlarmTopic(this, cache.cacheName);
    const action = new actions.SnsAction(topic);
    const facts = cache.monitoringFacts;
    const subject = { flavour: CacheFlavour.CLUSTER, reservedMemoryPercent: props.reservedMemoryPercent };
    this.alarms = SEARCH_ALARMS.filter((def) => alarmApplies(def, subject)).flatMap((def) => {
      const threshold = thresholdFor(def, subject);
      const targets = alarmTargets(def, {
        flavour: CacheFlavour.CLUSTER, nodes: facts.shards.flatMap((s) => s.memberClusterIds), period: Duration.seconds(def.periodSeconds),
        hitRatioMinimumRequests: 0, toolkitDimensions: { [SEARCH_DIMENSION]: cache.cacheName },
        // validateVectorIndexes refuses node types whose maxmemory the toolkit does not know.
        maxmemoryBytes: nodeMaxmemoryBytes(facts.nodeType!)!,
      });
      return targets.map((target, i) => {
        const suffix = targets.length > 1 ? `-${i + 1}` : '';
        return createCatalogAlarm(this, `${def.id}${suffix}`, {
          def, alarmName: `${cache.cacheName}-${def.id}${suffix}`,
          alarmDescription: alarmDescription(this, def, runbookBase(this, props.runbookBaseUrl), { threshold }),
          metric: target.metric, threshold, action,
        });
      });
    });
  }

}
