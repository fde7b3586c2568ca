import { registerWorkloadSpec, workloadSpec, WorkloadSpec } from '../../catalog/workloads';
import { featureStore } from './feature-store';
import { getSet } from './get-set';
import { inferenceCache } from './inference-cache';
import { leaderboard } from './leaderboard';
import { rateLimiter } from './rate-limiter';
import { semanticCacheWorkload } from './semantic-cache';
import { sessionStore } from './session-store';
import { WorkloadFactory, WorkloadParams } from './types';

/** Each built-in profile's factory, by its catalog name (lib/catalog/workloads.ts holds the rest of its entry). */
const factories = new Map<string, WorkloadFactory>([
  ['get-set', getSet],
  ['inference-cache', inferenceCache],
  ['session-store', sessionStore],
  ['feature-store', featureStore],
  ['rate-limiter', rateLimiter],
  ['leaderboard', leaderboard],
  ['semantic-cache', semanticCacheWorkload],
]);

/**
 * Adds a profile: its catalog entry (name, commands, counters, figures) and its factory. The engine, the merge, the SLO
 * evaluation, the JSON, the report and the published metrics carry its figures by their declared names. A profile
 * defined this way runs in the process that defined it (`threads: 1`); worker threads and the Lambda know the built-ins.
 */
export function defineWorkload(spec: WorkloadSpec, factory: WorkloadFactory): void {
  registerWorkloadSpec(spec);
  factories.set(spec.name, factory);
}

/** The factory of a profile; an unknown name is refused with the names there are. */
export function workloadFactory(name: string): WorkloadFactory {
  workloadSpec(name);
  const factory = factories.get(name);
  if (!factory) throw new Error(`workload ${name} has a catalog entry but no factory: define it with defineWorkload()`);
  return factory;
}

/** Just the workload parameters of a larger configuration object. */
export function workloadParams(p: WorkloadParams): WorkloadParams {
  return {
    keyspace: p.keyspace, keyPattern: p.keyPattern, valueSize: p.valueSize, ttlSeconds: p.ttlSeconds, ttlJitter: p.ttlJitter, ratio: p.ratio,
    ...(p.semanticIndex ? { semanticIndex: p.semanticIndex } : {}),
  };
}
