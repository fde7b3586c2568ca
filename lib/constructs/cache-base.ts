import { ArnFormat, Aws, Duration, Fn, IResource, Lazy, Resource, Stack, Token, Tokenization, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { CONNECTION_ENV, ConnectionContract } from '../catalog/connection';
import { SSM_MAX_CHARS, TOKEN_MAX_CHARS } from '../catalog/limits';
import { CacheFlavour, ELASTICACHE_NAMESPACE, metricDefinition, metricDimensions } from '../catalog/metrics';
import { AccessString } from './access-string';
import { CacheEngine } from './cache-engine';
import { CacheUser, CacheUserOptions, ICacheUser } from './cache-user';
import { ELASTICACHE_PASSWORD } from './passwords';
import { TtlPolicy, ttlPolicySpec } from './ttl-policy';
import { invalid } from './validation';

/** Options for `cache.bind()`. */
export interface BindOptions {
  /** The RBAC user the function connects as. */
  readonly user: ICacheUser;
}

/** One shard (node group) of a cluster and its member clusters (nodes). */
export interface ClusterShard {
  /** Node group id, `0001`, `0002`, ... */
  readonly shardId: string;
  /** Member cluster ids of the shard's nodes, `<rg>-<shard>-001`, ... (which one is primary changes on failover). */
  readonly memberClusterIds: string[];
}

/** What alarms and dashboards need to know about a cache's configuration. */
export interface CacheMonitoringFacts {
  /** Shards and member nodes; empty for serverless caches. */
  readonly shards: ClusterShard[];
  /**
   * Node type.
   * @default - unknown
   */
  readonly nodeType?: string;
  /**
   * Whether the eviction policy evicts any key (allkeys-*).
   * @default - unknown
   */
  readonly evictsAnyKey?: boolean;
  /**
   * Replicas per shard.
   * @default - unknown
   */
  readonly replicasPerShard?: number;
  /**
   * Serverless storage maximum in bytes.
   * @default - no maximum
   */
  readonly dataStorageMaximumBytes?: number;
  /**
   * Serverless ECPU per second maximum.
   * @default - no maximum
   */
  readonly ecpuPerSecondMaximum?: number;
  /** Whether the TTL policy requires every key to carry a TTL. */
  readonly requireTtl: boolean;
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
  /** Member cluster ids of the nodes (node-based caches); empty for serverless caches. */
  readonly memberClusterIds: string[];
  /** Configuration facts that alarm thresholds depend on. */
  readonly monitoringFacts: CacheMonitoringFacts;

  /** A metric of this cache, with the dimension its flavour uses; across all nodes for node-based caches. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Cache hits. */
  metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /**
   * Hit ratio in percent, 100 while there are no reads: `CacheHitRate` for serverless caches (they publish no
   * `CacheMisses`), 100 × hits / (hits + misses) over all nodes for clusters.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/serverless-metrics-events-redis.html
   */
  metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Keys evicted. */
  metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Open client connections. */
  metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Accepted connections. */
  metricNewConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Items stored. */
  metricCurrItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Items with a TTL. */
  metricCurrVolatileItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Bytes used for data. */
  metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Read latency in the engine (microseconds). */
  metricSuccessfulReadRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** Write latency in the engine (microseconds). */
  metricSuccessfulWriteRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  /**
   * Lets the grantee connect as the user: `elasticache:Connect` on the cache ARN and on the user ARN (both are
   * required for IAM authentication). No KMS grant: ElastiCache uses the at-rest key itself, clients never do.
   */
  grantConnect(grantee: iam.IGrantable, user: ICacheUser): iam.Grant;

  /** Environment variables a client needs to connect as the user (the connection contract). */
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
  public abstract readonly memberClusterIds: string[];
  public abstract readonly monitoringFacts: CacheMonitoringFacts;
  public abstract readonly connections: ec2.Connections;

  public abstract metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  public metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheHits', props);
  }

  public abstract metricHitRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric;

  public metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('Evictions', props);
  }

  public metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrConnections', props);
  }

  public metricNewConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('NewConnections', props);
  }

  public metricCurrItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrItems', props);
  }

  public metricCurrVolatileItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrVolatileItems', props);
  }

  public metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('BytesUsedForCache', props);
  }

  public metricSuccessfulReadRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulReadRequestLatency', props);
  }

  public metricSuccessfulWriteRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulWriteRequestLatency', props);
  }

  public grantConnect(grantee: iam.IGrantable, user: ICacheUser): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticache:Connect'],
      resourceArns: [this.cacheArn, user.userArn],
    });
  }

  public connectionEnvironment(user: ICacheUser): { [name: string]: string } {
    const env: { [name: string]: string } = {
      [CONNECTION_ENV.cacheName]: this.cacheName,
      [CONNECTION_ENV.flavour]: this.flavour,
      [CONNECTION_ENV.endpoint]: this.endpointAddress,
      [CONNECTION_ENV.port]: String(this.endpointPort),
      [CONNECTION_ENV.tls]: 'true',
      [CONNECTION_ENV.clusterMode]: 'true',
      [CONNECTION_ENV.user]: user.userName,
      [CONNECTION_ENV.authentication]: user.authentication,
      [CONNECTION_ENV.region]: Stack.of(this).region,
    };
    if (this.engine) env[CONNECTION_ENV.engine] = this.engine.engine;
    if (user.passwordSecret) env[CONNECTION_ENV.passwordSecretArn] = user.passwordSecret.secretArn;
    if (this.ttlPolicy) {
      const spec = ttlPolicySpec(this.ttlPolicy);
      env[CONNECTION_ENV.ttlDefaultSeconds] = String(spec.defaultTtlSeconds);
      env[CONNECTION_ENV.ttlJitter] = String(spec.jitter);
      env[CONNECTION_ENV.ttlRequired] = String(spec.requireTtl);
      if (spec.maxTtlSeconds !== undefined) env[CONNECTION_ENV.ttlMaxSeconds] = String(spec.maxTtlSeconds);
    }
    return env;
  }

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
   */
  protected singleMetric(metricName: string, dimensionValue: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const definition = metricDefinition(this.flavour, metricName);
    return new cloudwatch.Metric({
      namespace: ELASTICACHE_NAMESPACE,
      metricName,
      dimensionsMap: metricDimensions(this.flavour, dimensionValue),
      statistic: definition.statistic,
      period: Duration.minutes(1),
      ...props,
    });
  }
}

/** The `Function` behind a function, alias or version defined in this app; undefined for an imported function. */
function definedFunction(fn: lambda.IFunction): lambda.Function | undefined {
  if (fn instanceof lambda.Function) return fn;
  if (fn instanceof lambda.Alias) return definedFunction(fn.version);
  if (fn instanceof lambda.Version) return definedFunction(fn.lambda);
  return undefined;
}

/** Shared pieces of the caches this toolkit creates: RBAC user group, network, SSM contract. */
export interface CacheFoundationProps {
  /** Serverless cache name or replication group id; user and user group ids derive from it. */
  readonly cacheName: string;
  /** Engine of the cache (and of its user group). */
  readonly engine: CacheEngine;
  /** Flavour, written to the connection contract. */
  readonly flavour: CacheFlavour;
  /** VPC of the cache. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cache.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups.
   * @default - a new security group with no ingress and no egress
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Port (range) clients connect to. */
  readonly defaultPort: ec2.Port;
  /**
   * Key that encrypts password secrets of the cache's users.
   * @default - the AWS managed key for Secrets Manager
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * TTL policy written to the connection contract.
   * @default - none
   */
  readonly ttlPolicy?: TtlPolicy;
}

/**
 * The RBAC user group (with its `default` user disabled), security groups, subnets and the SSM connection contract
 * of a new cache. Both flavours compose it so that the secure defaults live in one place.
 */
export class CacheFoundation extends Construct {
  public readonly userGroup: elasticache.CfnUserGroup;
  /** The user group's `default` user, disabled (`off -@all`). */
  public readonly defaultUser: elasticache.CfnUser;
  public readonly users: CacheUser[] = [];
  public readonly connections: ec2.Connections;
  public readonly securityGroups: ec2.ISecurityGroup[];
  public readonly subnetIds: string[];
  private readonly props: CacheFoundationProps;

  constructor(scope: Construct, id: string, props: CacheFoundationProps) {
    super(scope, id);
    this.props = props;
    if (!props.engine.supportsRbac) {
      invalid(scope, 'engine', props.engine.displayName, 'the toolkit secures every cache with RBAC, which needs Valkey 7.2+ or Redis OSS 6.0+');
    }

    this.securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: props.vpc,
      description: `ElastiCache ${props.cacheName}: no ingress until a client is allowed in`,
      allowAllOutbound: false,
    })];
    if (this.securityGroups.length === 0) {
      invalid(scope, 'securityGroups', [], 'allowed is at least one security group, or leave it unset for a new one');
    }
    this.connections = new ec2.Connections({ securityGroups: this.securityGroups, defaultPort: props.defaultPort });

    const selection = props.vpcSubnets ?? (props.vpc.privateSubnets.length > 0
      ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
      : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    let subnetIds: string[] = [];
    try {
      subnetIds = props.vpc.selectSubnets(selection).subnetIds;
    } catch (e) {
      invalid(scope, 'vpcSubnets', selection.subnetType ?? selection, `the selection matched no subnets in the VPC (${(e as Error).message})`);
    }
    if (subnetIds.length === 0) {
      invalid(scope, 'vpcSubnets', selection.subnetType ?? selection, 'the selection matched no subnets in the VPC');
    }
    this.subnetIds = subnetIds;

    this.defaultUser = createDisabledDefaultUser(this, props);
    this.userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: props.engine.engine,
      userGroupId: `${props.cacheName}-users`.slice(0, 40).replace(/-+$/, ''),
      userIds: Lazy.list({ produce: () => [this.defaultUser.userId, ...this.users.map((u) => u.userId)] }),
    });
    this.userGroup.addResourceDependency(this.defaultUser);

    const contract = new ssm.StringParameter(this, 'ConnectionContract', {
      parameterName: `/ectk/${props.cacheName}/connection`,
      description: `How to connect to ElastiCache ${props.cacheName} (endpoint, TLS, users, TTL policy)`,
      stringValue: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.contract()) }),
    });
    // Standard parameters hold 4,096 characters, Advanced ones 8,192 at a monthly charge (docs/aws-facts.md): the
    // contract takes Advanced only when its longest possible rendering (every token at its longest) needs it.
    const tier = () => (maxRenderedLength(this.contract()) <= SSM_MAX_CHARS.Standard ? 'Standard' : 'Advanced');
    (contract.node.defaultChild as ssm.CfnParameter).tier = Lazy.string({ produce: tier });
    this.node.addValidation({
      validate: () => {
        const length = maxRenderedLength(this.contract());
        return length <= SSM_MAX_CHARS.Advanced ? [] : [`${scope.node.path}: invalid users (${this.users.length}): the connection contract ` +
          `would take up to ${length} characters and an SSM parameter holds at most ${SSM_MAX_CHARS.Advanced}; give the cache fewer users`];
      },
    });
  }

  /** Adds an RBAC user to the cache's user group. */
  public addUser(scope: Construct, id: string, options: CacheUserOptions): CacheUser {
    const user = new CacheUser(scope, id, {
      ...options,
      engine: this.props.engine,
      cacheName: this.props.cacheName,
      encryptionKey: this.props.encryptionKey,
    });
    this.users.push(user);
    this.userGroup.addResourceDependency(user.resource);
    return user;
  }

  private contract(): ConnectionContract {
    const cache = this.node.scope as ICache;
    return {
      cacheName: this.props.cacheName,
      flavour: this.props.flavour,
      engine: this.props.engine.engine,
      engineVersion: this.props.engine.version,
      endpoint: cache.endpointAddress,
      port: cache.endpointPort,
      tls: true,
      clusterMode: true,
      users: this.users.map((u) => ({
        userName: u.userName,
        authentication: u.authentication,
        passwordSecretArn: u.passwordSecret?.secretArn,
      })),
      ttlPolicy: this.props.ttlPolicy && ttlPolicySpec(this.props.ttlPolicy),
    };
  }
}

/**
 * The disabled `default` user of a cache's user group, valid for the group's engine (docs/aws-facts.md, "User groups and
 * engines"): a `redis` group must hold a user named `default`, and a disabled one that needs no password is accepted;
 * a `valkey` group accepts only users that authenticate, so there the disabled default user has a password that is
 * generated into a secret and given to nobody. Either way the server's default user is `off`: nobody connects without
 * a named user (docs/decisions/0007-default-user-per-engine.md).
 */
function createDisabledDefaultUser(scope: Construct, props: CacheFoundationProps): elasticache.CfnUser {
  const common = {
    engine: props.engine.engine,
    userId: `${props.cacheName}-default`.slice(0, 40).replace(/-+$/, ''),
    userName: 'default',
    accessString: AccessString.OFF.value,
  };
  if (props.engine.engine === 'redis') {
    return new elasticache.CfnUser(scope, 'DefaultUser', { ...common, authenticationMode: { Type: 'no-password-required' } });
  }
  const secret = new secretsmanager.Secret(scope, 'DefaultUserPassword', {
    description: `Password of the disabled default user of ElastiCache ${props.cacheName} (never used: the user is off)`,
    encryptionKey: props.encryptionKey,
    generateSecretString: ELASTICACHE_PASSWORD,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'The password belongs to the disabled default user (access string "off"), which cannot log in with any password; ' +
      'it exists only because Valkey user groups accept users that authenticate, and nobody is given it.',
  });
  return new elasticache.CfnUser(scope, 'DefaultUser', {
    ...common,
    authenticationMode: { Type: 'password', Passwords: [secret.secretValue.unsafeUnwrap()] },
  });
}

/**
 * The longest a JSON document can be once CloudFormation resolves its tokens: each token counted at the longest value
 * it can take in the toolkit's documents.
 */
export function maxRenderedLength(document: unknown): number {
  const text = JSON.stringify(document, (_key, value: unknown) => {
    if (typeof value === 'number' && Token.isUnresolved(value)) return 0;
    return value;
  });
  const placeholder = 'x'.repeat(TOKEN_MAX_CHARS);
  const rendered = Tokenization.reverseString(text).mapTokens({ mapToken: () => placeholder })
    .join({ join: (left: unknown, right: unknown) => `${String(left)}${String(right)}` });
  return String(rendered).length;
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
