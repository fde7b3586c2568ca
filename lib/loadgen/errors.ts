import { EXIT } from '../catalog/errors';

export { EXIT, UsageError } from '../catalog/errors';

/** The target could not be reached (connect, TLS or authentication failed). Exit code 3. */
export class UnreachableError extends Error {
  public readonly exitCode = EXIT.unreachable;
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}
