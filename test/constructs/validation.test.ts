import { Duration, Lazy, Size } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AccessString, CacheDashboard, CacheEngine, CacheUser, ClusterCache, ClusterCacheProps, CommandCategory, Durability, EvictionPolicy, SemanticCacheAlarms,
  ServerlessCache, ServerlessCacheProps, TtlPolicy, UserAuthentication,
} from '../../lib';
import { testStack } from '../support/cdk';
import { NODE_BASED_ENGINE_VERSIONS, SERVERLESS_MAJOR_VERSIONS } from '../../lib/catalog/engine-versions';

type Case = [string, () => unknown, RegExp];

function serverless(props: Partial<ServerlessCacheProps>): () => unknown {
  return () => {
    const { stack, vpc } = testStack();
    return new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'ok', vpc, ...props });
  };
}

function cluster(props: Partial<ClusterCacheProps>): () => unknown {
  return () => {
    const { stack, vpc } = testStack();
    return new ClusterCache(stack, 'Cache', { replicationGroupId: 'ok', vpc, ...props });
  };
}

const ID_RULE = 'allowed is 1-40 characters of lower-case letters, digits and hyphens, starting with a letter, without "--" and not ending with "-"';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const cases: Case[] = [
  // ServerlessCache
  ['upper-case serverless name', serverless({ serverlessCacheName: 'Orders' }), new RegExp(`^Test/Cache: invalid serverlessCacheName "Orders": ${esc(ID_RULE)}$`)],
  ['name starting with a digit', serverless({ serverlessCacheName: '1cache' }), /invalid serverlessCacheName "1cache": allowed is 1-40/],
  ['name with a double hyphen', serverless({ serverlessCacheName: 'a--b' }), /invalid serverlessCacheName "a--b": allowed is/],
  ['name ending in a hyphen', serverless({ serverlessCacheName: 'cache-' }), /invalid serverlessCacheName "cache-": allowed is/],
  ['name of 41 characters', serverless({ serverlessCacheName: 'a'.repeat(41) }), new RegExp(`invalid serverlessCacheName "${'a'.repeat(41)}": allowed is 1-40`)],
  ['Redis OSS 6 on serverless', serverless({ engine: CacheEngine.redisOss('6.2') }),
    /^Test\/Cache: invalid engine "Redis OSS 6\.2": serverless caches run Valkey 7\.2 or later, or Redis OSS 7$/],
  ['storage maximum of 0 GB', serverless({ usageLimits: { dataStorageMaximum: Size.gibibytes(0) } }),
    /invalid usageLimits\.dataStorageMaximum 0: allowed is an integer from 1 to 5000$/],
  ['storage maximum of 6000 GB', serverless({ usageLimits: { dataStorageMaximum: Size.gibibytes(6000) } }),
    /invalid usageLimits\.dataStorageMaximum 6000: allowed is an integer from 1 to 5000$/],
  ['storage of 1.5 GB', serverless({ usageLimits: { dataStorageMaximum: Size.mebibytes(1536) } }),
    /invalid usageLimits\.dataStorageMaximum "1536 MiB": allowed is a whole number of GB \(GiB\)$/],
  // Size's own conversions throw on NaN without naming the prop: the toolkit refuses it first.
  ['storage maximum of NaN GB', serverless({ usageLimits: { dataStorageMaximum: Size.gibibytes(NaN) } }),
    /^Test\/Cache: invalid usageLimits\.dataStorageMaximum "NaN GiB": allowed is a whole number of GB \(GiB\)$/],
  ['storage minimum above maximum', serverless({ usageLimits: { dataStorageMinimum: Size.gibibytes(20), dataStorageMaximum: Size.gibibytes(10) } }),
    /invalid usageLimits\.dataStorageMinimum "20 GB": must not exceed dataStorageMaximum \(10 GB\)$/],
  ['ECPU maximum below 1000', serverless({ usageLimits: { ecpuPerSecondMaximum: 500 } }),
    /invalid usageLimits\.ecpuPerSecondMaximum 500: allowed is an integer from 1000 to 15000000$/],
  ['ECPU minimum above maximum', serverless({ usageLimits: { ecpuPerSecondMinimum: 20000, ecpuPerSecondMaximum: 10000 } }),
    /invalid usageLimits\.ecpuPerSecondMinimum 20000: must not exceed ecpuPerSecondMaximum \(10000\)$/],
  ['serverless retention of 36 days', serverless({ snapshotRetentionDays: 36 }), /invalid snapshotRetentionDays 36: allowed is an integer from 0 to 35$/],
  ['snapshot time 25:00', serverless({ dailySnapshotTime: '25:00' }), /invalid dailySnapshotTime "25:00": allowed is HH:MM in UTC/],
  ['restore from a non-snapshot ARN', serverless({ snapshotArnsToRestore: ['arn:aws:s3:::bucket/dump.rdb'] }),
    /invalid snapshotArnsToRestore "arn:aws:s3:::bucket\/dump\.rdb": allowed are serverless cache snapshot ARNs/],
  ['subnet selection that matches nothing', serverless({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    /^Test\/Cache: invalid vpcSubnets "Isolated": the selection matched no subnets in the VPC \(There are no 'Isolated' subnet groups/],
  ['empty security group list', serverless({ securityGroups: [] }), /invalid securityGroups \[\]: allowed is at least one security group/],

  // ClusterCache
  ['six replicas per shard', cluster({ replicasPerShard: 6 }), /^Test\/Cache: invalid replicasPerShard 6: allowed is an integer from 0 to 5$/],
  ['zero shards', cluster({ shards: 0 }), /invalid shards 0: allowed is an integer from 1 to 500$/],
  ['501 shards', cluster({ shards: 501, replicasPerShard: 0, multiAz: false }), /invalid shards 501: allowed is an integer from 1 to 500$/],
  ['more than 500 nodes', cluster({ shards: 100, replicasPerShard: 5 }),
    /invalid shards × \(replicasPerShard \+ 1\) 600: a replication group has at most 500 nodes$/],
  ['Multi-AZ without replicas', cluster({ replicasPerShard: 0 }),
    /invalid multiAz true: Multi-AZ needs at least one replica per shard; set replicasPerShard >= 1 or multiAz: false$/],
  ['node type without the cache. prefix', cluster({ nodeType: 'r7g.large' }), /invalid nodeType "r7g\.large": allowed is cache\.<family>\.<size>/],
  // A size ElastiCache does not name is a typo, refused with the nearest size of that family (docs/aws-facts.md, "Node memory").
  ['node type with a mistyped size', cluster({ nodeType: 'cache.r7g.larg' }),
    /^Test\/Cache: invalid nodeType "cache\.r7g\.larg": the size "larg" is not one ElastiCache names \(micro, small, medium, large, xlarge, 2xlarge, \.\.\.\); did you mean cache\.r7g\.large\?$/],
  ['node-based engine with a major version only', cluster({ engine: CacheEngine.valkey('8') }),
    /invalid engine "Valkey 8": node-based caches need a MAJOR\.MINOR engine version/],
  // docs/aws-facts.md, "Engine versions": node-based Valkey 7.2-9.1 and Redis OSS 6.0-7.1 (the toolkit creates no 4 or 5).
  ['node-based Redis OSS 5.0', cluster({ engine: CacheEngine.redisOss('5.0') }),
    /^Test\/Cache: invalid engine "Redis OSS 5\.0": allowed are the node-based versions ElastiCache documents: 6\.0, 6\.2, 7\.0, 7\.1, or a newer one \(docs\/aws-facts\.md, "Engine versions"\)$/],
  ['a Valkey version that never existed', cluster({ engine: CacheEngine.valkey('8.3') }),
    /^Test\/Cache: invalid engine "Valkey 8\.3": allowed are the node-based versions ElastiCache documents: 7\.2, 8\.0, 8\.1, 8\.2, 9\.0, 9\.1, or a newer one/],
  ['Redis OSS 6.1', cluster({ engine: CacheEngine.redisOss('6.1') }), /invalid engine "Redis OSS 6\.1": allowed are the node-based versions ElastiCache documents: 6\.0, 6\.2/],
  ['serverless Valkey 7.1', serverless({ engine: CacheEngine.valkey('7.1') }),
    /^Test\/Cache: invalid engine "Valkey 7\.1": ElastiCache documents 7\.2 in that major version \(a serverless cache needs only the major version\)/],
  ['reserved memory of 101 %', cluster({ reservedMemoryPercent: 101 }), /invalid reservedMemoryPercent 101: allowed is an integer from 0 to 100$/],
  ['maxmemory-samples of 0', cluster({ maxmemorySamples: 0 }), /invalid maxmemorySamples 0: allowed is an integer from 1 to 64$/],
  ['LFU tuning with an LRU policy', cluster({ lfuLogFactor: 10 }),
    /invalid lfuLogFactor 10: only takes effect with an LFU eviction policy \(allkeys-lfu, volatile-lfu\); evictionPolicy is volatile-lru$/],
  ['typed parameter through the escape hatch', cluster({ parameters: { 'maxmemory-policy': 'allkeys-lru' } }),
    /invalid parameters\["maxmemory-policy"\] "allkeys-lru": set it with the typed prop evictionPolicy$/],
  ['cluster-enabled through the escape hatch', cluster({ parameters: { 'cluster-enabled': 'no' } }), /invalid parameters\["cluster-enabled"\] "no": set it with the typed prop \(always "yes"/],
  ['unknown parameter for redis7', cluster({ engine: CacheEngine.REDIS_OSS_7, parameters: { 'maxmemory-polcy': 'x' } }),
    /invalid parameters "maxmemory-polcy": the redis7 parameter group family has no parameter of that name$/],
  ['snapshot window shorter than 60 minutes', cluster({ snapshotWindow: '03:00-03:30' }), /invalid snapshotWindow "03:00-03:30": the window must be at least 60 minutes long$/],
  ['snapshot window in the wrong format', cluster({ snapshotWindow: '3am-4am' }), /invalid snapshotWindow "3am-4am": allowed is hh24:mi-hh24:mi in UTC/],
  ['maintenance window with long day names', cluster({ maintenanceWindow: 'sunday:05:00-sunday:06:00' }),
    /invalid maintenanceWindow "sunday:05:00-sunday:06:00": allowed is ddd:hh24:mi-ddd:hh24:mi in UTC with days sun\.\.sat/],
  ['maintenance window shorter than 60 minutes', cluster({ maintenanceWindow: 'tue:05:00-tue:05:30' }), /invalid maintenanceWindow "tue:05:00-tue:05:30": the window must be at least 60 minutes long$/],
  ['maintenance window overlapping the snapshot window', cluster({ snapshotWindow: '03:00-04:00', maintenanceWindow: 'sun:03:30-sun:04:30' }),
    /invalid maintenanceWindow "sun:03:30-sun:04:30": must not overlap the snapshot window \(03:00-04:00\)$/],
  ['overlap across midnight', cluster({ snapshotWindow: '23:30-00:30', maintenanceWindow: 'mon:00:00-mon:01:00' }),
    /invalid maintenanceWindow "mon:00:00-mon:01:00": must not overlap the snapshot window \(23:30-00:30\)$/],
  ['restore from both ARNs and a snapshot name', cluster({ snapshotArnsToRestore: ['arn:aws:s3:::b/x.rdb'], snapshotNameToRestore: 'x' }),
    /invalid snapshotNameToRestore "x": restore from snapshotArnsToRestore or snapshotNameToRestore, not both$/],
  ['restore from an ARN that is not an RDB file', cluster({ snapshotArnsToRestore: ['arn:aws:s3:::bucket/dump.json'] }),
    /invalid snapshotArnsToRestore "arn:aws:s3:::bucket\/dump\.json": allowed are S3 object ARNs of RDB files/],
  ['port 0', cluster({ port: 0 }), /invalid port 0: allowed is an integer from 1 to 65535$/],
  ['replication group id with an underscore', cluster({ replicationGroupId: 'my_cache' }), /invalid replicationGroupId "my_cache": allowed is 1-40/],

  // Auth
  ['IAM auth on Redis OSS 6.2', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'old', vpc, engine: CacheEngine.redisOss('6.2') }).addUser('App');
  }, /^Test\/Cache\/App: invalid authentication "iam": IAM authentication needs Valkey 7\.2\+ or Redis OSS 7\.0\+; the cache runs Redis OSS 6\.2$/],
  ['a user named default', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', vpc }).addUser('App', { userName: 'default' });
  }, /invalid userName "default": the "default" user is managed by the cache \(disabled\); pick another name$/],
  ['a user name with an underscore', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', vpc }).addUser('App', { userName: 'app_user' });
  }, /^Test\/Cache\/App: invalid userName "app_user": allowed are lower-case letters, digits and hyphens/],
  ['two users with one name', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', vpc });
    cache.addUser('A', { userName: 'app' });
    cache.addUser('B', { userName: 'app' });
  }, /^Test\/Cache\/B: invalid userName "app": already used by Test\/Cache\/A; user ids are unique per account and region$/],
  ['imported IAM user whose name differs from its id', () => {
    const { stack } = testStack();
    CacheUser.fromCacheUserAttributes(stack, 'U', { userId: 'app-id', userName: 'app', authentication: UserAuthentication.IAM });
  }, /^Test: invalid userName "app": an IAM user's name must equal its user id \("app-id"\)$/],
  ['empty key prefix', () => AccessString.forKeyPrefix('', [CommandCategory.READ]),
    /^AccessString: invalid prefix "": allowed is a non-empty key prefix without glob characters/],
  ['key prefix with a glob', () => AccessString.forKeyPrefix('ectk:*', [CommandCategory.READ]), /^AccessString: invalid prefix "ectk:\*"/],
  ['category written with @', () => CommandCategory.of('@read'), /^CommandCategory: invalid name "@read": allowed is a category name of lower-case letters without "@"/],
  ['bind a function outside the VPC', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', vpc });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x') });
    cache.bind(fn, { user: cache.addUser('App') });
  }, /^Test\/Cache: invalid bind\(fn\) "Test\/Fn": the function must run in the cache's VPC/],
  ['bind an imported function', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', vpc });
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:elsewhere', sameEnvironment: true,
    });
    cache.bind(fn, { user: cache.addUser('App') });
  }, /^Test\/Cache: invalid bind\(fn\) "Test\/Imported": a function defined in this app \(lambda.Function, or an alias or version of one\): an imported function's environment cannot be set here; use grantConnect\(\)/],

  // Numbers as given: NaN and the infinities are shown as such
  ['NaN shards', cluster({ shards: NaN }), /^Test\/Cache: invalid shards NaN: allowed is an integer from 1 to 500$/],
  ['Infinity replicas', cluster({ replicasPerShard: Infinity }), /^Test\/Cache: invalid replicasPerShard Infinity: allowed is an integer from 0 to 5$/],
  ['shards from a token', cluster({ shards: Lazy.number({ produce: () => 3 }) }),
    /^Test\/Cache: invalid shards "\(a token\)": must be a number known at synth time: member cluster ids, alarms and the dashboard are derived from it$/],
  ['a parameter value that is not a string', cluster({ parameters: { timeout: 300 as unknown as string } }),
    /^Test\/Cache: invalid parameters\["timeout"\] 300: a parameter value is a string/],

  // Uniqueness within an app: AWS names are unique per account and region
  ['two caches with one name', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'A', { serverlessCacheName: 'orders', vpc });
    new ClusterCache(stack, 'B', { replicationGroupId: 'orders', vpc });
  }, /^Test\/B: invalid replicationGroupId "orders": already used by Test\/A; cache names and replication group ids are unique per account and region$/],
  ['two users with one id across caches', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'A', { serverlessCacheName: 'a', vpc }).addUser('App', { userName: 'shared-app' });
    new ServerlessCache(stack, 'B', { serverlessCacheName: 'b', vpc }).addUser('App', { userName: 'shared-app' });
  }, /^Test\/B\/App: invalid userName "shared-app": already used by Test\/A\/App; user ids are unique per account and region$/],
  ['a user of one cache bound to another cache', () => {
    const { stack, vpc } = testStack();
    const a = new ServerlessCache(stack, 'A', { serverlessCacheName: 'a', vpc });
    const b = new ServerlessCache(stack, 'B', { serverlessCacheName: 'b', vpc });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'i.h', code: lambda.Code.fromInline('x'), vpc });
    b.bind(fn, { user: a.addUser('App') });
  }, /^Test\/B: invalid bind\(fn, \{ user \}\) "Test\/A\/App": the user belongs to a; the user group of b does not hold it, so it could not log in/],

  // Imports are validated like new caches
  ['imported serverless cache with an empty endpoint', () => {
    const { stack } = testStack();
    ServerlessCache.fromServerlessCacheAttributes(stack, 'I', { serverlessCacheName: 'x', endpointAddress: '', securityGroups: [] });
  }, /^Test\/I: invalid endpointAddress "": allowed is the host name of the endpoint/],
  ['imported serverless cache with a storage maximum of 0', () => {
    const { stack } = testStack();
    ServerlessCache.fromServerlessCacheAttributes(stack, 'I', { serverlessCacheName: 'x', endpointAddress: 'x.serverless.use1.cache.amazonaws.com', securityGroups: [], dataStorageMaximum: Size.gibibytes(0) });
  }, /^Test\/I: invalid usageLimits\.dataStorageMaximum 0: allowed is an integer from 1 to 5000$/],
  ['imported serverless cache with an ECPU maximum of 0', () => {
    const { stack } = testStack();
    ServerlessCache.fromServerlessCacheAttributes(stack, 'I', { serverlessCacheName: 'x', endpointAddress: 'x.serverless.use1.cache.amazonaws.com', securityGroups: [], ecpuPerSecondMaximum: 0 });
  }, /^Test\/I: invalid usageLimits\.ecpuPerSecondMaximum 0: allowed is an integer from 1000 to 15000000$/],
  ['imported cluster with a port of 70000', () => {
    const { stack } = testStack();
    ClusterCache.fromClusterCacheAttributes(stack, 'I', { replicationGroupId: 'x', configurationEndpointAddress: 'clustercfg.x.abc.use1.cache.amazonaws.com', securityGroups: [], shards: 1, replicasPerShard: 1, port: 70000 });
  }, /^Test\/I: invalid port 70000: allowed is an integer from 1 to 65535$/],
  ['imported cluster with a URL for an endpoint', () => {
    const { stack } = testStack();
    ClusterCache.fromClusterCacheAttributes(stack, 'I', { replicationGroupId: 'x', configurationEndpointAddress: 'rediss://clustercfg.x:6379', securityGroups: [], shards: 1, replicasPerShard: 1 });
  }, /^Test\/I: invalid configurationEndpointAddress "rediss:\/\/clustercfg\.x:6379": allowed is the host name/],
  ['imported cluster of 600 nodes', () => {
    const { stack } = testStack();
    ClusterCache.fromClusterCacheAttributes(stack, 'I', { replicationGroupId: 'x', configurationEndpointAddress: 'clustercfg.x.abc.use1.cache.amazonaws.com', securityGroups: [], shards: 200, replicasPerShard: 2 });
  }, /^Test\/I: invalid shards × \(replicasPerShard \+ 1\) 600: a replication group has at most 500 nodes$/],
  ['a metric of a node that is not a member', () => {
    const { stack, vpc } = testStack();
    new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc, shards: 2 }).metricForNode('EngineCPUUtilization', 'feat-0003-001');
  }, /^Test\/Cache: invalid memberClusterId "feat-0003-001": allowed are the member cluster ids of feat: feat-0001-001, feat-0001-002, feat-0002-001, feat-0002-002$/],

  // Imports: attributes no cache of that kind can have are refused like a new cache's (README, "Existing caches").
  ['an imported serverless cache on Redis OSS 6.2', () => {
    const { stack } = testStack();
    return ServerlessCache.fromServerlessCacheAttributes(stack, 'Old', {
      serverlessCacheName: 'old', endpointAddress: 'old-abc.serverless.use1.cache.amazonaws.com', securityGroups: [], engine: CacheEngine.REDIS_OSS_6_2,
    });
  }, /^Test\/Old: invalid engine "Redis OSS 6\.2": serverless caches run Valkey 7\.2 or later, or Redis OSS 7$/],
  ['an imported cluster with durability on Valkey 8.2', () => {
    const { stack } = testStack();
    return ClusterCache.fromClusterCacheAttributes(stack, 'Imp', {
      replicationGroupId: 'imp', configurationEndpointAddress: 'clustercfg.imp.abc.use1.cache.amazonaws.com', securityGroups: [], shards: 1, replicasPerShard: 1,
      engine: CacheEngine.VALKEY_8, durability: Durability.ASYNC,
    });
  }, /^Test\/Imp: invalid engine "Valkey 8\.2": durability needs Valkey 9\.0 or later \(durability: async\)$/],
  ['an imported data tiering cluster on Redis OSS 6.0', () => {
    const { stack } = testStack();
    return ClusterCache.fromClusterCacheAttributes(stack, 'Tier', {
      replicationGroupId: 'tier', configurationEndpointAddress: 'clustercfg.tier.abc.use1.cache.amazonaws.com', securityGroups: [], shards: 1, replicasPerShard: 1,
      engine: CacheEngine.redisOss('6.0'), nodeType: 'cache.r6gd.xlarge',
    });
  }, /^Test\/Tier: invalid engine "Redis OSS 6\.0": data tiering \(cache\.r6gd\.xlarge\) needs Redis OSS 6\.2 or later, or Valkey$/],

  // Alarm overrides that CloudWatch would reject, or that could never (or would always) fire
  ['a percentage threshold above 100', cluster({ monitoring: { overrides: { 'memory-high': { threshold: 120 } } } }),
    /^Test\/Cache\/Monitoring\/Alarms: invalid overrides\["memory-high"\]\.threshold 120: allowed is a number from 0 % to 100 %$/],
  ['a negative count threshold', cluster({ monitoring: { overrides: { evictions: { threshold: -1 } } } }),
    /invalid overrides\["evictions"\]\.threshold -1: allowed is a number from 0 to/],
  ['a NaN threshold', cluster({ monitoring: { overrides: { 'replication-lag': { threshold: NaN } } } }),
    /invalid overrides\["replication-lag"\]\.threshold NaN: allowed is a number from 0 to/],
  ['zero evaluation periods', cluster({ monitoring: { overrides: { 'memory-high': { evaluationPeriods: 0 } } } }),
    /invalid overrides\["memory-high"\]\.evaluationPeriods 0: allowed is an integer from 1 to 100$/],
  ['more datapoints than evaluation periods', cluster({ monitoring: { overrides: { 'memory-high': { evaluationPeriods: 3, datapointsToAlarm: 4 } } } }),
    /invalid overrides\["memory-high"\]\.datapointsToAlarm 4: allowed is an integer from 1 to 3$/],
  ['fewer evaluation periods than the default datapoints', cluster({ monitoring: { overrides: { 'engine-cpu-high': { evaluationPeriods: 2 } } } }),
    /invalid overrides\["engine-cpu-high"\]\.evaluationPeriods 2: at least datapointsToAlarm \(5 by default\); set both$/],
  ['an alarm period of 45 s', cluster({ monitoring: { overrides: { 'memory-high': { period: Duration.seconds(45) } } } }),
    /invalid overrides\["memory-high"\]\.period "45 s": allowed are 10 s, 30 s or a whole number of minutes up to one day/],
  ['a negative hit-ratio traffic guard', cluster({ monitoring: { hitRatioMinimumRequests: -5 } }),
    /invalid hitRatioMinimumRequests -5: allowed is an integer from 0 to/],
  // docs/aws-facts.md, "Data tiering": data tiering starts with Redis OSS 6.2 (Enhanced).
  ['data tiering on Redis OSS 6.0', cluster({ nodeType: 'cache.r6gd.xlarge', engine: CacheEngine.redisOss('6.0') }),
    /^Test\/Cache: invalid engine "Redis OSS 6\.0": data tiering \(cache\.r6gd\.xlarge\) needs Redis OSS 6\.2 or later, or Valkey$/],
  ['an empty parameter name (a family without a parameter list)', cluster({ parameters: { '': 'yes' } }),
    /^Test\/Cache: invalid parameters "": a parameter name is lower-case words joined by hyphens/],
  ['a parameter name with a space', cluster({ engine: CacheEngine.valkey('8.1'), parameters: { 'notify keyspace': 'KEA' } }),
    /^Test\/Cache: invalid parameters "notify keyspace": a parameter name is lower-case words joined by hyphens/],
  ['a runbook base URL without a trailing slash', cluster({ monitoring: { runbookBaseUrl: 'https://wiki.example.com/runbooks' } }),
    /invalid runbookBaseUrl "https:\/\/wiki\.example\.com\/runbooks": must end with "\/" \(or "#", "="\): each alarm appends "<runbook>\.md" to it$/],
  // One check for every construct that links runbooks.
  ['a dashboard\'s runbook base URL without a trailing slash', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'ok', vpc, monitoring: { enabled: false } });
    return new CacheDashboard(stack, 'Board', { cache, runbookBaseUrl: 'https://wiki.example.com/runbooks' });
  }, /^Test\/Board: invalid runbookBaseUrl "https:\/\/wiki\.example\.com\/runbooks": must end with "\/"/],
  ['SemanticCacheAlarms\' runbook base URL without a trailing slash', () => {
    const { stack } = testStack();
    return new SemanticCacheAlarms(stack, 'Semantic', { cacheName: 'sem', runbookBaseUrl: 'https://wiki.example.com/runbooks' });
  }, /^Test\/Semantic: invalid runbookBaseUrl "https:\/\/wiki\.example\.com\/runbooks": must end with "\/"/],
  ['a dashboard name with spaces', cluster({ monitoring: { dashboardName: 'Feature cache' } }),
    /^Test\/Cache\/Monitoring\/Dashboard: invalid dashboardName "Feature cache": allowed are 1-255 letters, digits, "-" and "_"/],

  // Value classes
  ['TTL of zero seconds', () => TtlPolicy.of({ defaultTtl: Duration.seconds(0) }),
    /^TtlPolicy: invalid defaultTtl "0 seconds": allowed is a whole number of seconds, at least 1$/],
  // Duration.toHumanString() renders NaN as "": the message keeps the value as given.
  ['TTL of NaN seconds', () => TtlPolicy.of({ defaultTtl: Duration.seconds(NaN) }), /^TtlPolicy: invalid defaultTtl "NaN seconds": allowed is a whole number of seconds, at least 1$/],
  ['TTL with milliseconds', () => TtlPolicy.of({ defaultTtl: Duration.millis(1500) }), /^TtlPolicy: invalid defaultTtl "1 second 500 millis": allowed is a whole number of seconds/],
  ['jitter of 0.6', () => TtlPolicy.of({ defaultTtl: Duration.minutes(5), jitter: 0.6 }), /^TtlPolicy: invalid jitter 0\.6: allowed is a fraction from 0 to 0\.5$/],
  ['maximum TTL below the default', () => TtlPolicy.of({ defaultTtl: Duration.hours(2), maxTtl: Duration.hours(1) }),
    /^TtlPolicy: invalid maxTtl "1 hour": allowed is a whole number of seconds not below defaultTtl \(2 hours\)$/],
  ['Memcached engine', () => CacheEngine.of('memcached', '1.6'), /^CacheEngine: invalid engine "memcached": allowed are "valkey" and "redis"/],
  ['engine version that is not a number', () => CacheEngine.valkey('latest'), /^CacheEngine: invalid version "latest": allowed is MAJOR, MAJOR\.MINOR/],
  ['unknown eviction policy', () => EvictionPolicy.of('lru'), /^EvictionPolicy: invalid name "lru": allowed are volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu/],
];

describe('bad input is refused at construction with a message naming where, what, the value and what is allowed', () => {
  test('the table covers at least 30 distinct bad inputs', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('node types ElastiCache may have added since the toolkit read its table', () => {
  test('are let through with a warning naming the node type and the table; documented ones get none', () => {
    const warnings = (nodeType: string) => {
      const { stack, vpc } = testStack();
      new ClusterCache(stack, 'Cache', { replicationGroupId: 'ok', vpc, nodeType });
      return Annotations.fromStack(stack).findWarning('/Test/Cache', Match.stringLikeRegexp('node-type')).map((w) => String(w.entry.data));
    };
    expect(warnings('cache.r9g.large')).toEqual([expect.stringMatching(
      /^node type cache\.r9g\.large is not in the node types ElastiCache documents \(docs\/aws-facts\.md, "Node memory"\); .*\[ack: @ectk\/cluster-cache:node-type\]$/)]);
    expect(warnings('cache.r7g.xlarge')).toEqual([]);
  });
});

describe('engine versions against the versions ElastiCache documents (docs/aws-facts.md, "Engine versions")', () => {
  test('the table: node-based Valkey 7.2-9.1 and Redis OSS 6.0-7.1; serverless Valkey 7, 8, 9 and Redis OSS 7', () => {
    // The supported-engine-versions and engine-versions pages, and default.valkey9 "for Valkey 9.1 and Valkey 9.0".
    expect(NODE_BASED_ENGINE_VERSIONS).toEqual({ valkey: ['7.2', '8.0', '8.1', '8.2', '9.0', '9.1'], redis: ['6.0', '6.2', '7.0', '7.1'] });
    expect(SERVERLESS_MAJOR_VERSIONS).toEqual({ valkey: ['7', '8', '9'], redis: ['7'] });
  });

  test('every documented version builds without a version warning, on its flavour', () => {
    for (const [engine, versions] of Object.entries(NODE_BASED_ENGINE_VERSIONS)) {
      for (const version of versions) {
        const { stack, vpc } = testStack();
        new ClusterCache(stack, 'Cache', { replicationGroupId: 'ok', vpc, engine: CacheEngine.of(engine, version) });
        expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('engine-version'))).toEqual([]);
      }
    }
    for (const [engine, majors] of Object.entries(SERVERLESS_MAJOR_VERSIONS)) {
      for (const major of majors) {
        const { stack, vpc } = testStack();
        new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'ok', vpc, engine: CacheEngine.of(engine, major) });
        expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('engine-version'))).toEqual([]);
      }
    }
  });

  test('Valkey 9 on both flavours: a serverless cache sends major version 9, a cluster 9.1 with the valkey9 parameter family', () => {
    const serverlessStack = testStack();
    new ServerlessCache(serverlessStack.stack, 'Cache', { serverlessCacheName: 'nine', vpc: serverlessStack.vpc, engine: CacheEngine.valkey('9') });
    Template.fromStack(serverlessStack.stack).hasResourceProperties('AWS::ElastiCache::ServerlessCache', { Engine: 'valkey', MajorEngineVersion: '9' });
    const clusterStack = testStack();
    new ClusterCache(clusterStack.stack, 'Cache', { replicationGroupId: 'nine', vpc: clusterStack.vpc, engine: CacheEngine.valkey('9.1') });
    const template = Template.fromStack(clusterStack.stack);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'valkey', EngineVersion: '9.1' });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'valkey9' });
  });

  test('a version newer than the newest documented is let through with a warning naming it, the newest and the id to acknowledge', () => {
    const node = testStack();
    new ClusterCache(node.stack, 'Cache', { replicationGroupId: 'ok', vpc: node.vpc, engine: CacheEngine.valkey('9.9') });
    expect(Annotations.fromStack(node.stack).findWarning('/Test/Cache', Match.stringLikeRegexp('engine-version')).map((w) => String(w.entry.data)))
      .toEqual([expect.stringMatching(/^engine Valkey 9\.9 is newer than the node-based versions ElastiCache documents \(the newest is 9\.1; .*fails at CreateReplicationGroup \[ack: @ectk\/cluster-cache:engine-version\]$/)]);
    const serverlessStack = testStack();
    new ServerlessCache(serverlessStack.stack, 'Cache', { serverlessCacheName: 'ok', vpc: serverlessStack.vpc, engine: CacheEngine.valkey('10') });
    expect(Annotations.fromStack(serverlessStack.stack).findWarning('/Test/Cache', Match.stringLikeRegexp('engine-version')).map((w) => String(w.entry.data)))
      .toEqual([expect.stringMatching(/^engine Valkey 10 is newer than the serverless versions ElastiCache documents \(the newest is 9; .*\[ack: @ectk\/serverless-cache:engine-version\]$/)]);
  });

  test('an imported cache with a version ElastiCache does not offer is refused with the same message', () => {
    const { stack } = testStack();
    expect(() => ClusterCache.fromClusterCacheAttributes(stack, 'Old', {
      replicationGroupId: 'old', configurationEndpointAddress: 'old.abc.clustercfg.use1.cache.amazonaws.com', engine: CacheEngine.valkey('8.3'),
      securityGroups: [],
    } as never)).toThrow(/^Test\/Old: invalid engine "Valkey 8\.3": allowed are the node-based versions ElastiCache documents/);
  });
});

describe('a refused prop reaches the user as its message and the user\'s own line', () => {
  test('the error is a ValidationError whose stack is the message and then only frames outside the toolkit and the CDK', () => {
    const { stack, vpc } = testStack();
    let caught: unknown;
    try {
      new ClusterCache(stack, 'Cache', { replicationGroupId: 'ok', vpc, nodeType: 'cache.r7g.larg' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    const error = caught as Error & { constructPath: string; prop: string };
    expect(error.name).toBe('ValidationError');
    expect(error.constructPath).toBe('Test/Cache');
    expect(error.prop).toBe('nodeType');
    const [first, ...frames] = error.stack!.split('\n');
    expect(first).toBe(`ValidationError: ${error.message}`);
    expect(first).toMatch(/^ValidationError: Test\/Cache: invalid nodeType "cache\.r7g\.larg": .*did you mean cache\.r7g\.large\?$/);
    // The line of this test that built the cache is there; no frame of lib/ (the toolkit's validation code).
    expect(frames[0]).toContain('validation.test.ts');
    expect(frames.filter((f) => /[/\\]lib[/\\](constructs|catalog)[/\\]/.test(f))).toEqual([]);
    expect(frames.length).toBeLessThanOrEqual(3);
    // Enumerable fields would be printed after the stack of an uncaught error.
    expect(Object.keys(error)).toEqual([]);
  });
});
