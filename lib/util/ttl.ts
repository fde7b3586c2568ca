/**
 * A TTL spread by ± jitter, in milliseconds: `baseSeconds × (1 ± jitter)` with `random` in [0, 1), so that keys written
 * together do not expire together; never below 1 ms (a TTL of 0 would delete the key). The one jitter of the toolkit:
 * the load generator's writes and the TTL policy's writes (`TtlWriter`) both draw their TTLs here.
 */
export function jitteredTtlMs(baseSeconds: number, jitter: number, random: number): number {
  return Math.max(1, Math.round(baseSeconds * 1000 * (1 + jitter * (2 * random - 1))));
}
