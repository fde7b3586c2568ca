import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AccessString, CacheEngine, CacheUser, ClusterCache, CommandCategory, ServerlessCache, TtlPolicy, UserAuthentication } from '../../lib';
import { CONNECTION_ENV, CONTRACT_ENV, parseContract } from '../../lib/catalog/connection';
import { flattenJoin, resourcesOf, testStack } from '../support/cdk';

function fn(stack: ServerlessCache['stack'], vpc: ec2.IVpc, id = 'Fn'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1'), vpc,
  });
}

/** The arn string a Stack.formatArn token resolves to, with pseudo parameters as <Name>. */
function arnOf(stack: ServerlessCache['stack'], value: unknown): string {
  const resolved = stack.resolve(value) as { 'Fn::Join': [string, Array<string | { Ref: string }>] };
  return resolved['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join('');
}

describe('RBAC users', () => {
  test('addUser creates an IAM user by default: user id = user name, authentication mode iam, cache engine', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc });
    const user = cache.addUser('App');
    expect(user.userName).toBe('infer-app');
    expect(user.userId).toBe('infer-app');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'infer-app', UserName: 'infer-app', Engine: 'valkey', AuthenticationMode: { Type: 'iam' },
      AccessString: 'on ~* +@all -@dangerous',
    });
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', { UserIds: ['infer-default', 'infer-app'] });
  });

  test('password users get a generated Secrets Manager secret referenced by the user, never a literal password', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'pw', vpc, engine: CacheEngine.REDIS_OSS_7 });
    const user = cache.addUser('Legacy', { authentication: UserAuthentication.PASSWORD, userName: 'legacy-app' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"legacy-app"}', GenerateStringKey: 'password', ExcludePunctuation: true, PasswordLength: 32 },
    });
    const [, props] = resourcesOf(t, 'AWS::ElastiCache::User').find(([, p]) => p.UserName === 'legacy-app')!;
    expect(props.Engine).toBe('redis');
    const password = JSON.stringify((props.AuthenticationMode as { Passwords: unknown[] }).Passwords[0]);
    expect(password).toContain('{{resolve:secretsmanager:');
    expect(password).toContain(':SecretString:password::}}');
    expect(user.passwordSecret).toBeDefined();
  });

  test('access strings confine a user to a key prefix and command categories', () => {
    // docs/aws-facts.md, "Auth": cluster-mode clients need CLUSTER SLOTS/SHARDS, which sit in @slow only.
    expect(AccessString.forKeyPrefix('ectk:slo:', [CommandCategory.READ, CommandCategory.WRITE]).value)
      .toBe('on ~ectk:slo:* +@read +@write -@dangerous +cluster|slots +cluster|shards +cluster|info');
    expect(AccessString.of({
      keyPatterns: ['a:*', 'b:*'], allow: [CommandCategory.HASH], deny: [CommandCategory.ADMIN], allowCommands: ['cluster|slots'], denyCommands: ['hgetall'],
    }).value).toBe('on ~a:* ~b:* +@hash -@admin +cluster|slots -hgetall');
    expect(AccessString.readOnly().value).toBe('on ~* +@read +@connection -@dangerous +cluster|slots +cluster|shards +cluster|info');
    expect(AccessString.OFF.value).toBe('off -@all');
  });

  test('grantConnect allows elasticache:Connect on exactly the cache ARN and the user ARN', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'infer', vpc });
    const user = cache.addUser('App');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    cache.grantConnect(role, user);
    const [, policy] = resourcesOf(Template.fromStack(stack), 'AWS::IAM::Policy')[0];
    const statements = (policy.PolicyDocument as { Statement: Array<{ Action: string; Resource: unknown[] }> }).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('elasticache:Connect');
    // docs/aws-facts.md, "ARNs": serverlesscache:<name> and user:<userId>, colon-separated.
    expect(statements[0].Resource.map((r) => arnOf(stack, r))).toEqual([
      'arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:serverlesscache:infer',
      'arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:user:infer-app',
    ]);
  });

  test('replication group ARNs use replicationgroup:<id>', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', { replicationGroupId: 'feat', vpc });
    expect(arnOf(stack, cache.cacheArn)).toBe('arn:<AWS::Partition>:elasticache:<AWS::Region>:<AWS::AccountId>:replicationgroup:feat');
  });

  test('bind opens the port from the function, grants connect and sets the connection contract and TTL policy', () => {
    const { stack, vpc } = testStack();
    const cache = new ClusterCache(stack, 'Cache', {
      replicationGroupId: 'feat', vpc, port: 6380,
      ttlPolicy: TtlPolicy.of({ defaultTtl: Duration.hours(6), jitter: 0.2, requireTtl: true }),
    });
    const user = cache.addUser('App');
    const f = fn(stack, vpc);
    cache.bind(f, { user });
    const t = Template.fromStack(stack);
    const { [CONTRACT_ENV]: document, ...env } = (resourcesOf(t, 'AWS::Lambda::Function')[0][1].Environment as { Variables: Record<string, unknown> }).Variables;
    // The contract for connect(), with the bound user only and the TTL policy; the flat variables repeat it.
    expect(parseContract(flattenJoin(document), CONTRACT_ENV)).toMatchObject({
      version: 1, cacheName: 'feat', flavour: 'cluster', port: 6380, region: '<AWS::Region>',
      users: [{ userName: 'feat-app', authentication: 'iam' }], ttlPolicy: { defaultTtlSeconds: 21600, jitter: 0.2, requireTtl: true },
    });
    expect(env).toEqual({
      [CONNECTION_ENV.cacheName]: 'feat',
      [CONNECTION_ENV.flavour]: 'cluster',
      [CONNECTION_ENV.engine]: 'valkey',
      [CONNECTION_ENV.endpoint]: { 'Fn::GetAtt': [stack.getLogicalId(cache.resource), 'ConfigurationEndPoint.Address'] },
      [CONNECTION_ENV.port]: '6380',
      [CONNECTION_ENV.tls]: 'true',
      [CONNECTION_ENV.clusterMode]: 'true',
      [CONNECTION_ENV.user]: 'feat-app',
      [CONNECTION_ENV.authentication]: 'iam',
      [CONNECTION_ENV.region]: { Ref: 'AWS::Region' },
      [CONNECTION_ENV.ttlDefaultSeconds]: '21600',
      [CONNECTION_ENV.ttlJitter]: '0.2',
      [CONNECTION_ENV.ttlRequired]: 'true',
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6380, ToPort: 6380,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FnSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'elasticache:Connect' })]) },
    });
  });

  test('bind with a password user grants reading its secret and passes the secret ARN, not the password', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'pw', vpc });
    const user = cache.addUser('App', { authentication: UserAuthentication.PASSWORD });
    const f = fn(stack, vpc);
    cache.bind(f, { user });
    const t = Template.fromStack(stack);
    const env = (resourcesOf(t, 'AWS::Lambda::Function')[0][1].Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[CONNECTION_ENV.authentication]).toBe('password');
    expect(env[CONNECTION_ENV.passwordSecretArn]).toEqual({ Ref: expect.stringMatching(/^CacheAppPassword/) });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] })]) },
    });
  });

  test('an imported cache binds with an imported user', () => {
    const { stack, vpc } = testStack();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const cache = ServerlessCache.fromServerlessCacheAttributes(stack, 'Imported', {
      serverlessCacheName: 'legacy', endpointAddress: 'legacy.example', securityGroups: [sg],
    });
    const user = CacheUser.fromCacheUserAttributes(stack, 'User', { userId: 'legacy-app', authentication: UserAuthentication.IAM });
    cache.bind(fn(stack, vpc), { user });
    const t = Template.fromStack(stack);
    const env = (resourcesOf(t, 'AWS::Lambda::Function')[0][1].Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[CONNECTION_ENV.endpoint]).toBe('legacy.example');
    expect(env[CONNECTION_ENV.user]).toBe('legacy-app');
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 6379, ToPort: 6380 });
  });

  test('bind() through an alias sets the contract on the function behind it', () => {
    const { stack, vpc } = testStack();
    const cache = new ServerlessCache(stack, 'Cache', { serverlessCacheName: 'aliased', vpc });
    const f = fn(stack, vpc);
    cache.bind(new lambda.Alias(stack, 'Live', { aliasName: 'live', version: f.currentVersion }), { user: cache.addUser('App', { userName: 'aliased-app' }) });
    const [, props] = resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function').find(([id]) => id.startsWith('Fn'))!;
    expect((props.Environment as { Variables: Record<string, string> }).Variables[CONNECTION_ENV.user]).toBe('aliased-app');
  });
});
