/**
 * Durability of a node-based Valkey 9.0+ cache: writes are persisted to a Multi-AZ transactional log, so a failover
 * loses none (`SYNC`) or at most the last 10 seconds (`ASYNC`).
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/durability.html
 */
export enum Durability {
  /** Acknowledged once the log holds the write: no acknowledged write is lost; writes take single-digit milliseconds. */
  SYNC = 'sync',
  /**
   * Acknowledged first, logged after: write latency as without durability; up to 10 s of writes can be lost, and a
   * primary whose log falls 10 s behind rejects writes until it catches up (the durability alarms watch both).
   */
  ASYNC = 'async',
  /**
   * No transactional log: a failover loses what the replicas had not received. Sent as `Durability: disabled` on
   * Valkey 9.0+ only; on older engines, which have no durability, the property is left out.
   */
  DISABLED = 'disabled',
}
