import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CacheEngine, CacheNetworkType, ElastiCacheChecks, ServerlessCache, TtlPolicy, UserAuthentication } from '../../lib';
import { CONTRACT_ENV, CONTRACT_VERSION, flatEnvironment, parseContract } from '../../lib/catalog/connection';
import { flattenJoin, resourcesOf, testStack } from '../support/cdk';

describe('ServerlessCache', () => {
  test('defaults: Valkey 8, private subnets, new security group, RBAC user group, snapshots kept 7 days, final snapshot', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'orders', vpc });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      ServerlessCacheName: 'orders',
      Engine: 'valkey',
      MajorEngineVersion: '8',
      SnapshotRetentionLimit: 7,
      UserGroupId: { Ref: Match.stringLikeRegexp('CacheAccessUserGroup') },
      SubnetIds: vpc.privateSubnets.map((s) => ({ Ref: Match.stringLikeRegexp(stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet)) })),
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('CacheSecurityGroup'), 'GroupId'] }],
    });
    // docs/aws-facts.md, "Deploy-time limits and traps": a fixed final snapshot name makes the second deletion of a
    // re-created cache fail, so the name ends in a suffix of the stack id.
    const [[, cache]] = resourcesOf(t, 'AWS::ElastiCache::ServerlessCache');
    expect(flattenJoin(cache.FinalSnapshotName)).toBe('orders-final-<AWS::StackId-suffix>');
    const sgs = resourcesOf(t, 'AWS::EC2::SecurityGroup').filter(([id]) => id.startsWith('CacheSecurityGroup'));
    expect(sgs).toHaveLength(1);
    expect(sgs[0][1].SecurityGroupIngress).toBeUndefined();
  });

  // docs/aws-facts.md, "User groups and engines" (ElastiCache guide, Clusters.RBAC): a `valkey` user group holds only
  // users that authenticate (password or IAM), so a no-password-required default user makes it fail to create.
  test('Valkey: the user group holds a disabled default user that authenticates by password, so the group is valid', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'orders', vpc });
    const t = Template.fromStack(stack);
    const [[, user]] = resourcesOf(t, 'AWS::ElastiCache::User');
    expect(user).toMatchObject({ UserName: 'default', UserId: 'orders-default', AccessString: 'off -@all', Engine: 'valkey' });
    const mode = user.AuthenticationMode as { Type: string; Passwords: unknown[] };
    expect(mode.Type).toBe('password');
    expect(flattenJoin(mode.Passwords[0])).toMatch(/^\{\{resolve:secretsmanager:<CacheAccessDefaultUserPassword\w+>:SecretString:::\}\}$/);
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', { UserGroupId: 'orders-users', Engine: 'valkey', UserIds: ['orders-default'] });
  });

  // docs/aws-facts.md, "User groups and engines": a `redis` user group must hold a user named `default`; a disabled one
  // that needs no password is accepted.
  test('Redis OSS: the user group holds a disabled default user that needs no password', () => {
    const { stack, vpc } = testStack();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'legacy', vpc, engine: CacheEngine.REDIS_OSS_7 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::User', {
      UserName: 'default', UserId: 'legacy-default', AccessString: 'off -@all', Engine: 'redis',
      AuthenticationMode: { Type: 'no-password-required' },
    });
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', { UserGroupId: 'legacy-users', Engine: 'redis', UserIds: ['legacy-default'] });
    expect(resourcesOf(t, 'AWS::SecretsManager::Secret')).toHaveLength(0);
  });

  test('falls back to isolated subnets when the VPC has no private ones', () => {
    const { stack } = testStack();
    const vpc = new ec2.Vpc(stack, 'Isolated', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'iso', vpc });
    const props = resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ServerlessCache')[0][1];
    expect(props.SubnetIds).toEqual(vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })));
  });

  test('usage limits, KMS key, snapshot time, restore ARNs and Redis OSS 7 reach the template', () => {
    const { stack, vpc } = testStack();
    const key = new kms.Key(stack, 'Key');
    new ServerlessCache(stack, 'Cache', {
      serverlessCacheName: 'limits',
      vpc,
      engine: CacheEngine.REDIS_OSS_7,
      encryptionKey: key,
      usageLimits: { dataStorageMinimum: Size.gibibytes(2), dataStorageMaximum: Size.gibibytes(20), ecpuPerSecondMinimum: 1000, ecpuPerSecondMaximum: 50000 },
      dailySnapshotTime: '04:15',
      snapshotRetentionDays: 0,
      finalSnapshot: false,
      snapshotArnsToRestore: ['arn:aws:elasticache:eu-west-1:123456789012:serverlesscachesnapshot:seed'],
    });
    const props = resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ServerlessCache')[0][1];
    expect(props).toMatchObject({
      Engine: 'redis',
      MajorEngineVersion: '7',
      CacheUsageLimits: { DataStorage: { Unit: 'GB', Minimum: 2, Maximum: 20 }, ECPUPerSecond: { Minimum: 1000, Maximum: 50000 } },
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      DailySnapshotTime: '04:15',
      SnapshotRetentionLimit: 0,
      SnapshotArnsToRestore: ['arn:aws:elasticache:eu-west-1:123456789012:serverlesscachesnapshot:seed'],
    });
    expect(props.FinalSnapshotName).toBeUndefined();
  });

  test('a name derived from the construct path is a valid, stable ElastiCache id', () => {
    const { stack, vpc } = testStack();
    const a = new ServerlessCache(stack, 'My_Inference.Cache', { vpc });
    const long = new ServerlessCache(stack, 'AVeryLongConstructIdThatGoesOnAndOnForMoreThanFortyCharacters', { vpc });
    expect(a.cacheName).toBe('test-my-inference-cache');
    expect(long.cacheName.length).toBeLessThanOrEqual(40);
    expect(long.cacheName).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(long.cacheName).not.toContain('--');
    const again = testStack();
    expect(new ServerlessCache(again.stack, 'AVeryLongConstructIdThatGoesOnAndOnForMoreThanFortyCharacters', { vpc: again.vpc }).cacheName)
      .toBe(long.cacheName);
  });

  test('connections open ports 6379-6380 (primary and read replica endpoints) from a peer', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'conn', vpc });
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
    cache.connections.allowDefaultPortFrom(client);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6379, ToPort: 6380, IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(client.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    });
  });

  // docs/aws-facts.md, "Deploy-time limits and traps": a Standard SSM parameter holds 4,096 characters, an Advanced one
  // 8,192. The contract is sized with every reference (endpoint, secret ARNs) at its longest.
  test('the connection contract stays a Standard parameter while it fits, and takes the Advanced tier when it may not', () => {
    const tierWith = (passwordUsers: number) => {
      const { stack, vpc } = testStack();
      const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'tiers', vpc });
      for (let i = 0; i < passwordUsers; i++) cache.addUser(`User${i}`, { authentication: UserAuthentication.PASSWORD });
      return resourcesOf(Template.fromStack(stack), 'AWS::SSM::Parameter')[0][1].Tier;
    };
    expect(tierWith(2)).toBe('Standard');
    expect(tierWith(14)).toBe('Advanced');
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'toomany', vpc });
    for (let i = 0; i < 30; i++) cache.addUser(`User${i}`, { authentication: UserAuthentication.PASSWORD });
    expect(() => Template.fromStack(stack)).toThrow(/Test\/Cache: invalid users \(30\): the connection contract would take up to \d+ characters and an SSM parameter holds at most 8192; give the cache fewer users/);
  });

  test('writes the connection contract, TTL policy included, to an SSM parameter', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', {
      serverlessCacheName: 'contract', vpc,
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.minutes(10), jitter: 0.2, maxTtl: Duration.hours(1), requireTtl: true }),
    });
    cache.addUser('App', { userName: 'contract-app' });
    const [, param] = resourcesOf(Template.fromStack(stack), 'AWS::SSM::Parameter')[0];
    expect(param.Name).toBe('/ectk/contract/connection');
    const expected = {
      version: CONTRACT_VERSION,
      cacheName: 'contract',
      flavour: 'serverless',
      engine: 'valkey',
      engineVersion: '8.2',
      endpoint: `<${stack.getLogicalId(cache.resource)}.Endpoint.Address>`,
      port: 6379,
      // The serverless reader port (docs/aws-facts.md, "Connections").
      readerPort: 6380,
      region: '<AWS::Region>',
      tls: true,
      clusterMode: true,
      users: [{ userName: 'contract-app', authentication: 'iam' }],
      ttlPolicy: { defaultTtlSeconds: 600, jitter: 0.2, maxTtlSeconds: 3600, requireTtl: true },
    };
    expect(JSON.parse(flattenJoin(param.Value))).toEqual(expected);
    // What the run time reads back is the document as written: parsed once, nothing lost.
    expect(parseContract(flattenJoin(param.Value), 'parameter')).toEqual(expected);
  });

  test('bind() hands a function the same contract with its user only, and the flat variables made from it', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', {
      serverlessCacheName: 'bound', vpc, monitoring: { enabled: false },
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.minutes(5), requireTtl: true }),
    });
    const app = cache.addUser('App', { userName: 'bound-app' });
    cache.addUser('Other', { userName: 'bound-other', authentication: UserAuthentication.PASSWORD });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), vpc,
    });
    cache.bind(fn, { user: app });
    const [, props] = resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function').find(([, p]) => p.Handler === 'index.handler')!;
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    const contract = parseContract(flattenJoin(env[CONTRACT_ENV]), CONTRACT_ENV);
    expect(contract).toMatchObject({ version: 1, cacheName: 'bound', readerPort: 6380, users: [{ userName: 'bound-app', authentication: 'iam' }] });
    expect(contract.ttlPolicy).toEqual({ defaultTtlSeconds: 300, jitter: 0.1, requireTtl: true });
    const flat = Object.fromEntries(Object.entries(env).filter(([k]) => k !== CONTRACT_ENV).map(([k, v]) => [k, flattenJoin(v)]));
    expect(flat).toEqual(flatEnvironment(contract));
  });

  test('imported by attributes: name, ARN, clusterId metrics and connections work as on a new cache', () => {
    const { stack, vpc } = testStack();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const cache = ServerlessCache.fromServerlessCacheAttributes(stack, 'Imported', {
      serverlessCacheName: 'legacy', endpointAddress: 'legacy-abc.serverless.use1.cache.amazonaws.com', securityGroups: [sg],
    });
    expect(cache.cacheName).toBe('legacy');
    expect(stack.resolve(cache.cacheArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':serverlesscache:legacy']],
    });
    expect(cache.metricEvictions().toMetricConfig().metricStat?.dimensions).toEqual([{ name: 'clusterId', value: 'legacy' }]);
    cache.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 6379, ToPort: 6380 })],
    });
  });
});

// docs/aws-facts.md, "Serverless network type": IPv4 needs IPv4 space, IPv6 IPv6-only subnets, dual stack both.
describe('network type', () => {
  const dualStackVpc = () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, ipProtocol: ec2.IpProtocol.DUAL_STACK });
    return { app, stack, vpc };
  };

  test('DUAL_STACK in a dual-stack VPC sets NetworkType, and the rule pack finds nothing', () => {
    const { app, stack, vpc } = dualStackVpc();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'dual', vpc, networkType: CacheNetworkType.DUAL_STACK });
    expect(resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ServerlessCache')[0][1].NetworkType).toBe('dual_stack');
    expect(new ElastiCacheChecks().validateScope(app).violations.map((v) => v.ruleName)).not.toContain('ElastiCache-ServerlessNetworkType');
  });

  test('IPV4 fits IPv4 and dual-stack subnets alike', () => {
    const { stack, vpc } = dualStackVpc();
    new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'four', vpc, networkType: CacheNetworkType.IPV4 });
    expect(resourcesOf(Template.fromStack(stack), 'AWS::ElastiCache::ServerlessCache')[0][1].NetworkType).toBe('ipv4');
  });

  test.each<[string, () => { stack: Stack; vpc: ec2.Vpc }, CacheNetworkType, RegExp]>([
    ['DUAL_STACK in an IPv4-only VPC', testStack, CacheNetworkType.DUAL_STACK,
      /^Test\/Cache: invalid networkType "dual_stack": dual_stack needs subnets with both IPv4 and IPv6 address space; subnet Test\/Vpc\/PrivateSubnet1 does not fit \(vpcSubnets selects the subnets\)/],
    ['IPV6 on dual-stack subnets', dualStackVpc, CacheNetworkType.IPV6,
      /invalid networkType "ipv6": ipv6 needs IPv6-only subnets \(dual-stack subnets are not supported\)/],
  ])('refused at synth: %s', (_, make, networkType, message) => {
    const { stack, vpc } = make();
    expect(() => new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'nt', vpc, networkType })).toThrow(message);
  });

  // docs/aws-facts.md, "Lambda": Ipv6AllowedForDualStack "Allows outbound IPv6 traffic on VPC functions that are connected
  // to dual-stack subnets"; an IPv6-only cache has only IPv6 endpoints, so a bound function needs it.
  describe('functions bound to an IPv6-only cache', () => {
    const ipv6Setup = () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2, natGateways: 0, ipProtocol: ec2.IpProtocol.DUAL_STACK,
        subnetConfiguration: [{ name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      // CDK builds no IPv6-only subnets: turn the cache group into them as CloudFormation declares one.
      for (const subnet of vpc.selectSubnets({ subnetGroupName: 'cache' }).subnets) {
        const cfn = subnet.node.defaultChild as ec2.CfnSubnet;
        cfn.ipv6Native = true;
        cfn.addPropertyDeletionOverride('CidrBlock');
      }
      const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'six', vpc, vpcSubnets: { subnetGroupName: 'cache' }, networkType: CacheNetworkType.IPV6 });
      const fnIn = (id: string, subnetGroupName: string) => new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'),
        vpc, vpcSubnets: { subnetGroupName },
      });
      return { stack, vpc, cache, fnIn };
    };
    const vpcConfigOf = (stack: Stack, id: string) => Template.fromStack(stack).toJSON().Resources[id]?.Properties.VpcConfig;

    test('a function in dual-stack subnets gets Ipv6AllowedForDualStack, and no warning', () => {
      const { stack, cache, fnIn } = ipv6Setup();
      const fn = fnIn('App', 'app');
      cache.bind(fn, { user: cache.addUser('AppUser') });
      const id = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
      expect(vpcConfigOf(stack, id)).toMatchObject({ Ipv6AllowedForDualStack: true });
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ipv6'))).toEqual([]);
    });

    test('a function in a subnet without IPv6 is refused; one in IPv6-only subnets is warned about', () => {
      const { stack, cache, fnIn } = ipv6Setup();
      const fourOnly = fnIn('Four', 'app');
      // One of its subnets without IPv6 space, as an IPv4-only subnet is declared.
      (stack.node.findChild('Vpc').node.findChild('appSubnet1').node.defaultChild as ec2.CfnSubnet).ipv6CidrBlock = undefined;
      expect(() => cache.bind(fourOnly, { user: cache.addUser('FourUser') }))
        .toThrow(/^Test\/Cache: invalid bind\(fn\) "Test\/Four": a function in dual-stack subnets \(IPv4 and IPv6\): six accepts IPv6 connections only \(networkType ipv6\), and subnet Test\/Vpc\/appSubnet1 has no IPv6 address/);
      const sixOnly = fnIn('Six', 'cache');
      cache.bind(sixOnly, { user: cache.addUser('SixUser') });
      const warnings = Annotations.fromStack(stack).findWarning('/Test/Six', Match.anyValue()).map((w) => String(w.entry.data));
      expect(warnings).toEqual([expect.stringMatching(/^bound to six \(networkType ipv6\) from IPv6-only subnet Test\/Vpc\/cacheSubnet\d: Lambda documents outbound IPv6 for functions in dual-stack subnets/)]);
    });

    test('a dual-stack or IPv4 cache leaves the function as it is', () => {
      const { stack, vpc } = dualStackVpc();
      const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'dual', vpc, networkType: CacheNetworkType.DUAL_STACK });
      const fn = new lambda.Function(stack, 'App', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;'), vpc,
      });
      cache.bind(fn, { user: cache.addUser('AppUser') });
      expect(vpcConfigOf(stack, stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)).Ipv6AllowedForDualStack).toBeUndefined();
    });
  });

  test('the rule judges a raw serverless cache against the subnets it references', () => {
    const app = new App();
    const stack = new Stack(app, 'Raw');
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: 'vpc-1', cidrBlock: '10.0.0.0/24' });
    new elasticache.CfnServerlessCache(stack, 'Cache', { serverlessCacheName: 'raw', engine: 'valkey', subnetIds: [subnet.ref], networkType: 'dual_stack' });
    expect(new ElastiCacheChecks().validateScope(app).violations.map((v) => v.ruleName)).toContain('ElastiCache-ServerlessNetworkType');
  });
});
