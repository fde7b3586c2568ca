import { CLUSTER_CLIENT_COMMANDS, LOADGEN_ACCESS } from '../catalog/connection';
import { invalid } from './validation';

/** An ACL command category (`+@read`, `-@dangerous`, ...). */
export class CommandCategory {
  /** `@all`: every command. */
  public static readonly ALL = new CommandCategory('all');
  /** `@read`: commands that read keys. */
  public static readonly READ = new CommandCategory('read');
  /** `@write`: commands that write keys. */
  public static readonly WRITE = new CommandCategory('write');
  /** `@keyspace`: commands on keys whatever their type (DEL, EXPIRE, SCAN, ...). */
  public static readonly KEYSPACE = new CommandCategory('keyspace');
  /** `@string`: string commands. */
  public static readonly STRING = new CommandCategory('string');
  /** `@hash`: hash commands. */
  public static readonly HASH = new CommandCategory('hash');
  /** `@list`: list commands. */
  public static readonly LIST = new CommandCategory('list');
  /** `@set`: set commands. */
  public static readonly SET = new CommandCategory('set');
  /** `@sortedset`: sorted set commands. */
  public static readonly SORTEDSET = new CommandCategory('sortedset');
  /** `@stream`: stream commands. */
  public static readonly STREAM = new CommandCategory('stream');
  /** `@bitmap`: bitmap commands. */
  public static readonly BITMAP = new CommandCategory('bitmap');
  /** `@hyperloglog`: HyperLogLog commands. */
  public static readonly HYPERLOGLOG = new CommandCategory('hyperloglog');
  /** `@geo`: geospatial commands. */
  public static readonly GEO = new CommandCategory('geo');
  /** `@pubsub`: publish/subscribe commands. */
  public static readonly PUBSUB = new CommandCategory('pubsub');
  /** `@transaction`: MULTI, EXEC and WATCH. */
  public static readonly TRANSACTION = new CommandCategory('transaction');
  /** `@scripting`: Lua scripts and functions. */
  public static readonly SCRIPTING = new CommandCategory('scripting');
  /** `@connection`: connection commands (PING, HELLO, CLIENT ...). */
  public static readonly CONNECTION = new CommandCategory('connection');
  /** `@fast`: O(1) and O(log N) commands. */
  public static readonly FAST = new CommandCategory('fast');
  /** `@slow`: every command that is not fast. */
  public static readonly SLOW = new CommandCategory('slow');
  /** `@dangerous`: commands that can harm the server or reveal other data (FLUSHALL, KEYS, CONFIG, ...). */
  public static readonly DANGEROUS = new CommandCategory('dangerous');
  /** `@admin`: administrative commands. */
  public static readonly ADMIN = new CommandCategory('admin');

  /**
   * A category by name, without the `@`.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static of(name: string): CommandCategory {
    if (!/^[a-z]+$/.test(name)) {
      invalid('CommandCategory', 'name', name, 'allowed is a category name of lower-case letters without "@", for example "read"');
    }
    return new CommandCategory(name);
  }

  /** Category name without the `@`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}

/** What an RBAC user may do: key patterns, command categories and commands. */
export interface AccessStringOptions {
  /**
   * Key patterns the user may touch, without the `~`, for example `orders:*`.
   * @default ['*'] - every key
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly keyPatterns?: string[];
  /**
   * Command categories allowed.
   * @default [CommandCategory.ALL]
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly allow?: CommandCategory[];
  /**
   * Command categories denied after the allowed ones.
   * @default [CommandCategory.DANGEROUS]
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly deny?: CommandCategory[];
  /**
   * Single commands allowed, for example `info` or `cluster|slots`.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly allowCommands?: string[];
  /**
   * Single commands denied, for example `flushall`.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly denyCommands?: string[];
}

/** A typed ElastiCache RBAC access string; `AccessString.fromString()` is the escape hatch. */
export class AccessString {
  /** Disabled: the user cannot authenticate. Used for the user group's `default` user. */
  public static readonly OFF = new AccessString('off -@all');

  /**
   * Every key and command except the dangerous ones (FLUSHALL, CONFIG, DEBUG, KEYS, ...).
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static fullAccess(): AccessString {
    return AccessString.of({});
  }

  /**
   * Read-only commands on every key (or on the given key patterns), plus the CLUSTER SLOTS/SHARDS/INFO that cluster-mode
   * clients need to route.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static readOnly(keyPatterns?: string[]): AccessString {
    return AccessString.of({ keyPatterns, allow: [CommandCategory.READ, CommandCategory.CONNECTION], allowCommands: [...CLUSTER_CLIENT_COMMANDS] });
  }

  /**
   * Confined to the keys under a prefix: `~prefix*` only, with the given categories and nothing dangerous, plus the
   * CLUSTER SLOTS/SHARDS/INFO that cluster-mode clients need to route (they are `@slow` commands, outside
   * `@read`/`@write`). The server itself refuses every key outside the prefix.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static forKeyPrefix(prefix: string, allow: CommandCategory[]): AccessString {
    if (prefix.length === 0 || /[*?[\]\\\s]/.test(prefix)) {
      invalid('AccessString', 'prefix', prefix, 'allowed is a non-empty key prefix without glob characters (* ? [ ] \\) or spaces');
    }
    return AccessString.of({ keyPatterns: [`${prefix}*`], allow, allowCommands: [...CLUSTER_CLIENT_COMMANDS] });
  }

  /**
   * What the toolkit's load generator needs, confined to its key prefix (`LOADGEN_ACCESS` in the catalog): the command
   * categories its profiles use and the few single commands outside them; dangerous commands stay denied.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static forLoadGenerator(prefix: string): AccessString {
    AccessString.forKeyPrefix(prefix, []);
    return AccessString.of({
      keyPatterns: [`${prefix}*`],
      allow: LOADGEN_ACCESS.allowCategories.map((c) => CommandCategory.of(c)),
      deny: LOADGEN_ACCESS.denyCategories.map((c) => CommandCategory.of(c)),
      allowCommands: [...LOADGEN_ACCESS.allowCommands],
    });
  }

  /**
   * An access string built from its parts.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static of(options: AccessStringOptions): AccessString {
    const keyPatterns = options.keyPatterns ?? ['*'];
    if (keyPatterns.length === 0) {
      invalid('AccessString', 'keyPatterns', keyPatterns, 'allowed is at least one key pattern (use ["*"] for every key)');
    }
    for (const pattern of keyPatterns) {
      if (pattern.length === 0 || /\s/.test(pattern) || pattern.startsWith('~')) {
        invalid('AccessString', 'keyPatterns', pattern, 'allowed is a non-empty pattern without spaces and without the leading "~"');
      }
    }
    for (const command of [...(options.allowCommands ?? []), ...(options.denyCommands ?? [])]) {
      if (!/^[a-z][a-z0-9|_.-]*$/.test(command)) {
        invalid('AccessString', 'command', command, 'allowed is a lower-case command name, optionally with a subcommand as "cluster|slots"');
      }
    }
    const parts = [
      'on',
      ...keyPatterns.map((p) => `~${p}`),
      ...(options.allow ?? [CommandCategory.ALL]).map((c) => `+@${c.name}`),
      ...(options.deny ?? [CommandCategory.DANGEROUS]).map((c) => `-@${c.name}`),
      ...(options.allowCommands ?? []).map((c) => `+${c}`),
      ...(options.denyCommands ?? []).map((c) => `-${c}`),
    ];
    return new AccessString(parts.join(' '));
  }

  /**
   * A raw access string as ElastiCache takes it.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public static fromString(value: string): AccessString {
    if (value.trim().length === 0) {
      invalid('AccessString', 'value', value, 'allowed is a non-empty access string such as "on ~app:* +@read"');
    }
    return new AccessString(value.trim());
  }

  /** The access string as ElastiCache takes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html */

  /**
   * The access string as ElastiCache takes it.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  public toString(): string {
    return this.value;
  }
}
