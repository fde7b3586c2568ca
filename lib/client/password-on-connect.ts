import { Redis } from 'ioredis';

/** The parts of an ioredis connection that decide what it authenticates with (not in ioredis' typings). */
interface AuthInternals {
  options: { username?: string; password?: string };
  condition?: { auth?: string | [string | undefined, string] };
  connector: { connect(...args: unknown[]): Promise<unknown>; disconnect(): void };
}

/**
 * Makes an ioredis connection, and every duplicate of it (cluster slot refreshes use duplicates), ask `source` for the
 * password each time it opens a socket: its connector waits for the password before connecting and puts it where the
 * AUTH/HELLO after connect reads it. If the source fails, the connection tries the password it has, and fails as the
 * server says. A connection closed while its password is being fetched never opens its socket (ioredis' disconnect
 * has no socket to close yet, so without this the socket would open after the close and stay open).
 */
export function passwordOnEveryConnect(redis: Redis, source: () => Promise<string>): Redis {
  const internals = redis as unknown as AuthInternals;
  const openSocket = internals.connector.connect.bind(internals.connector);
  const closeSocket = internals.connector.disconnect.bind(internals.connector);
  let fetching = false;
  let closedWhileFetching = false;
  internals.connector.disconnect = () => {
    if (fetching) closedWhileFetching = true;
    closeSocket();
  };
  internals.connector.connect = async (...args: unknown[]) => {
    fetching = true;
    closedWhileFetching = false;
    const password = await source().catch(() => undefined).finally(() => { fetching = false; });
    if (closedWhileFetching) throw new Error('Connection is closed.');
    if (password !== undefined) {
      internals.options.password = password;
      if (internals.condition) internals.condition.auth = internals.options.username ? [internals.options.username, password] : password;
    }
    return openSocket(...args);
  };
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (override) => passwordOnEveryConnect(duplicate(override), source);
  return redis;
}
