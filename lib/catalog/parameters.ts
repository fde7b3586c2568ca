/**
 * Parameter group families and the parameters ElastiCache accepts in them.
 * Source: ElastiCache guide "Redis OSS-specific parameters" (ParameterGroups.Redis) and "Valkey-specific parameters"
 * (ParameterGroups.Valkey): the redis7 family carries the parameters of every earlier family that are still
 * modifiable, plus the ones added in 7; "Valkey 7.2 parameters are the same as Redis OSS 7 parameters" (ParameterGroups.Engine).
 * Valkey 8 and later add parameters release by release (8.1, 8.2 `search-*`, 9.x), so their lists are not pinned
 * here and their parameter names are passed through unchecked.
 */

const REDIS7_PARAMETERS: readonly string[] = [
  'acllog-max-len',
  'active-defrag-cycle-max',
  'active-defrag-cycle-min',
  'active-defrag-ignore-bytes',
  'active-defrag-max-scan-fields',
  'active-defrag-threshold-lower',
  'active-defrag-threshold-upper',
  'active-expire-effort',
  'activedefrag',
  'activerehashing',
  'appendfsync',
  'appendonly',
  'client-output-buffer-limit-normal-hard-limit',
  'client-output-buffer-limit-normal-soft-limit',
  'client-output-buffer-limit-normal-soft-seconds',
  'client-output-buffer-limit-pubsub-hard-limit',
  'client-output-buffer-limit-pubsub-soft-limit',
  'client-output-buffer-limit-pubsub-soft-seconds',
  'client-output-buffer-limit-replica-hard-limit',
  'client-output-buffer-limit-replica-soft-limit',
  'client-output-buffer-limit-replica-soft-seconds',
  'client-query-buffer-limit',
  'close-on-replica-write',
  'cluster-allow-pubsubshard-when-down',
  'cluster-allow-reads-when-down',
  'cluster-enabled',
  'cluster-preferred-endpoint-type',
  'cluster-require-full-coverage',
  'databases',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'hash-max-ziplist-entries',
  'hash-max-ziplist-value',
  'hll-sparse-max-bytes',
  'latency-tracking',
  'lazyfree-lazy-eviction',
  'lazyfree-lazy-expire',
  'lazyfree-lazy-server-del',
  'lazyfree-lazy-user-del',
  'lazyfree-lazy-user-flush',
  'lfu-decay-time',
  'lfu-log-factor',
  'list-compress-depth',
  'list-max-listpack-size',
  'list-max-ziplist-size',
  'lua-replicate-commands',
  'lua-time-limit',
  'maxclients',
  'maxmemory-policy',
  'maxmemory-samples',
  'min-replicas-max-lag',
  'min-replicas-to-write',
  'notify-keyspace-events',
  'proto-max-bulk-len',
  'rename-commands',
  'repl-backlog-size',
  'repl-backlog-ttl',
  'repl-timeout',
  'replica-allow-chaining',
  'replica-ignore-maxmemory',
  'replica-lazy-flush',
  'reserved-memory',
  'reserved-memory-percent',
  'set-max-intset-entries',
  'slowlog-log-slower-than',
  'slowlog-max-len',
  'stream-node-max-bytes',
  'stream-node-max-entries',
  'tcp-keepalive',
  'timeout',
  'tracking-table-max-keys',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
  'zset-max-ziplist-entries',
  'zset-max-ziplist-value',
];

/**
 * The parameter group family of an engine version: `valkey8`, `valkey7`, `redis7`, and `redis6.x` (not `redis6`) for
 * every Redis OSS 6 version (docs/aws-facts.md, "Parameter group families"; cfn-lint does not catch a wrong one).
 */
export function parameterGroupFamily(engine: string, version: string): string {
  const major = version.split('.')[0];
  if (engine === 'redis' && major === '6') return 'redis6.x';
  return `${engine}${major}`;
}

/** Parameters each family is known to accept; a family missing here is not checked. */
export const FAMILY_PARAMETERS: Readonly<Partial<Record<string, readonly string[]>>> = {
  redis7: REDIS7_PARAMETERS,
  valkey7: REDIS7_PARAMETERS,
};

/** The eight maxmemory policies (Redis / Valkey `maxmemory-policy`). */
export const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'allkeys-lru',
  'volatile-lfu',
  'allkeys-lfu',
  'volatile-random',
  'allkeys-random',
  'volatile-ttl',
  'noeviction',
] as const;
