import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  AccessString, CacheEngine, ClusterCache, ClusterCacheProps, CommandCategory, EvictionPolicy, ServerlessCache, ServerlessCacheProps, TtlPolicy,
} from '../../lib';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; UpdatePolicy?: Record<string, unknown> }>;

/**
 * The create-only properties of each resource type, read from the CloudFormation resource schemas that ship with
 * cfn-lint (`createOnlyProperties`): a change to one of them replaces the resource.
 */
function createOnlyProperties(types: string[]): Record<string, string[]> {
  const script = [
    'import json, sys',
    'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m',
    'out = {}',
    'for t in json.loads(sys.argv[1]):',
    '    s = m.get_resource_schema("us-east-1", t).schema',
    '    out[t] = [p.split("/")[2] for p in s.get("createOnlyProperties", [])]',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, JSON.stringify(types)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`reading the resource schemas of cfn-lint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string[]>;
}

function resources(build: (stack: Stack, vpc: ec2.IVpc, key: kms.IKey) => void): Resources {
  const app = new App();
  const stack = new Stack(app, 'Updates');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });
  const key = new kms.Key(stack, 'Key');
  build(stack, vpc, key);
  return (app.synth().getStackByName('Updates').template as { Resources: Resources }).Resources;
}

/** Properties that hold a resource's physical name. */
const NAME_PROPERTIES = ['AlarmName', 'DashboardName', 'ReplicationGroupId', 'ServerlessCacheName', 'UserId', 'UserGroupId', 'Name', 'LogGroupName', 'CacheSubnetGroupName'];

/**
 * What an update from one template to the other would replace, or fail on: create-only properties that change on a
 * resource kept under its logical id (`<logical id>.<property>`), and physical names that move to another logical id
 * (CloudFormation creates the new resource before it deletes the old one, so the name is taken: `<name> moved`).
 * Resources that are only added or removed are neither.
 */
function replacements(before: Resources, after: Resources): string[] {
  const types = [...new Set([...Object.values(before), ...Object.values(after)].map((r) => r.Type))];
  const createOnly = createOnlyProperties(types);
  const replaced: string[] = [];
  for (const [id, resource] of Object.entries(before)) {
    const next = after[id];
    // An unnamed resource (a parameter group, say) is replaced under a new generated name, which is fine.
    if (!next || !NAME_PROPERTIES.some((p) => resource.Properties?.[p] !== undefined)) continue;
    for (const prop of createOnly[resource.Type] ?? []) {
      if (JSON.stringify(resource.Properties?.[prop]) !== JSON.stringify(next.Properties?.[prop])) replaced.push(`${id}.${prop}`);
    }
  }
  const names = (resources: Resources) => new Map(Object.entries(resources).flatMap(([id, r]) => NAME_PROPERTIES
    .filter((p) => r.Properties?.[p] !== undefined).map((p) => [`${r.Type} ${JSON.stringify(r.Properties![p])}`, id] as const)));
  const afterNames = names(after);
  for (const [name, id] of names(before)) {
    const nextId = afterNames.get(name);
    if (nextId !== undefined && nextId !== id) replaced.push(`${name} moved`);
  }
  return replaced.sort();
}

// docs/aws-facts.md, "Deploy-time limits and traps": a named resource cannot be replaced by CloudFormation, so a prop
// change that ElastiCache can apply in place must leave every create-only property (and every logical id) alone.
describe('changes CloudFormation applies in place never replace a named resource', () => {
  const cluster = (change: Partial<ClusterCacheProps>) => resources((stack, vpc) => {
    const cache = new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'orders', vpc, shards: 3, replicasPerShard: 1, nodeType: 'cache.r7g.large', engine: CacheEngine.VALKEY_8_1,
      evictionPolicy: EvictionPolicy.VOLATILE_LRU, ...change,
    });
    cache.addUser('App', { accessString: AccessString.forKeyPrefix('o:', [CommandCategory.READ, CommandCategory.WRITE]) });
  });
  const before = cluster({});

  test.each<[string, Partial<ClusterCacheProps>]>([
    ['more shards (online resharding)', { shards: 5 }],
    ['fewer shards (online resharding)', { shards: 2 }],
    ['a larger node type', { nodeType: 'cache.r7g.2xlarge' }],
    ['a minor engine upgrade', { engine: CacheEngine.VALKEY_8 }],
    ['another eviction policy', { evictionPolicy: EvictionPolicy.ALLKEYS_LFU }],
    ['snapshot retention and windows', { snapshotRetentionDays: 14, snapshotWindow: '02:00-03:00', maintenanceWindow: 'mon:04:00-mon:05:00' }],
    ['Multi-AZ off', { multiAz: false }],
    ['a TTL policy, and the engine log off', { ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(1) }), engineLog: false }],
    ['per-node alarms', { monitoring: { perNodeAlarms: true } }],
  ])('cluster: %s', (_, change) => {
    expect(replacements(before, cluster(change))).toEqual([]);
  });

  test('cluster: a major engine upgrade replaces only the parameter group, which has no fixed name', () => {
    const from = cluster({ engine: CacheEngine.VALKEY_7_2 });
    const to = cluster({ engine: CacheEngine.VALKEY_8 });
    expect(replacements(from, to)).toEqual([]);
    const family = (r: Resources) => Object.values(r).find((x) => x.Type === 'AWS::ElastiCache::ParameterGroup')!.Properties!.CacheParameterGroupFamily;
    expect([family(from), family(to)]).toEqual(['valkey7', 'valkey8']);
  });

  test('the shard count is changed through the UseOnlineResharding update policy', () => {
    const [rg] = Object.values(before).filter((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup');
    expect(rg.UpdatePolicy).toEqual({ UseOnlineResharding: true });
  });

  test('the props that are create-only on AWS do change a create-only property, and their JSDoc says so', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'constructs', 'cluster-cache.ts'), 'utf8');
    for (const prop of ['port', 'replicasPerShard', 'replicationGroupId', 'snapshotArnsToRestore', 'snapshotNameToRestore']) {
      expect([prop, new RegExp(`\\*\\*Create-only\\*\\*((?!/\\*\\*)[\\s\\S])*?\\*/\\s*readonly ${prop}\\?:`).test(source)]).toEqual([prop, true]);
    }
    expect(replacements(before, cluster({ port: 6380 }))).toEqual([expect.stringMatching(/^Cache[0-9A-F]{8}\.Port$/)]);
    expect(replacements(before, cluster({ replicasPerShard: 2 }))).toEqual([expect.stringMatching(/^Cache[0-9A-F]{8}\.ReplicasPerNodeGroup$/)]);
  });

  const serverless = (change: Partial<ServerlessCacheProps>) => resources((stack, vpc) => {
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, ...change });
    cache.addUser('App', { accessString: AccessString.forKeyPrefix('i:', [CommandCategory.READ, CommandCategory.WRITE]) });
  });
  const serverlessBefore = serverless({});

  test.each<[string, Partial<ServerlessCacheProps>]>([
    ['snapshot retention and time', { snapshotRetentionDays: 3, dailySnapshotTime: '04:00' }],
    ['a description and a TTL policy', { description: 'answers', ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.minutes(10) }) }],
    ['no final snapshot', { finalSnapshot: false }],
  ])('serverless: %s', (_, change) => {
    expect(replacements(serverlessBefore, serverless(change))).toEqual([]);
  });

  test('serverless: a KMS key is create-only, and says so', () => {
    const withKey = resources((stack, vpc, key) => {
      const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc, encryptionKey: key });
      cache.addUser('App', { accessString: AccessString.forKeyPrefix('i:', [CommandCategory.READ, CommandCategory.WRITE]) });
    });
    expect(replacements(serverlessBefore, withKey)).toEqual([expect.stringMatching(/^Cache[0-9A-F]{8}\.KmsKeyId$/)]);
  });
});
