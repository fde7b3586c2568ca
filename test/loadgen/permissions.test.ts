import { UsageError } from '../../lib/catalog/errors';
import { runLoadTest } from '../../lib/loadgen/run';
import { BUILT_IN_WORKLOADS, RUN_COMMANDS } from '../../lib/catalog/workloads';

const PROFILE_COMMANDS = Object.fromEntries(BUILT_IN_WORKLOADS.map((w) => [w.name, w.commands]));
import { config } from '../support/loadtest';
import { connect, ENGINES, keysOn, RedisServer, startRedis } from '../support/redis';

/**
 * The profiles' command lists are complete (every profile runs without a single error as a user allowed exactly those
 * commands), and a user missing one is refused before the run, naming the command and the ACL rule to add.
 */
describe.each(ENGINES)('ACL preflight (%s)', (engine) => {
  let server: RedisServer;
  let digest: string;
  beforeAll(async () => {
    server = await startRedis({ engine });
    // Data that is not the run's: after every refused or finished run it is exactly as it was.
    const admin = connect(server.port);
    await admin.set('app:config', 'v1');
    await admin.zadd('app:board', 1, 'a', 2, 'b');
    digest = String(await admin.call('DEBUG', 'DIGEST'));
    admin.disconnect();
  });
  afterAll(async () => { await server?.stop(); });
  afterEach(async () => {
    const admin = connect(server.port);
    expect(String(await admin.call('DEBUG', 'DIGEST'))).toBe(digest);
    admin.disconnect();
  });

  async function user(name: string, commands: readonly string[]): Promise<void> {
    const admin = connect(server.port);
    await admin.call('ACL', 'SETUSER', name, 'reset', 'on', `>${name}-pw`, '~ectk:slo:*', ...commands.map((c) => `+${c}`));
    admin.disconnect();
  }
  const asUser = (name: string, profile: string) => config(server.port, { profile, durationMs: 700, warmupMs: 0, rate: 300 }, { auth: `${name}:${name}-pw` });

  test.each(Object.keys(PROFILE_COMMANDS))('%s runs without an error as a user allowed exactly its declared commands', async (profile) => {
    const name = `exact-${profile}`;
    await user(name, [...RUN_COMMANDS, ...PROFILE_COMMANDS[profile], 'info']);
    const result = await runLoadTest(asUser(name, profile));
    expect(result.errors_by_kind).toEqual({});
    expect(result.ops).toBeGreaterThan(100);
    expect(await keysLeft()).toEqual([]);
  });

  test.each<[string, string, RegExp]>([
    ['leaderboard', 'zrevrank', /^ACL: invalid value "no-zrevrank": the leaderboard profile sends ZREVRANK, which the user "no-zrevrank" may not run: add "\+zrevrank" \(or its category: "\+@read", "\+@sortedset"\) to its access string$/],
    ['rate-limiter', 'time', /the rate-limiter profile sends TIME, which the user "no-time" may not run: add "\+time"/],
    ['session-store', 'multi', /the session-store profile sends MULTI, which the user "no-multi" may not run: add "\+multi"/],
    ['get-set', 'unlink', /every run \(to connect and to delete its keys\) sends UNLINK, which the user "no-unlink" may not run: add "\+unlink"/],
  ])('%s without %s: refused before the run (exit 2), naming the command and the rule', async (profile, missing, message) => {
    const name = `no-${missing}`;
    await user(name, [...RUN_COMMANDS, ...PROFILE_COMMANDS[profile], 'info', 'command'].filter((c) => c !== missing));
    const error = await runLoadTest(asUser(name, profile)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect(await keysLeft()).toEqual([]);
  });

  test('a user that may not even PING is told so (exit 2), not reported as unreachable', async () => {
    await user('no-ping', ['get', 'set']);
    const error = await runLoadTest(asUser('no-ping', 'get-set')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/the user may not run PING, which every client sends to connect: add "\+ping" \(or "\+@connection"\)/);
  });

  test('a user confined to other keys is told which key pattern to add', async () => {
    const admin = connect(server.port);
    await admin.call('ACL', 'SETUSER', 'elsewhere', 'reset', 'on', '>elsewhere-pw', '~app:*', ...[...RUN_COMMANDS, 'get', 'set', 'info'].map((c) => `+${c}`));
    admin.disconnect();
    const error = await runLoadTest(asUser('elsewhere', 'get-set')).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/the user "elsewhere" may not touch the keys under ectk:slo:[0-9a-f]+:: add "~ectk:slo:\*" to its access string/);
  });

  test('a permission revoked mid-run: the transactions discarded by EXECABORT count as noperm, not other', async () => {
    await user('revoked', [...RUN_COMMANDS, ...PROFILE_COMMANDS['session-store'], 'info']);
    const run = runLoadTest({ ...asUser('revoked', 'session-store'), durationMs: 2500 });
    await new Promise((r) => setTimeout(r, 1000));
    const admin = connect(server.port);
    await admin.call('ACL', 'SETUSER', 'revoked', '-hincrby');
    const result = await run;
    await admin.call('ACL', 'SETUSER', 'revoked', '+hincrby');
    admin.disconnect();
    expect(result.errors_by_kind.noperm).toBeGreaterThan(0);
    expect(result.errors_by_kind.other).toBeUndefined();
    expect(await keysLeft()).toEqual([]);
  });

  const keysLeft = () => keysOn(server.port, 'ectk:slo:*');
});
