/** Exit codes of `ectk loadtest` (DESIGN.md): 0 met, 1 breached, 2 bad usage or config, 3 target unreachable. */
export const EXIT = { met: 0, breached: 1, usage: 2, unreachable: 3 } as const;

/** Bad usage or configuration: names the field, the value given and what is allowed. Exit code 2. */
export class UsageError extends Error {
  public readonly exitCode = EXIT.usage;
  constructor(field: string, value: unknown, allowed: string) {
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
