import { UsageError } from '../../catalog/errors';
import { featureStore } from './feature-store';
import { getSet } from './get-set';
import { inferenceCache } from './inference-cache';
import { leaderboard } from './leaderboard';
import { rateLimiter } from './rate-limiter';
import { semanticCacheWorkload } from './semantic-cache';
import { sessionStore } from './session-store';
import { WorkloadFactory, WorkloadParams } from './types';

export const WORKLOADS: Readonly<Record<string, WorkloadFactory>> = {
  'get-set': getSet,
  'inference-cache': inferenceCache,
  'session-store': sessionStore,
  'feature-store': featureStore,
  'rate-limiter': rateLimiter,
  leaderboard,
  'semantic-cache': semanticCacheWorkload,
};

export function workloadFactory(name: string): WorkloadFactory {
  const factory = WORKLOADS[name];
  if (!factory) throw new UsageError('--profile', name, `allowed are ${Object.keys(WORKLOADS).join(', ')}`);
  return factory;
}

/** Just the workload parameters of a larger configuration object. */
export function workloadParams(p: WorkloadParams): WorkloadParams {
  return {
    keyspace: p.keyspace, keyPattern: p.keyPattern, valueSize: p.valueSize, ttlSeconds: p.ttlSeconds, ttlJitter: p.ttlJitter, ratio: p.ratio,
    ...(p.semanticIndex ? { semanticIndex: p.semanticIndex } : {}),
  };
}
