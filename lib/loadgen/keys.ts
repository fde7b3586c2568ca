import { randomBytes } from 'crypto';
import { KEY_PREFIX_FORBIDDEN } from '../catalog/slo-check';
import { UsageError } from '../catalog/errors';

export const DEFAULT_KEY_PREFIX = 'ectk:slo:';

/**
 * Refuses a prefix that could reach data the run does not own: empty, glob characters (a SCAN pattern built from
 * it would match other keys), hash-tag braces (all keys would land in one slot), or whitespace.
 */
export function validateKeyPrefix(prefix: string): string {
  if (prefix.length === 0) throw new UsageError('--key-prefix', prefix, 'an empty prefix would put run keys among your data; use for example "ectk:slo:"');
  if (KEY_PREFIX_FORBIDDEN.test(prefix)) {
    throw new UsageError('--key-prefix', prefix, 'glob characters (* ? [ ] \\), hash-tag braces and spaces are not allowed');
  }
  return prefix;
}

export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** Every key of a run starts with `<prefix><runId>:`; cleanup deletes exactly the keys that match it. */
export function runKeyPrefix(prefix: string, runId: string): string {
  return `${validateKeyPrefix(prefix)}${runId}:`;
}
