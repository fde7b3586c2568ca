/** The load generator's workload profiles: what `LatencySlo` (and `ectk loadtest --workload`) runs. */
export enum LoadProfile {
  /** Memtier-style GET / SET baseline. */
  GET_SET = 'get-set',
  /** Answers to repeated prompts: Zipf-popular keys, read-through GET, SET 1-16 KB with a TTL on a miss; hit ratio. */
  INFERENCE_CACHE = 'inference-cache',
  /** Chat session state: list + hash per session with a sliding expiry. */
  SESSION_STORE = 'session-store',
  /** Online feature serving: pipelined HMGET of feature vectors, rare bulk HSET. */
  FEATURE_STORE = 'feature-store',
  /** Per-caller token bucket in one Lua script; allow ratio. */
  RATE_LIMITER = 'rate-limiter',
  /** Real-time rankings: ZINCRBY, top-N ZREVRANGE, ZREVRANK. */
  LEADERBOARD = 'leaderboard',
  /**
   * Prompts asked in other words: Zipf-popular intents, paraphrased queries and one hard negative in ten, through a
   * bucketed semantic cache (threshold 0.90); semantic hit ratio and false-hit ratio.
   */
  SEMANTIC_CACHE = 'semantic-cache',
}
