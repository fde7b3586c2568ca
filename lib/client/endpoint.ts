import { UsageError } from '../catalog/errors';

/** Where the load goes: `redis[s]://[user:pass@]host:port`. */
export interface Endpoint {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
}

const ALLOWED = 'allowed is redis://[user:password@]host:port or rediss://... for TLS';

export function parseEndpoint(text: string, flag = '--endpoint'): Endpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(flag, text, ALLOWED);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(flag, text, ALLOWED);
  if (!url.hostname) throw new UsageError(flag, text, `${ALLOWED} (the host is missing)`);
  if ((url.pathname && url.pathname !== '/') || url.search) {
    throw new UsageError(flag, text, `${ALLOWED} (no database path or query: cluster mode has only database 0)`);
  }
  return {
    tls: url.protocol === 'rediss:',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

/** The endpoint with the password masked, for logs and reports. */
export function describeEndpoint(e: Endpoint): string {
  const auth = e.username ? `${e.username}${e.password ? ':***' : ''}@` : e.password ? ':***@' : '';
  return `${e.tls ? 'rediss' : 'redis'}://${auth}${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}
