/** Exit codes shared by `ectk` and the load generator (DESIGN.md): 0 met / ok, 1 breached / unhealthy, 2 bad usage or config, 3 target or AWS unreachable. */
export const EXIT = { met: 0, breached: 1, usage: 2, unreachable: 3 } as const;

/**
 * Bad usage or configuration: names the field, the value given and what is allowed. Exit code 2. Lives in the catalog
 * because the catalog's parsers (the SLO spec) are used both at synth time by constructs and at run time by the CLI.
 */
export class UsageError extends Error {
  public readonly exitCode = EXIT.usage;
  constructor(public readonly field: string, public readonly value: unknown, public readonly allowed: string, message?: string) {
    super(message ?? `${field}: invalid value ${JSON.stringify(value)}: ${allowed}`);
    this.name = 'UsageError';
  }

  /** Nothing was given where something is needed: says what to give, rather than "invalid value null". */
  public static missing(field: string, allowed: string): UsageError {
    return new UsageError(field, null, allowed, `${field}: none given: ${allowed}`);
  }
}

/**
 * The cache has no vector search (FT commands unknown): it is not node-based Valkey 8.2+ without data tiering. Exit
 * code 2: the target does not fit what was asked of it.
 */
export class NoVectorSearch extends Error {
  public readonly exitCode = EXIT.usage;
  constructor(reply: string) {
    super(`the cache has no vector search (${reply}); it needs node-based ElastiCache for Valkey 8.2 or later, ` +
      'not serverless and not data tiering (r6gd) nodes');
    this.name = 'NoVectorSearch';
  }
}

/** Whether a server error means the command does not exist there. */
export function isUnknownCommand(error: unknown): boolean {
  return /unknown command/i.test(error instanceof Error ? error.message : String(error));
}

/** The target could not be reached (connect, TLS or authentication failed). Exit code 3. */
export class UnreachableError extends Error {
  public readonly exitCode = EXIT.unreachable;
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** `value` when it is an integer from `min` to `max`; otherwise a UsageError naming `field`. */
export function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(field, value, `allowed is an integer from ${min} to ${max}`);
  return value;
}
