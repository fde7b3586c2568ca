import { parseEndpoint } from '../client/endpoint';
import { TargetOptions } from '../client/target';

/** A Redis target from an endpoint URL, with the ops commands' short timeout. */
export function targetOf(endpoint: string, cluster: boolean, tlsCaFile?: string, tlsInsecure?: boolean): TargetOptions {
  return { endpoint: parseEndpoint(endpoint), cluster, tlsCaFile, tlsInsecure, timeoutMs: 2000 };
}
