import { UsageError } from '../catalog/errors';

const DURATION_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 * 1024 };

/**
 * `30s`, `500ms`, `2m`, `1h`, `1d` (and `0`); returns milliseconds. Every duration of every flag carries its unit: a
 * bare number is refused with the unit to add, never read as seconds in one flag and minutes in another.
 */
export function parseDuration(field: string, text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) throw new UsageError(field, text, `add a unit: ${trimmed}s (durations take us, ms, s, m, h or d)`);
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)$/.exec(trimmed);
  if (!m) throw new UsageError(field, text, 'allowed is a number with a unit us, ms, s, m, h or d, for example "30s"');
  return Number(m[1]) * DURATION_UNITS[m[2]];
}

/** A duration that must be above zero (a run of 0 s, a request timeout of 0): milliseconds. */
export function parsePositiveDuration(field: string, text: string, maxMs = 7 * 24 * 3_600_000): number {
  const ms = parseDuration(field, text);
  if (!(ms > 0) || ms > maxMs) throw new UsageError(field, text, `allowed is a duration above 0 and at most ${maxMs / 3_600_000} h, for example "30s"`);
  return ms;
}

/** A positive duration in whole seconds (`--since 15m`, `--timeout 30m`): milliseconds rounded up to a second. */
export function parseSeconds(field: string, text: string, maxMs?: number): number {
  return Math.ceil(parsePositiveDuration(field, text, maxMs) / 1000);
}

/** The largest string value Valkey and Redis OSS accept (`proto-max-bulk-len`, 512 MB). */
export const MAX_VALUE_BYTES = 512 * 1024 * 1024;

/** `100`, `1KB`, `16KB`, `1MB` (binary units); returns bytes. */
export function parseSize(field: string, text: string): number {
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(text.trim());
  if (!m) throw new UsageError(field, text, 'allowed is a byte count with an optional unit B, KB or MB, for example "1KB"');
  return Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()];
}

/** A fixed size (`100`) or a range (`1KB-16KB`); returns [min, max] bytes. */
export function parseSizeRange(field: string, text: string): [number, number] {
  const [low, high, extra] = text.split('-');
  if (extra !== undefined) throw new UsageError(field, text, 'allowed is a size or a range of two sizes, for example "1KB-16KB"');
  const min = parseSize(field, low);
  const max = high === undefined ? min : parseSize(field, high);
  if (min < 1 || max < min) throw new UsageError(field, text, 'sizes must be at least 1 byte and the range must not be reversed');
  if (max > MAX_VALUE_BYTES) throw new UsageError(field, text, 'a value holds at most 512MB (the engine\'s proto-max-bulk-len)');
  return [min, max];
}

/** A positive integer. */
export function parsePositiveInt(field: string, text: string | number, max = Number.MAX_SAFE_INTEGER): number {
  const value = typeof text === 'number' ? text : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(field, text, `allowed is a whole number from 1 to ${max}`);
  }
  return value;
}
