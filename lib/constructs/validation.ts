import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation-error';

/**
 * Throws the toolkit's construction error: it names where (construct path), which prop, the value given and what
 * is allowed, so that a user can fix the input without reading the source. Its stack is the message and the user's
 * own frames only (ValidationError).
 */
export function invalid(where: IConstruct | string, prop: string, value: unknown, allowed: string): never {
  const path = typeof where === 'string' ? where : where.node.path;
  const refused = new ValidationError(path, prop, `${path}: invalid ${prop} ${render(value)}: ${allowed}`);
  throw refused;
}

function render(value: unknown): string {
  if (value === undefined) return '(not set)';
  // A Duration of NaN or an infinity renders as "" in toHumanString(): say what it holds.
  if (value instanceof Duration) return JSON.stringify(durationText(value));
  // NaN and the infinities as themselves (JSON would print null).
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object' && 'toString' in value && value.toString !== Object.prototype.toString) {
    return String(value);
  }
  return JSON.stringify(value) ?? String(value);
}

/** A duration as people read it ("5 minutes"), or its value in seconds when it holds NaN or an infinity. */
export function durationText(d: Duration): string {
  const seconds = d.toSeconds({ integral: false });
  return Number.isFinite(seconds) ? d.toHumanString() : `${seconds} seconds`;
}

/** An integer in [min, max]; unresolved tokens and absent values pass (they are checked by CloudFormation). */
export function checkInteger(where: IConstruct | string, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(where, prop, value, `allowed is an integer from ${min} to ${max}`);
  }
}

/**
 * An integer in [min, max] that must be known at synth time: values that other ids and alarms are derived from
 * (shards, replicas). A token is refused with that reason instead of failing later with an unrelated message.
 */
export function checkKnownInteger(where: IConstruct | string, prop: string, value: number, min: number, max: number): void {
  if (Token.isUnresolved(value)) {
    invalid(where, prop, '(a token)', 'must be a number known at synth time: member cluster ids, alarms and the dashboard are derived from it');
  }
  checkInteger(where, prop, value, min, max);
}

/** A finite number in [min, max] (NaN and the infinities are refused); absent values and tokens pass. */
export function checkNumber(where: IConstruct | string, prop: string, value: number | undefined, min: number, max: number, unit = ''): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    invalid(where, prop, value, `allowed is a number from ${min}${unit} to ${max}${unit}`);
  }
}

/** A CloudWatch alarm period: 10 s, 30 s, or a whole multiple of 60 s (CloudWatch PutMetricAlarm). */
export function checkAlarmPeriod(where: IConstruct | string, prop: string, seconds: number): void {
  if (Token.isUnresolved(seconds)) return;
  if (!(seconds === 10 || seconds === 30 || (Number.isInteger(seconds) && seconds >= 60 && seconds % 60 === 0 && seconds <= 86_400))) {
    invalid(where, prop, `${seconds} s`, 'allowed are 10 s, 30 s or a whole number of minutes up to one day (CloudWatch alarm periods)');
  }
}

/** A literal string (no token): names that derived resource ids and metric dimensions depend on. */
export function checkLiteral(where: IConstruct | string, prop: string, value: string): void {
  if (Token.isUnresolved(value)) {
    invalid(where, prop, value, 'must be a literal string known at synth time (other ids and metric dimensions are derived from it)');
  }
}

/**
 * ElastiCache identifier rules shared by replication group ids and serverless cache names: 1-40 characters, lower-case
 * letters, digits and hyphens, starting with a letter, no two consecutive hyphens, not ending with a hyphen.
 */
export function checkCacheId(where: IConstruct | string, prop: string, value: string): void {
  checkLiteral(where, prop, value);
  const ok = /^[a-z][a-z0-9-]{0,39}$/.test(value) && !value.includes('--') && !value.endsWith('-');
  if (!ok) {
    invalid(where, prop, value,
      'allowed is 1-40 characters of lower-case letters, digits and hyphens, starting with a letter, without "--" and not ending with "-"');
  }
}

/** A valid ElastiCache identifier derived from a construct path: lower-cased, cleaned, and shortened with a hash. */
export function deriveCacheId(scope: IConstruct, suffix = ''): string {
  const parts = scope.node.scopes.slice(1).map((s) => s.node.id).filter((id) => id !== 'Resource');
  const base = toIdCharacters(parts.join('-')).replace(/^[^a-z]+/, '');
  const name = (base || 'cache') + suffix;
  if (name.length <= 40) return name;
  const hash = stableHash(scope.node.path + suffix);
  return `${name.slice(0, 40 - 9 - suffix.length).replace(/-+$/, '')}-${hash}${suffix}`;
}

/** Lower-case letters, digits and single hyphens, without a trailing hyphen: the characters ElastiCache ids allow. */
export function toIdCharacters(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/-$/, '');
}

function stableHash(text: string): string {
  // FNV-1a, 32 bits: short, stable across runs and platforms; not a security hash.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** An endpoint host name of an imported cache: not empty, no scheme, no port, no spaces. */
export function checkEndpoint(where: IConstruct | string, prop: string, address: string): void {
  if (Token.isUnresolved(address)) return;
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(address)) {
    invalid(where, prop, address, 'allowed is the host name of the endpoint, without scheme or port, for example "clustercfg.orders.abc123.use1.cache.amazonaws.com"');
  }
}

/** A duration as whole seconds, refused (naming the prop) when it is not whole, before aws-cdk-lib's own error. */
export function wholeSeconds(where: IConstruct | string, prop: string, duration: Duration): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) invalid(where, prop, duration.toHumanString(), 'allowed is a whole number of seconds');
  return seconds;
}
