/**
 * Creates the declared vector indexes on a cache, idempotently: FT._LIST says which exist, FT.INFO what each holds; an
 * index that matches its declaration is left alone, a missing one is created, and a changed one is refused or, when
 * the policy says so, dropped (FT.DROPINDEX without DD: the keys stay) and created again, which starts a backfill.
 * Tested against valkey-search 1.0.3 (standalone, and a TLS cluster with its coordinator).
 */
import { isUnknownCommand, NoVectorSearch } from '../catalog/errors';
import { createIndexArguments, indexOwnerKey, VectorIndexSpec } from '../catalog/vector-index';
import { Client } from '../client/target';
import { indexPropagated } from '../client/semantic/index-propagation';
import { indexDifferences, ObservedIndex, parseFtInfo } from './vector-index-info';

/** What to do with an existing index whose definition differs from its declaration. */
export type IndexChangePolicy = 'refuse' | 'recreate';

export type IndexAction =
  | { readonly kind: 'create'; readonly index: string }
  | { readonly kind: 'unchanged'; readonly index: string }
  | { readonly kind: 'recreate'; readonly index: string; readonly differences: string[] }
  | { readonly kind: 'drop'; readonly index: string };

/** An index changed outside its declaration (or its declaration changed) and the policy refuses to recreate it. */
export class IndexChangeRefused extends Error {
  constructor(index: string, differences: string[]) {
    super(`vector index ${index} exists with another definition, and the change policy is REFUSE (recreating drops the ` +
      `index and rebuilds it from the keys; queries fail until the backfill ends):\n  ${differences.join('\n  ')}\n` +
      'Declare the index as it is, give the new definition a new index name, or set vectorIndexChangePolicy: RECREATE.');
    this.name = 'IndexChangeRefused';
  }
}

/** The declaration the resource held before this request (CloudFormation's OldResourceProperties), if any. */
export interface PreviousDeclaration {
  readonly indexes: readonly VectorIndexSpec[];
  readonly changePolicy: IndexChangePolicy;
}

/**
 * What to do for each declared index, given the existing ones, and which previously declared indexes to drop. Only
 * indexes the previous declaration held are ever dropped, never an index someone else created.
 * A changed index is recreated under the RECREATE policy, and also when the previous declaration had RECREATE and the
 * index is exactly what it declared: that is CloudFormation rolling back an update that recreated it (the rollback
 * sends the old properties, with their own policy, back), and refusing there would leave the stack in
 * UPDATE_ROLLBACK_FAILED.
 */
export function planIndexes(declared: readonly VectorIndexSpec[], existing: ReadonlyMap<string, ObservedIndex>, policy: IndexChangePolicy, previous?: PreviousDeclaration): IndexAction[] {
  const actions: IndexAction[] = [];
  for (const spec of declared) {
    const observed = existing.get(spec.name);
    if (!observed) {
      actions.push({ kind: 'create', index: spec.name });
      continue;
    }
    const differences = indexDifferences(spec, observed);
    const before = previous?.indexes.find((s) => s.name === spec.name);
    const undoing = previous?.changePolicy === 'recreate' && before !== undefined && indexDifferences(before, observed).length === 0;
    if (differences.length === 0) actions.push({ kind: 'unchanged', index: spec.name });
    else if (policy === 'recreate' || undoing) actions.push({ kind: 'recreate', index: spec.name, differences });
    else throw new IndexChangeRefused(spec.name, differences);
  }
  const names = new Set(declared.map((s) => s.name));
  for (const { name } of previous?.indexes ?? []) if (!names.has(name) && existing.has(name)) actions.push({ kind: 'drop', index: name });
  return actions;
}

/** The names of the cache's indexes (FT._LIST). */
export async function listIndexes(client: Client): Promise<string[]> {
  try {
    const reply = await client.call('FT._LIST');
    return (Array.isArray(reply) ? reply : []).map(String);
  } catch (e) {
    if (isUnknownCommand(e)) throw new NoVectorSearch(`FT._LIST: ${(e as Error).message}`);
    throw e;
  }
}

/**
 * Reads, plans and applies: returns the actions taken, in order. With `owner` (the custom resource's physical id),
 * every declared index is recorded as owned by it, and a dropped one loses its record.
 */
export async function applyIndexes(client: Client, declared: readonly VectorIndexSpec[], policy: IndexChangePolicy, previous?: PreviousDeclaration, owner?: string): Promise<IndexAction[]> {
  const names = new Set(await listIndexes(client));
  const existing = new Map<string, ObservedIndex>();
  for (const name of new Set([...declared.map((s) => s.name), ...(previous?.indexes ?? []).map((s) => s.name)])) {
    if (names.has(name)) existing.set(name, parseFtInfo(await client.call('FT.INFO', name)));
  }
  const actions = planIndexes(declared, existing, policy, previous);
  const specs = new Map(declared.map((s) => [s.name, s]));
  for (const action of actions) {
    if (action.kind === 'drop' || action.kind === 'recreate') {
      await client.call('FT.DROPINDEX', action.index);
      await indexPropagated(client, action.index, false);
    }
    if (action.kind === 'create' || action.kind === 'recreate') {
      const [command, ...args] = createIndexArguments(specs.get(action.index)!);
      await client.call(command, ...args);
      await indexPropagated(client, action.index, true);
    }
  }
  if (owner !== undefined) {
    for (const spec of declared) await client.set(indexOwnerKey(spec), owner);
    for (const action of actions) {
      const dropped = action.kind === 'drop' ? previous?.indexes.find((s) => s.name === action.index) : undefined;
      if (dropped) await client.del(indexOwnerKey(dropped));
    }
  }
  return actions;
}

/** What a Delete did with each declared index. */
export type DropOutcome =
  | { readonly kind: 'drop'; readonly index: string }
  | { readonly kind: 'left'; readonly index: string; readonly owner: string };

/**
 * Drops the declared indexes that exist (the keys stay), except one that another resource now owns (its record names
 * another owner): that one is left to it. An index without a record (created before records were kept) is dropped.
 */
export async function dropIndexes(client: Client, declared: readonly VectorIndexSpec[], owner: string): Promise<DropOutcome[]> {
  const existing = new Set(await listIndexes(client));
  const outcomes: DropOutcome[] = [];
  for (const spec of declared) {
    if (!existing.has(spec.name)) continue;
    const recorded = await client.get(indexOwnerKey(spec));
    if (recorded !== null && recorded !== owner) {
      outcomes.push({ kind: 'left', index: spec.name, owner: recorded });
      continue;
    }
    await client.call('FT.DROPINDEX', spec.name);
    await indexPropagated(client, spec.name, false);
    await client.del(indexOwnerKey(spec));
    outcomes.push({ kind: 'drop', index: spec.name });
  }
  return outcomes;
}
