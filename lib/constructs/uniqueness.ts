import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalid } from './validation';

/** Names claimed in each app, by kind, account and region: which construct holds each. */
const claims = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Claims a name that AWS requires to be unique per account and region (cache names and replication group ids, from
 * which user and user group ids derive; user ids). A second construct in the same app that claims it is refused at
 * construction, naming the first, instead of failing in the middle of a deployment.
 */
export function claimUniqueName(scope: IConstruct, kind: 'cache' | 'user', prop: string, name: string): void {
  const root = scope.node.root;
  const taken = claims.get(root) ?? new Map<string, string>();
  claims.set(root, taken);
  const stack = Stack.of(scope);
  const key = `${kind}|${stack.account}|${stack.region}|${name}`;
  const holder = taken.get(key);
  if (holder !== undefined && holder !== scope.node.path) {
    invalid(scope, prop, name, `already used by ${holder}; ${kind === 'cache' ? 'cache names and replication group ids' : 'user ids'} are unique per account and region`);
  }
  taken.set(key, scope.node.path);
}
