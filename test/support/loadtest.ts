import { parseEndpoint } from '../../lib/client/endpoint';
import { LoadTestConfig } from '../../lib/loadgen/run';
import { tlsCertificates } from './redis';

/** A short open-loop run against a local server; tests override what they are about. */
export function config(port: number, overrides: Partial<LoadTestConfig> = {}, options: { cluster?: boolean; tls?: boolean; auth?: string } = {}): LoadTestConfig {
  const scheme = options.tls ? 'rediss' : 'redis';
  return {
    target: {
      endpoint: parseEndpoint(`${scheme}://${options.auth ? `${options.auth}@` : ''}127.0.0.1:${port}`),
      cluster: options.cluster ?? false,
      tlsCaFile: options.tls ? tlsCertificates().ca : undefined,
      timeoutMs: 1000,
    },
    profile: 'get-set',
    rate: 1000,
    closedLoop: false,
    poisson: false,
    connections: 2,
    pipeline: 1,
    threads: 1,
    warmupMs: 200,
    durationMs: 1500,
    keyPrefix: 'ectk:slo:',
    keyspace: 500,
    keyPattern: 'uniform',
    valueSize: [64, 256],
    ttlSeconds: 300,
    ttlJitter: 0.1,
    ratio: [1, 3],
    keepData: false,
    seed: 42,
    ...overrides,
  };
}
