/**
 * The commands each profile sends, scripts' inner calls included (ACLs apply to the commands a script runs). The
 * preflight probes each of them before a run, so that a user whose ACL forbids one is told which, up front; a test
 * runs every profile as a user allowed exactly these commands.
 */
export const PROFILE_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  'get-set': ['get', 'set'],
  'inference-cache': ['get', 'set'],
  'session-store': ['multi', 'exec', 'rpush', 'ltrim', 'pexpire', 'hset', 'hincrby', 'lrange', 'hgetall'],
  'feature-store': ['hset', 'pexpire', 'hmget'],
  'rate-limiter': ['evalsha', 'eval', 'time', 'hmget', 'hset', 'pexpire'],
  leaderboard: ['multi', 'exec', 'zincrby', 'pexpire', 'zrevrange', 'zrevrank'],
  'semantic-cache': ['smembers', 'get', 'set', 'sadd', 'pexpire', 'srem'],
};

/** What every run sends besides its profile's commands: PING to connect, SCAN and UNLINK to delete its keys. */
export const RUN_COMMANDS: readonly string[] = ['ping', 'scan', 'unlink'];
