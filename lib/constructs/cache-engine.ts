import { parameterGroupFamily } from '../catalog/parameters';
import { invalid } from './validation';

/**
 * A cache engine and version. Constants cover the versions the toolkit is tested against; `CacheEngine.of()` takes
 * any other that ElastiCache adds.
 */
export class CacheEngine {
  /** Valkey 8.2 (node-based); serverless caches use major version 8. The default for both flavours. */
  public static readonly VALKEY_8 = new CacheEngine('valkey', '8.2');
  /** Valkey 8.1. */
  public static readonly VALKEY_8_1 = new CacheEngine('valkey', '8.1');
  /** Valkey 8.0. */
  public static readonly VALKEY_8_0 = new CacheEngine('valkey', '8.0');
  /** Valkey 7.2. */
  public static readonly VALKEY_7_2 = new CacheEngine('valkey', '7.2');
  /** Redis OSS 7.1 (node-based); serverless caches use major version 7. */
  public static readonly REDIS_OSS_7 = new CacheEngine('redis', '7.1');
  /** Redis OSS 7.0. */
  public static readonly REDIS_OSS_7_0 = new CacheEngine('redis', '7.0');
  /** Redis OSS 6.2 (node-based only; password users only: IAM authentication needs Redis OSS 7). */
  public static readonly REDIS_OSS_6_2 = new CacheEngine('redis', '6.2');

  /**
   * Valkey at the given version, for example `'8.1'`.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  public static valkey(version: string): CacheEngine {
    return CacheEngine.of('valkey', version);
  }

  /**
   * Redis OSS at the given version, for example `'7.1'`.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  public static redisOss(version: string): CacheEngine {
    return CacheEngine.of('redis', version);
  }

  /**
   * Any engine name ElastiCache accepts (`valkey`, `redis`) and version `MAJOR.MINOR` (or `MAJOR`). The cache that
   * uses it checks the version against the versions ElastiCache documents for its flavour: one that is not listed and
   * older than the newest is refused (`8.3`), one newer than the newest is accepted with a warning
   * (`@ectk/cluster-cache:engine-version`, `@ectk/serverless-cache:engine-version`), for a version AWS added since.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  public static of(engine: string, version: string): CacheEngine {
    if (engine !== 'valkey' && engine !== 'redis') {
      invalid('CacheEngine', 'engine', engine, 'allowed are "valkey" and "redis" (Memcached is out of scope)');
    }
    if (!/^\d+(\.\d+){0,2}$/.test(version)) {
      invalid('CacheEngine', 'version', version, 'allowed is MAJOR, MAJOR.MINOR or MAJOR.MINOR.PATCH, for example "8.1"');
    }
    return new CacheEngine(engine, version);
  }

  /** `valkey` or `redis`, as CloudFormation spells it. */
  public readonly engine: string;
  /** The engine version, for example `8.2`. */
  public readonly version: string;

  private constructor(engine: string, version: string) {
    this.engine = engine;
    this.version = version;
  }

  /** Major version, for example `8`; serverless caches are configured with this alone. */
  public get majorVersion(): string {
    return this.version.split('.')[0];
  }

  /**
   * Parameter group family: `valkey8`, `valkey7`, `redis7`, and `redis6.x` for Redis OSS 6.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-parametergroup.html
   */
  public get parameterGroupFamily(): string {
    return parameterGroupFamily(this.engine, this.version);
  }

  /** Human-readable name, for example `Valkey 8.2`. */
  public get displayName(): string {
    return `${this.engine === 'valkey' ? 'Valkey' : 'Redis OSS'} ${this.version}`;
  }

  /**
   * RBAC users and user groups: Valkey 7.2+ and Redis OSS 6.0+. Every Valkey ElastiCache offers is 7.2 or later, so a
   * Valkey version given as its major alone (`CacheEngine.valkey('7')`, as serverless caches take it) counts.
   */
  public get supportsRbac(): boolean {
    return this.engine === 'valkey' ? Number(this.majorVersion) >= 7 : this.atLeast(6, 0);
  }

  /** IAM authentication: Valkey 7.2+ and Redis OSS 7.0+ (docs/aws-facts.md, "Auth"). */
  public get supportsIamAuth(): boolean {
    return this.engine === 'valkey' ? Number(this.majorVersion) >= 7 : this.atLeast(7, 0);
  }

  /** ElastiCache Serverless: Valkey 7.2+ and Redis OSS 7.x. */
  public get supportsServerless(): boolean {
    return this.engine === 'valkey' ? Number(this.majorVersion) >= 7 : this.majorVersion === '7';
  }

  /**
   * Whether this is the given engine at the given version or later.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  public isAtLeast(engine: string, major: number, minor: number): boolean {
    return this.engine === engine && this.atLeast(major, minor);
  }

  /**
   * The engine and version, as shown in messages.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
   */
  public toString(): string {
    return this.displayName;
  }

  private atLeast(major: number, minor: number): boolean {
    const [ma, mi = '0'] = this.version.split('.');
    return Number(ma) > major || (Number(ma) === major && Number(mi) >= minor);
  }
}
