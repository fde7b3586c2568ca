/** Exit codes shared by `ectk` and the load generator (DESIGN.md): 0 met / ok, 1 breached / unhealthy, 2 bad usage or config, 3 target or AWS unreachable. */
export const EXIT = { met: 0, breached: 1, usage: 2, unreachable: 3 } as const;

/**
 * Bad usage or configuration: names the field, the value given and what is allowed. Exit code 2. Lives in the catalog
 * because the catalog's parsers (the SLO spec) are used both at synth time by constructs and at run time by the CLI.
 */
export class UsageError extends Error {
  public readonly exitCode = EXIT.usage;
  constructor(public readonly field: string, public readonly value: unknown, public readonly allowed: string) {
    super(`${field}: invalid value ${JSON.stringify(value)}: ${allowed}`);
    this.name = 'UsageError';
  }
}

/** The target could not be reached (connect, TLS or authentication failed). Exit code 3. */
export class UnreachableError extends Error {
  public readonly exitCode = EXIT.unreachable;
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}
