import { Lazy, Stack, Token, Tokenization, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { buildContract, ConnectionContract, contractParameterName, GlobalSecondarySpec } from '../catalog/connection';
import { SSM_MAX_CHARS, TOKEN_MAX_CHARS } from '../catalog/limits';
import { CacheFlavour } from '../catalog/metrics';
import { AccessString } from './access-string';
import { CacheEngine } from './cache-engine';
import { CacheUser, CacheUserOptions } from './cache-user';
import { ELASTICACHE_PASSWORD } from './generated-password';
import { TtlPolicy, ttlPolicySpec } from './ttl-policy';
import { invalid } from './validation';

/** The subnets a cache and the functions beside it use: the ones given, else private ones, else isolated ones. */
export function cacheSubnetSelection(vpc: ec2.IVpc, vpcSubnets?: ec2.SubnetSelection): ec2.SubnetSelection {
  return vpcSubnets ?? (vpc.privateSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
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
  /** The subnets the cache is placed in. */
  public readonly subnets: ec2.ISubnet[];
  private readonly props: CacheFoundationProps;
  private endpoint?: { readonly address: string; readonly port: number };
  private globalSecondary?: GlobalSecondarySpec;

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

    const selection = cacheSubnetSelection(props.vpc, props.vpcSubnets);
    let subnets: ec2.ISubnet[] = [];
    try {
      subnets = props.vpc.selectSubnets(selection).subnets;
    } catch (e) {
      invalid(scope, 'vpcSubnets', selection.subnetType ?? selection, `the selection matched no subnets in the VPC (${(e as Error).message})`);
    }
    if (subnets.length === 0) {
      invalid(scope, 'vpcSubnets', selection.subnetType ?? selection, 'the selection matched no subnets in the VPC');
    }
    this.subnets = subnets;
    this.subnetIds = subnets.map((s) => s.subnetId);

    this.defaultUser = createDisabledDefaultUser(this, props);
    this.userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: props.engine.engine,
      userGroupId: `${props.cacheName}-users`.slice(0, 40).replace(/-+$/, ''),
      userIds: Lazy.list({ produce: () => [this.defaultUser.userId, ...this.users.map((u) => u.userId)] }),
    });
    this.userGroup.addResourceDependency(this.defaultUser);

    const contract = new ssm.StringParameter(this, 'ConnectionContract', {
      parameterName: contractParameterName(props.cacheName),
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

  /**
   * The endpoint clients connect to, once the cache's resource exists (it needs the subnets and security groups above
   * first). The connection contract is rendered at synth, so it reads the endpoint then.
   */
  /** Marks the contract as a Global Datastore secondary's: read-only, with where writes go. */
  public setGlobalSecondary(spec: GlobalSecondarySpec): void {
    this.globalSecondary = spec;
  }

  public setEndpoint(address: string, port: number): void {
    this.endpoint = { address, port };
  }

  private contract(): ConnectionContract {
    if (!this.endpoint) throw new Error(`${this.node.path}: the cache never set its endpoint (setEndpoint)`);
    return buildContract({
      cacheName: this.props.cacheName, flavour: this.props.flavour, engine: this.props.engine.engine, engineVersion: this.props.engine.version,
      endpoint: this.endpoint.address, port: this.endpoint.port, region: Stack.of(this).region,
      ttlPolicy: this.props.ttlPolicy && ttlPolicySpec(this.props.ttlPolicy),
      ...(this.globalSecondary ? { globalSecondary: this.globalSecondary } : {}),
    }, this.users.map((u) => ({ userName: u.userName, authentication: u.authentication, passwordSecretArn: u.passwordSecret?.secretArn })));
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
