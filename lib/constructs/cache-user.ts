import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AccessString } from './access-string';
import { CacheEngine } from './cache-engine';
import { ELASTICACHE_PASSWORD } from './generated-password';
import { claimUniqueName } from './uniqueness';
import { invalid, toIdCharacters } from './validation';

/** How an RBAC user proves who it is. */
export enum UserAuthentication {
  /** IAM: a SigV4-signed token from credentials that hold `elasticache:Connect`. Preferred: no secret to leak or rotate. */
  IAM = 'iam',
  /** A password generated into a Secrets Manager secret (`{"username", "password"}`). */
  PASSWORD = 'password',
}

/** An RBAC user of a cache. */
export interface ICacheUser {
  /** The user id (unique per account and region). */
  readonly userId: string;
  /** The name the client authenticates with. */
  readonly userName: string;
  /** `arn:<partition>:elasticache:<region>:<account>:user:<userId>`. */
  readonly userArn: string;
  /** How the user authenticates. */
  readonly authentication: UserAuthentication;
  /** The secret with the password, for password users. */
  readonly passwordSecret?: secretsmanager.ISecret;
}

/** Attributes of an existing RBAC user. */
export interface CacheUserAttributes {
  /**
   * The user id.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly userId: string;
  /**
   * The user name.
   * @default - the user id (IAM users must have user name = user id)
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly userName?: string;
  /**
   * How the user authenticates.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly authentication: UserAuthentication;
  /**
   * Secret holding the password (`{"password": ...}`), for password users.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly passwordSecret?: secretsmanager.ISecret;
}

/** Options for `cache.addUser()`. */
export interface CacheUserOptions {
  /**
   * The user name (and, for IAM users, also the user id). Lower-case letters, digits and hyphens.
   * @default - `<cache name>-<construct id>`, lower-cased
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-user.html
   */
  readonly userName?: string;
  /**
   * How the user authenticates.
   * @default UserAuthentication.IAM
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  readonly authentication?: UserAuthentication;
  /**
   * What the user may do.
   * @default AccessString.fullAccess() - every key, every command but the dangerous ones
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly accessString?: AccessString;
}

/** Properties of a `CacheUser`; caches create users through `addUser()`. */
export interface CacheUserProps extends CacheUserOptions {
  /**
   * The cache's engine; sets the user's engine and decides whether IAM auth is possible.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-user.html
   */
  readonly engine: CacheEngine;
  /**
   * Name of the cache, used to derive a user id unique in the account and region.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly cacheName: string;
  /**
   * Key that encrypts the password secret.
   * @default - the AWS managed key for Secrets Manager
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
   */
  readonly encryptionKey?: kms.IKey;
}

/** An ElastiCache RBAC user (AWS::ElastiCache::User). */
export class CacheUser extends Construct implements ICacheUser {
  /**
   * Refer to a user that exists outside this app.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static fromCacheUserAttributes(scope: Construct, _id: string, attrs: CacheUserAttributes): ICacheUser {
    const userName = attrs.userName ?? attrs.userId;
    if (attrs.authentication === UserAuthentication.IAM && userName !== attrs.userId) {
      invalid(scope, 'userName', userName, `an IAM user's name must equal its user id (${JSON.stringify(attrs.userId)})`);
    }
    return {
      userId: attrs.userId,
      userName,
      userArn: userArn(Stack.of(scope), attrs.userId),
      authentication: attrs.authentication,
      passwordSecret: attrs.passwordSecret,
    };
  }

  public readonly userId: string;
  public readonly userName: string;
  public readonly userArn: string;
  public readonly authentication: UserAuthentication;
  public readonly passwordSecret?: secretsmanager.ISecret;
  /** The access string the user was created with. */
  public readonly accessString: AccessString;
  /** The cache whose user group holds the user. */
  public readonly cacheName: string;
  /** The underlying CloudFormation resource. */
  public readonly resource: elasticache.CfnUser;

  constructor(scope: Construct, id: string, props: CacheUserProps) {
    super(scope, id);
    this.authentication = props.authentication ?? UserAuthentication.IAM;
    this.accessString = props.accessString ?? AccessString.fullAccess();
    this.userName = props.userName ?? toIdCharacters(`${props.cacheName}-${id}`);
    if (!/^[a-z][a-z0-9-]*$/.test(this.userName) || this.userName.includes('--') || this.userName.endsWith('-')) {
      invalid(this, 'userName', this.userName,
        'allowed are lower-case letters, digits and hyphens, starting with a letter, without "--" and not ending with "-"');
    }
    if (this.userName === 'default') {
      invalid(this, 'userName', this.userName, 'the "default" user is managed by the cache (disabled); pick another name');
    }
    if (!props.engine.supportsRbac) {
      invalid(this, 'engine', props.engine.displayName, 'RBAC users need Valkey 7.2+ or Redis OSS 6.0+');
    }
    if (this.authentication === UserAuthentication.IAM && !props.engine.supportsIamAuth) {
      invalid(this, 'authentication', 'iam', `IAM authentication needs Valkey 7.2+ or Redis OSS 7.0+; the cache runs ${props.engine.displayName}`);
    }
    // IAM users must have user id = user name (docs/aws-facts.md, "Auth"); password users get the same for one name to remember.
    this.userId = this.userName;
    claimUniqueName(this, 'user', 'userName', this.userId);
    this.cacheName = props.cacheName;

    let authenticationMode: elasticache.CfnUser['authenticationMode'];
    if (this.authentication === UserAuthentication.PASSWORD) {
      const secret = new secretsmanager.Secret(this, 'Password', {
        description: `Password of ElastiCache user ${this.userName}`,
        encryptionKey: props.encryptionKey,
        generateSecretString: {
          ...ELASTICACHE_PASSWORD,
          secretStringTemplate: JSON.stringify({ username: this.userName }),
          generateStringKey: 'password',
        },
      });
      this.passwordSecret = secret;
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'An ElastiCache user password is changed with ModifyUser (two passwords may be active while clients move), which ' +
          'the Secrets Manager rotation templates do not do; rotate it that way, or prefer IAM users, whose tokens need no secret.',
      });
      authenticationMode = { Type: 'password', Passwords: [secret.secretValueFromJson('password').unsafeUnwrap()] };
    } else {
      authenticationMode = { Type: 'iam' };
    }

    this.resource = new elasticache.CfnUser(this, 'Resource', {
      engine: props.engine.engine,
      userId: this.userId,
      userName: this.userName,
      accessString: this.accessString.value,
      authenticationMode,
    });
    this.userArn = userArn(Stack.of(this), this.userId);
  }
}

/** `arn:<partition>:elasticache:<region>:<account>:user:<userId>` (docs/aws-facts.md, "ARNs"). */
export function userArn(stack: Stack, userId: string): string {
  return stack.formatArn({ service: 'elasticache', resource: 'user', resourceName: userId, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
