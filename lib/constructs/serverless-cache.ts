import { Annotations, Duration, Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { ALARMS } from '../catalog/alarms';
import { CacheFlavour } from '../catalog/metrics';
import { cacheArn, CacheBase, CacheMonitoringFacts, ICache, stackIdSuffix } from './cache-base';
import { CacheEngine } from './cache-engine';
import { ElastiCacheMetrics } from './metric-factory';
import { CacheFoundation } from './cache-foundation';
import { CacheCommonProps } from './cache-props';
import { CacheMonitoring } from './cache-monitoring';
import { CacheUser, CacheUserOptions } from './cache-user';
import { CacheNetworkType, checkSubnetsFor } from './network-type';
import { TtlPolicy } from './ttl-policy';
import { claimUniqueName } from './uniqueness';
import { checkEngineVersion } from './engine-version-check';
import { validateServerlessCacheProps, validateUsageLimits } from './validate-serverless-cache-props';
import { checkCacheId, checkEndpoint, deriveCacheId, invalid } from './validation';

/** Serverless caches listen on 6379 (primary) and 6380 (reads from replicas). */
const SERVERLESS_PORT = 6379;
const SERVERLESS_READER_PORT = 6380;

/**
 * Usage limits of a serverless cache. At the storage maximum the cache evicts keys that have a TTL (LRU) and rejects
 * writes with nothing to evict; at the ECPU maximum requests are throttled.
 */
export interface ServerlessUsageLimits {
  /**
   * Minimum data storage (whole GB, 1-5,000): capacity kept ready for a known load.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
   */
  readonly dataStorageMinimum?: Size;
  /**
   * Maximum data storage (whole GB, 1-5,000): caps the bill; alarms fire at 75 % of it.
   * @default - none (the cache grows as needed)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
   */
  readonly dataStorageMaximum?: Size;
  /**
   * Minimum ECPU per second (1,000-15,000,000).
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
   */
  readonly ecpuPerSecondMinimum?: number;
  /**
   * Maximum ECPU per second (1,000-15,000,000): caps the bill; requests beyond it are throttled.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
   */
  readonly ecpuPerSecondMaximum?: number;
}

/**
 * Properties of a `ServerlessCache`. A serverless cache has no eviction policy to choose: it evicts only at the storage
 * maximum, and then only keys that have a TTL (LRU). Give keys a TTL (`ttlPolicy`) and size
 * `usageLimits.dataStorageMaximum`, or use a `ClusterCache` to choose a policy.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
 */
export interface ServerlessCacheProps extends CacheCommonProps {
  /**
   * Cache name: 1-40 lower-case letters, digits and hyphens, starting with a letter. Also the `clusterId` metric dimension.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - derived from the construct path
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly serverlessCacheName?: string;
  /**
   * Engine; serverless caches use its major version only.
   * @default CacheEngine.VALKEY_8
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  readonly engine?: CacheEngine;
  /**
   * Usage limits (storage and ECPU/s).
   * @default - no limits
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html
   */
  readonly usageLimits?: ServerlessUsageLimits;
  /**
   * Time of the daily snapshot, `HH:MM` in UTC.
   * @default - chosen by ElastiCache
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly dailySnapshotTime?: string;
  /**
   * Snapshot ARNs to restore the cache from at creation.
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - start empty
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly snapshotArnsToRestore?: string[];
  /**
   * The IP protocols the cache accepts: IPv4, IPv6 or both. The selected subnets must fit it (IPv4 space for `IPV4`,
   * IPv6-only subnets for `IPV6`, both for `DUAL_STACK`); subnets defined in this app are checked at synth.
   * **Create-only**: the network type cannot change after creation; CloudFormation replaces the cache, which fails for
   * a named cache. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - not set: ElastiCache uses IPv4, or IPv6 when every subnet is IPv6-only
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-network-type.html
   */
  readonly networkType?: CacheNetworkType;
}

/** Attributes of an existing serverless cache. */
export interface ServerlessCacheAttributes {
  /**
   * The cache name.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly serverlessCacheName: string;
  /**
   * Endpoint address.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly endpointAddress: string;
  /**
   * Security groups of the cache, so that `connections` can open them.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly securityGroups: ec2.ISecurityGroup[];
  /**
   * Engine.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly engine?: CacheEngine;
  /**
   * TTL policy handed to bound clients.
   * @default - none
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * Maximum data storage, for alarms at a share of it.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly dataStorageMaximum?: Size;
  /**
   * Maximum ECPU per second, for alarms at a share of it.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly ecpuPerSecondMaximum?: number;
  /**
   * The IP protocols the cache accepts connections over: with `ipv6`, `bind()` lets functions connect over IPv6.
   * @default - unknown (IPv4, or dual stack)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-network-type.html
   */
  readonly networkType?: CacheNetworkType;
}

/** Behaviour shared by new and imported serverless caches. */
/**
 * An ElastiCache Serverless cache, created here or imported: what alarms, dashboards and clients need beyond `ICache`.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
 */
export interface IServerlessCache extends ICache {
  /** Configured maximum data storage, if any. */
  readonly dataStorageMaximum?: Size;
  /** Configured maximum ECPU per second, if any. */
  readonly ecpuPerSecondMaximum?: number;
  /**
   * ElastiCache Processing Units consumed.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  metricElastiCacheProcessingUnits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Requests throttled at the ECPU limit.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  metricThrottledCmds(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Commands processed.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  metricTotalCmdsCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
}

/** Behaviour of every serverless cache, created here or imported: metrics by `clusterId`. */
export abstract class ServerlessCacheBase extends CacheBase implements IServerlessCache {
  public readonly flavour = CacheFlavour.SERVERLESS;
  public readonly memberClusterIds: string[] = [];
  /** Configured maximum data storage, if any. */
  public abstract readonly dataStorageMaximum?: Size;
  /** Configured maximum ECPU per second, if any. */
  public abstract readonly ecpuPerSecondMaximum?: number;

  public get monitoringFacts(): CacheMonitoringFacts {
    return {
      shards: [],
      // Storage maximum in bytes, counting a GB as 10^9 bytes: if ElastiCache means GiB, alarms fire slightly early, never late.
      dataStorageMaximumBytes: this.dataStorageMaximum ? this.dataStorageMaximum.toGibibytes() * 1e9 : undefined,
      ecpuPerSecondMaximum: this.ecpuPerSecondMaximum,
      requireTtl: this.ttlPolicy?.requireTtl ?? false,
    };
  }

  /**
   * A metric with the `clusterId` dimension (docs/aws-facts.md: not `ServerlessCacheName`, which returns no data).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.singleMetric(metricName, this.cacheName, props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html */

  public metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return new ElastiCacheMetrics(this.flavour).hitRatio([this.cacheName], { period: Duration.minutes(1), ...props }, 0);
  }

  /**
   * ElastiCache Processing Units consumed.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  public metricElastiCacheProcessingUnits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ElastiCacheProcessingUnits', props);
  }

  /**
   * Requests throttled at the ECPU limit.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  public metricThrottledCmds(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ThrottledCmds', props);
  }

  /**
   * Commands processed.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  public metricTotalCmdsCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('TotalCmdsCount', props);
  }
}

/** An ElastiCache Serverless cache (Valkey or Redis OSS), TLS-only, encrypted, RBAC-secured, backed up daily. */
export class ServerlessCache extends ServerlessCacheBase {
  /**
   * Refer to a serverless cache that exists outside this app.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  public static fromServerlessCacheAttributes(scope: Construct, id: string, attrs: ServerlessCacheAttributes): IServerlessCache {
    class Import extends ServerlessCacheBase {
      public readonly cacheName = attrs.serverlessCacheName;
      public readonly cacheArn = cacheArn(scope, 'serverlesscache', attrs.serverlessCacheName);
      public readonly endpointAddress = attrs.endpointAddress;
      public readonly endpointPort = SERVERLESS_PORT;
      public readonly engine = attrs.engine;
      public readonly ttlPolicy = attrs.ttlPolicy;
      public readonly dataStorageMaximum = attrs.dataStorageMaximum;
      public readonly ecpuPerSecondMaximum = attrs.ecpuPerSecondMaximum;
      public readonly networkType = attrs.networkType;
      public readonly connections = new ec2.Connections({
        securityGroups: attrs.securityGroups,
        defaultPort: ec2.Port.tcpRange(SERVERLESS_PORT, SERVERLESS_READER_PORT),
      });
    }
    const where = `${scope.node.path}/${id}`;
    checkCacheId(where, 'serverlessCacheName', attrs.serverlessCacheName);
    checkEndpoint(where, 'endpointAddress', attrs.endpointAddress);
    // As for every import (README, "Existing caches"): attributes no serverless cache can have are refused.
    if (attrs.engine !== undefined && !attrs.engine.supportsServerless) {
      invalid(where, 'engine', attrs.engine.displayName, 'serverless caches run Valkey 7.2 or later, or Redis OSS 7');
    }
    if (attrs.engine !== undefined) checkEngineVersion(where, attrs.engine, 'serverless');
    if (attrs.networkType !== undefined && !Object.values(CacheNetworkType).includes(attrs.networkType)) {
      invalid(where, 'networkType', attrs.networkType, `allowed are ${Object.values(CacheNetworkType).join(', ')}`);
    }
    // The alarms divide by these maximums: a zero would put a division by zero into an alarm expression.
    validateUsageLimits(where, { dataStorageMaximum: attrs.dataStorageMaximum, ecpuPerSecondMaximum: attrs.ecpuPerSecondMaximum });
    return new Import(scope, id);
  }

  public readonly cacheName: string;
  public readonly cacheArn: string;
  public readonly endpointAddress: string;
  public readonly endpointPort = SERVERLESS_PORT;
  /** Reader endpoint port (reads from replicas). */
  public readonly readerEndpointPort = SERVERLESS_READER_PORT;
  /** The engine (never undefined on a created cache). */
  public readonly engine?: CacheEngine;
  public readonly ttlPolicy?: TtlPolicy;
  public readonly connections: ec2.Connections;
  public readonly dataStorageMaximum?: Size;
  public readonly ecpuPerSecondMaximum?: number;
  public readonly networkType?: CacheNetworkType;
  /** Alarms and dashboard, unless the `monitoring` prop turned them off. */
  public readonly monitoring?: CacheMonitoring;
  /** The underlying CloudFormation resource. */
  public readonly resource: elasticache.CfnServerlessCache;
  private readonly foundation: CacheFoundation;

  constructor(scope: Construct, id: string, props: ServerlessCacheProps) {
    super(scope, id);
    this.cacheName = props.serverlessCacheName ?? deriveCacheId(this);
    checkCacheId(this, 'serverlessCacheName', this.cacheName);
    claimUniqueName(this, 'cache', 'serverlessCacheName', this.cacheName);
    const { engine, limits, retention } = validateServerlessCacheProps(this, props);
    this.engine = engine;
    this.ttlPolicy = props.ttlPolicy;
    this.dataStorageMaximum = props.usageLimits?.dataStorageMaximum;
    this.ecpuPerSecondMaximum = props.usageLimits?.ecpuPerSecondMaximum;
    this.networkType = props.networkType;
    warnUnboundedUsage(this, props.usageLimits);

    this.foundation = new CacheFoundation(this, 'Access', {
      cacheName: this.cacheName,
      engine,
      flavour: this.flavour,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      defaultPort: ec2.Port.tcpRange(SERVERLESS_PORT, SERVERLESS_READER_PORT),
      encryptionKey: props.encryptionKey,
      ttlPolicy: props.ttlPolicy,
    });
    this.connections = this.foundation.connections;
    if (props.networkType !== undefined) checkSubnetsFor(this, props.networkType, this.foundation.subnets);

    this.resource = new elasticache.CfnServerlessCache(this, 'Resource', {
      serverlessCacheName: this.cacheName,
      description: props.description,
      engine: engine.engine,
      majorEngineVersion: engine.majorVersion,
      subnetIds: this.foundation.subnetIds,
      securityGroupIds: this.foundation.securityGroups.map((sg) => sg.securityGroupId),
      cacheUsageLimits: limits,
      kmsKeyId: props.encryptionKey?.keyArn,
      userGroupId: this.foundation.userGroup.ref,
      dailySnapshotTime: props.dailySnapshotTime,
      snapshotRetentionLimit: retention,
      // A fixed name would exist already when a re-created cache is deleted again (docs/aws-facts.md, "Deploy-time limits and traps").
      finalSnapshotName: (props.finalSnapshot ?? true) ? `${this.cacheName}-final-${stackIdSuffix()}` : undefined,
      snapshotArnsToRestore: props.snapshotArnsToRestore,
      networkType: props.networkType,
    });
    this.cacheArn = cacheArn(this, 'serverlesscache', this.cacheName);
    this.endpointAddress = this.resource.attrEndpointAddress;
    this.foundation.setEndpoint(this.endpointAddress, this.endpointPort);
    if (props.monitoring?.enabled ?? true) this.monitoring = new CacheMonitoring(this, 'Monitoring', { ...props.monitoring, cache: this });
  }

  /**
   * Adds an RBAC user (IAM authentication unless told otherwise) to the cache's user group.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public addUser(id: string, options: CacheUserOptions = {}): CacheUser {
    return this.foundation.addUser(this, id, options);
  }
}

/**
 * A serverless cache without maximums scales and bills without bound, and its near-limit alarms (storage-near-limit,
 * ecpu-near-limit) have no limit to measure against: AWS's operations review flags it (COST-06; docs/aws-facts.md,
 * "Engine support lifecycle and the defaults review"). A warning, not an error: the maximums depend on the load.
 */
/** The catalog alarm that exists only with a usage maximum set. */
function alarmWhen(condition: 'dataStorageMaximum' | 'ecpuMaximum'): string {
  return ALARMS.find((a) => a.appliesWhen?.[condition])!.id;
}

function warnUnboundedUsage(cache: Construct, limits: ServerlessUsageLimits | undefined): void {
  const unset = [
    { prop: 'usageLimits.dataStorageMaximum', unset: limits?.dataStorageMaximum === undefined, scales: 'storage', alarm: alarmWhen('dataStorageMaximum') },
    { prop: 'usageLimits.ecpuPerSecondMaximum', unset: limits?.ecpuPerSecondMaximum === undefined, scales: 'ECPU', alarm: alarmWhen('ecpuMaximum') },
  ].filter((l) => l.unset);
  if (unset.length === 0) return;
  const list = (key: 'prop' | 'scales' | 'alarm') => unset.map((l) => l[key]).join(' and ');
  Annotations.of(cache).addWarningV2('@ectk/serverless-cache:usage-limits',
    `${list('prop')} unset: ElastiCache scales ${list('scales')} without bound and bills every GB-hour and ECPU used, so a ` +
    `runaway writer or a retry storm shows up first on the bill; and no ${list('alarm')} alarm is created (they alarm at 75 % ` +
    'of a maximum). Pick the maximums from `ectk status <cache>` (peak BytesUsedForCache and ECPU per second) with headroom ' +
    'for growth (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.html).');
}
