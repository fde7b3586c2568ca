import { Annotations, ArnFormat, Aws, Duration, Fn, IResource, Resource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildContract, CONTRACT_ENV, flatEnvironment } from '../catalog/connection';
import { CacheFlavour, findMetric, MetricDefinition, publishedMetrics } from '../catalog/metrics';
import { CacheEngine } from './cache-engine';
import { ElastiCacheMetrics } from './metric-factory';
import { Durability } from './durability';
import { CacheUser, ICacheUser } from './cache-user';
import { CacheNetworkType } from './network-type';
import { TtlPolicy, ttlPolicySpec } from './ttl-policy';
import { invalid } from './validation';

/** Options for `cache.bind()`. */
export interface BindOptions {
  /**
   * The RBAC user the function connects as.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  readonly user: ICacheUser;
}

/** One shard (node group) of a cluster and its member clusters (nodes). */
export interface ClusterShard {
  /**
   * Node group id, `0001`, `0002`, ...
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly shardId: string;
  /**
   * Member cluster ids of the shard's nodes, `<rg>-<shard>-001`, ... (which one is primary changes on failover).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly memberClusterIds: string[];
}

/** What alarms and dashboards need to know about a cache's configuration. */
export interface CacheMonitoringFacts {
  /**
   * Shards and member nodes; empty for serverless caches.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly shards: ClusterShard[];
  /**
   * Node type.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly nodeType?: string;
  /**
   * Whether the eviction policy evicts any key (allkeys-*).
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly evictsAnyKey?: boolean;
  /**
   * Replicas per shard.
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly replicasPerShard?: number;
  /**
   * Serverless storage maximum in bytes.
   * @default - no maximum
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly dataStorageMaximumBytes?: number;
  /**
   * Serverless ECPU per second maximum.
   * @default - no maximum
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly ecpuPerSecondMaximum?: number;
  /**
   * Whether the TTL policy requires every key to carry a TTL.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly requireTtl: boolean;
  /**
   * Durability of a node-based cache: with `ASYNC` the durability alarms apply.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Durability.Monitoring.html
   */
  readonly durability?: Durability;
  /**
   * Whether the cache is a Global Datastore secondary (its replication lag behind the primary Region is alarmed on).
   * @default false
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastore.html
   */
  readonly globalSecondary?: boolean;
}

/** A cache of either flavour, created here or imported. */
export interface ICache extends IResource, ec2.IConnectable {
  /** Serverless cache name or replication group id. */
  readonly cacheName: string;
  /** Serverless or node-based cluster. */
  readonly flavour: CacheFlavour;
  /** ARN of the serverless cache or replication group. */
  readonly cacheArn: string;
  /** The endpoint clients connect to (serverless endpoint or configuration endpoint). */
  readonly endpointAddress: string;
  /** The port clients connect to. */
  readonly endpointPort: number;
  /** The engine, when known. */
  readonly engine?: CacheEngine;
  /** The TTL policy handed to clients, when the cache has one. */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * The IP protocols the cache accepts connections over, when known (serverless caches): `bind()` lets a function
   * reach an IPv6-only cache over IPv6.
   */
  readonly networkType?: CacheNetworkType;
  /** Member cluster ids of the nodes (node-based caches); empty for serverless caches. */
  readonly memberClusterIds: string[];
  /** Configuration facts that alarm thresholds depend on. */
  readonly monitoringFacts: CacheMonitoringFacts;

  /**
   * A metric of this cache by name (`CacheMetric.EVICTIONS`, ...), with the dimension its flavour uses; across all nodes for
   * node-based caches. A name the flavour does not publish is refused with the list of those it does.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Cache hits.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Hit ratio in percent, 100 while there are no reads: `CacheHitRate` for serverless caches (they publish no
   * `CacheMisses`), 100 × hits / (hits + misses) over all nodes for clusters.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Keys evicted.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Open client connections.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Accepted connections.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricNewConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Items stored.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricCurrItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Items with a TTL.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricCurrVolatileItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Bytes used for data.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Read latency in the engine (microseconds).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricSuccessfulReadRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Write latency in the engine (microseconds).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  metricSuccessfulWriteRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Lets the grantee connect as the user: `elasticache:Connect` on the cache ARN and on the user ARN (both are
   * required for IAM authentication). No KMS grant: ElastiCache uses the at-rest key itself, clients never do.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  grantConnect(grantee: iam.IGrantable, user: ICacheUser): iam.Grant;

  /**
   * Environment variables a client needs to connect as the user (the connection contract).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  connectionEnvironment(user: ICacheUser): { [name: string]: string };

  /**
   * Connects a function to the cache: opens the cache's security group to it, grants connect (and the password
   * secret for password users), and sets the connection contract in its environment. The function is one defined in
   * this app (a `Function`, or an alias or version of one): an imported function's environment cannot be set from
   * here, so it is refused; grant it with `grantConnect()`, open `connections`, and set `connectionEnvironment(user)`
   * where the function is defined.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  bind(fn: lambda.IFunction, options: BindOptions): void;
}

/** Shared behaviour of both flavours, new or imported. */
export abstract class CacheBase extends Resource implements ICache {
  public abstract readonly cacheName: string;
  public abstract readonly flavour: CacheFlavour;
  public abstract readonly cacheArn: string;
  public abstract readonly endpointAddress: string;
  public abstract readonly endpointPort: number;
  public abstract readonly engine?: CacheEngine;
  public abstract readonly ttlPolicy?: TtlPolicy;
  public readonly networkType?: CacheNetworkType;
  public abstract readonly memberClusterIds: string[];
  public abstract readonly monitoringFacts: CacheMonitoringFacts;
  public abstract readonly connections: ec2.Connections;

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public abstract metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheHits', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html */

  public abstract metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('Evictions', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrConnections', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricNewConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('NewConnections', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricCurrItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrItems', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricCurrVolatileItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrVolatileItems', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('BytesUsedForCache', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricSuccessfulReadRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulReadRequestLatency', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html */

  public metricSuccessfulWriteRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulWriteRequestLatency', props);
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html */

  public grantConnect(grantee: iam.IGrantable, user: ICacheUser): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticache:Connect'],
      resourceArns: [this.cacheArn, user.userArn],
    });
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html */

  public connectionEnvironment(user: ICacheUser): { [name: string]: string } {
    const contract = buildContract({
      cacheName: this.cacheName, flavour: this.flavour, engine: this.engine?.engine, engineVersion: this.engine?.version,
      endpoint: this.endpointAddress, port: this.endpointPort, region: Stack.of(this).region, ttlPolicy: this.ttlPolicy && ttlPolicySpec(this.ttlPolicy),
    }, [{ userName: user.userName, authentication: user.authentication, passwordSecretArn: user.passwordSecret?.secretArn }]);
    // The document for connect() (tokens rendered by the stack), and the same fields flat for shell users.
    return { [CONTRACT_ENV]: Stack.of(this).toJsonString(contract), ...flatEnvironment(contract) };
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html */

  public bind(fn: lambda.IFunction, options: BindOptions): void {
    const defined = definedFunction(fn);
    if (!defined) {
      invalid(this, 'bind(fn)', fn.node.path, 'a function defined in this app (lambda.Function, or an alias or version of one): an imported ' +
        'function\'s environment cannot be set here; use grantConnect(), connections.allowDefaultPortFrom() and connectionEnvironment(user) instead');
    }
    if (options.user instanceof CacheUser && options.user.cacheName !== this.cacheName) {
      invalid(this, 'bind(fn, { user })', options.user.node.path, `the user belongs to ${options.user.cacheName}; the user group of ${this.cacheName} does not hold it, so it could not log in: add a user to ${this.cacheName} with addUser()`);
    }
    // The network, the grants and the environment all belong to the function itself (an alias shares its role).
    if (!defined.isBoundToVpc) {
      invalid(this, 'bind(fn)', fn.node.path, 'the function must run in the cache\'s VPC (set its vpc prop); caches have no public endpoint');
    }
    if (this.networkType === CacheNetworkType.IPV6) allowIpv6Out(this, defined);
    this.connections.allowDefaultPortFrom(defined, `${defined.node.id} to ${this.cacheName}`);
    this.grantConnect(defined, options.user);
    options.user.passwordSecret?.grantRead(defined);
    for (const [name, value] of Object.entries(this.connectionEnvironment(options.user))) {
      defined.addEnvironment(name, value);
    }
  }

  /**
   * A metric with this cache's dimensions for a given dimension value: `clusterId` = the serverless name, or
   * `CacheClusterId` = a member cluster id with `CacheNodeId` = 0001 (docs/aws-facts.md, "CloudWatch metrics").
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  protected singleMetric(metricName: string, dimensionValue: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const definition = definitionOfMetric(this, metricName);
    return new ElastiCacheMetrics(this.flavour).node(metricName, dimensionValue, { statistic: definition.statistic, period: Duration.minutes(1), ...props });
  }
}

/** The `Function` behind a function, alias or version defined in this app; undefined for an imported function. */
function definedFunction(fn: lambda.IFunction): lambda.Function | undefined {
  if (fn instanceof lambda.Function) return fn;
  if (fn instanceof lambda.Alias) return definedFunction(fn.version);
  if (fn instanceof lambda.Version) return definedFunction(fn.lambda);
  return undefined;
}

/** ARN of a serverless cache or replication group (docs/aws-facts.md, "ARNs": colon before the name). */
export function cacheArn(scope: Construct, resource: 'serverlesscache' | 'replicationgroup', name: string): string {
  return Stack.of(scope).formatArn({ service: 'elasticache', resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * The first group of the stack's UUID (8 hex digits), resolved at deploy time: it differs between a stack and the stack
 * re-created under the same name, so names that outlive a stack (final snapshots, retained log groups) never collide.
 */
export function stackIdSuffix(): string {
  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
  return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
}

/**
 * An IPv6-only cache has IPv6 endpoints only. Lambda documents outbound IPv6 for functions in dual-stack subnets, with
 * `VpcConfig.Ipv6AllowedForDualStack` (docs/aws-facts.md, "Lambda"): set it; refuse a subnet defined in this app that
 * has no IPv6 address, and warn of an IPv6-only one, which Lambda's pages do not describe for functions.
 */
function allowIpv6Out(cache: CacheBase, fn: lambda.Function): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  cfn.addPropertyOverride('VpcConfig.Ipv6AllowedForDualStack', true);
  const stack = Stack.of(fn);
  const subnetIds = JSON.stringify(stack.resolve((cfn.vpcConfig as lambda.CfnFunction.VpcConfigProperty | undefined)?.subnetIds ?? []));
  const fnSubnets = stack.node.findAll().filter((c): c is ec2.CfnSubnet => c instanceof ec2.CfnSubnet)
    .filter((subnet) => subnetIds.includes(JSON.stringify(stack.resolve(subnet.ref))));
  const where = (subnet: ec2.CfnSubnet) => subnet.node.scope?.node.path ?? subnet.node.path;
  const ipv4Only = fnSubnets.filter((subnet) => subnet.ipv6CidrBlock === undefined && subnet.ipv6Native !== true);
  if (ipv4Only.length > 0) {
    invalid(cache, 'bind(fn)', fn.node.path, `a function in dual-stack subnets (IPv4 and IPv6): ${cache.cacheName} accepts IPv6 connections ` +
      `only (networkType ipv6), and subnet ${where(ipv4Only[0])} has no IPv6 address. Place the function with its vpcSubnets`);
  }
  const ipv6Only = fnSubnets.filter((subnet) => subnet.ipv6Native === true);
  if (ipv6Only.length > 0) {
    Annotations.of(fn).addWarningV2('@ectk/bind:ipv6-only-subnet', `bound to ${cache.cacheName} (networkType ipv6) from IPv6-only subnet ` +
      `${where(ipv6Only[0])}: Lambda documents outbound IPv6 for functions in dual-stack subnets (Ipv6AllowedForDualStack, set by bind()); ` +
      'prefer dual-stack subnets for the function (https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfig.html).');
  }
}

/**
 * The catalog's definition of a metric a cache's flavour publishes; any other name is refused with the construct's
 * path and the names it does publish.
 */
export function definitionOfMetric(cache: ICache, metricName: string): MetricDefinition {
  return findMetric(cache.flavour, metricName) ?? invalid(cache, 'metricName', metricName, publishedMetrics(cache.flavour));
}
