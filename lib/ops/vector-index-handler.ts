/**
 * The function behind ClusterCache's `vectorIndexes`, bound to the cache as a user confined to the index prefixes:
 * - `onEvent`, the custom resource (CloudFormation Create/Update/Delete through the CDK provider framework): creates
 *   the declared indexes, refuses or recreates a changed one, drops the ones no longer declared;
 * - `watch`, every 5 minutes: reads the indexes' state and memory on every primary and writes the search health
 *   metrics that the vector-index alarms watch as an embedded-metric-format log line (no API call, so no network path
 *   to CloudWatch is needed from the VPC).
 */
import { SEARCH_DIMENSION, SEARCH_NAMESPACE } from '../catalog/search-health';
import { LOGIN_WAIT_ENV, parseVectorIndexDocument } from '../catalog/vector-index';
import { CacheConnection, connect, ConnectOptions } from '../client/connect';
import { CacheConnectError } from '../client/connect-failure';
import { emfRecord } from '../client/semantic/emf';
import { searchHealth, searchHealthMetrics, SearchHealthMetric } from './search-health';
import { applyIndexes, dropIndexes, IndexAction } from './vector-indexes';

/** The parts of a CloudFormation custom resource event the function reads (the provider framework passes it on). */
export interface IndexResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  /** The resource's logical id: part of the physical id a Create returns, so a renamed resource is another owner. */
  readonly LogicalResourceId?: string;
  readonly ResourceProperties: { readonly Document: string };
  readonly OldResourceProperties?: { readonly Document: string };
}

export interface IndexResourceResponse {
  readonly PhysicalResourceId: string;
  readonly Data: { readonly Actions: string };
}

/** Describes actions for the CloudFormation event log: `create qa-idx; unchanged docs-idx`. */
function summary(actions: readonly IndexAction[]): string {
  return actions.map((a) => `${a.kind} ${a.index}`).join('; ') || 'nothing to do';
}

/**
 * Creates, checks, recreates and drops the declared indexes; a failure fails the deployment with its reason. A Delete
 * never fails: it runs when the stack is deleted or rolled back, perhaps with the cache unreachable or never created,
 * and an index left behind dies with its cache or is harmless, while a failed Delete would block the stack.
 */
export async function onEvent(event: IndexResourceEvent, options: ConnectOptions = {}): Promise<IndexResourceResponse> {
  if (event.RequestType === 'Delete') return deleteIndexes(event, options);
  const document = parseVectorIndexDocument(event.ResourceProperties.Document);
  const previous = event.OldResourceProperties ? parseVectorIndexDocument(event.OldResourceProperties.Document) : undefined;
  const connection = await connectOnceLoginWorks(options);
  const physicalId = event.PhysicalResourceId ?? `${connection.contract.cacheName}/vector-indexes/${event.LogicalResourceId ?? 'Indexes'}`;
  try {
    const actions = await applyIndexes(connection.client, document.indexes, document.changePolicy, previous, physicalId);
    console.log(JSON.stringify({ cache: connection.contract.cacheName, request: event.RequestType, actions }));
    return { PhysicalResourceId: physicalId, Data: { Actions: summary(actions) } };
  } finally {
    await connection.close();
  }
}

/** Whether the cache refused the user (its password or token), as it does until a user group change is applied. */
function loginRefused(error: unknown): boolean {
  return error instanceof CacheConnectError && error.serverAnswered && /WRONGPASS|NOAUTH|invalid username-password/i.test(error.message);
}

/**
 * Connects as the function's user, retrying a refused login every 5 s for up to LOGIN_WAIT_ENV seconds: a user just
 * added to the group of an existing cache can log in only once ElastiCache has applied the change. Any other failure,
 * or a refusal past the wait, fails at once with the reason.
 */
async function connectOnceLoginWorks(options: ConnectOptions): Promise<CacheConnection> {
  const waitS = Number(process.env[LOGIN_WAIT_ENV] ?? 0) || 0;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({ connectTimeoutMs: 5000, ...options });
    } catch (e) {
      const waited = (Date.now() - started) / 1000;
      if (!loginRefused(e) || waited >= waitS) {
        if (attempt === 1) throw e;
        throw new Error(`${(e as Error).message} (the login was still refused after ${attempt} attempts over ${Math.round(waited)} s: ` +
          'is the function\'s user in the cache\'s user group?)', { cause: e });
      }
      console.log(JSON.stringify({ waiting: 'the function\'s user cannot log in yet (a user group change not yet applied?)', attempt, error: (e as Error).message }));
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 1000 * waitS - (Date.now() - started))));
    }
  }
}

/**
 * Drops the indexes the resource declared and still owns (the keys stay, FT.DROPINDEX without DD); one that another
 * resource has taken over (a logical id changed) is left to it. Says what it did and what it could not do.
 */
async function deleteIndexes(event: IndexResourceEvent, options: ConnectOptions): Promise<IndexResourceResponse> {
  const physicalId = event.PhysicalResourceId ?? 'vector-indexes';
  try {
    const declared = parseVectorIndexDocument(event.ResourceProperties.Document).indexes;
    const connection = await connect({ connectTimeoutMs: 5000, ...options });
    try {
      const outcomes = await dropIndexes(connection.client, declared, physicalId);
      console.log(JSON.stringify({ cache: connection.contract.cacheName, request: 'Delete', outcomes }));
      const said = outcomes.map((o) => (o.kind === 'drop' ? `drop ${o.index}` : `left ${o.index} (owned by ${o.owner})`));
      return { PhysicalResourceId: physicalId, Data: { Actions: said.join('; ') || 'nothing to do' } };
    } finally {
      await connection.close();
    }
  } catch (e) {
    const message = `indexes left in place: ${(e as Error).message}`;
    console.log(JSON.stringify({ request: 'Delete', warning: message }));
    return { PhysicalResourceId: physicalId, Data: { Actions: message } };
  }
}

/** Reads the search health of every primary and writes it as metrics (one EMF log line); returns what was written. */
export async function watch(options: ConnectOptions & { log?: (line: string) => void } = {}): Promise<SearchHealthMetric[]> {
  const connection = await connect({ connectTimeoutMs: 5000, ...options });
  try {
    const metrics = searchHealthMetrics(await searchHealth(connection.client));
    (options.log ?? console.log)(emfRecord(SEARCH_NAMESPACE, { [SEARCH_DIMENSION]: connection.contract.cacheName }, metrics));
    return metrics;
  } finally {
    await connection.close();
  }
}
