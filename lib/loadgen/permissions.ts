import { createHash } from 'crypto';
import { Cluster } from 'ioredis';
import { UsageError } from '../catalog/errors';
import { Client } from '../client/target';
import { RUN_COMMANDS, workloadSpec } from '../catalog/workloads';

/**
 * A harmless call of each command on probe keys under the run prefix (which the run's cleanup deletes). A command that
 * creates a key is sent in one pipeline with a PEXPIRE of that key, so no probe key is ever without a TTL, even when
 * the process dies before the cleanup; the probe's own result is the pipeline's first.
 */
function probe(client: Client, command: string, key: string): Promise<unknown> {
  const ttl = '60000';
  const withTtl = async (created: string, write: (p: ReturnType<Client['pipeline']>) => unknown): Promise<unknown> => {
    const pipeline = client.pipeline();
    write(pipeline);
    const [[error, reply]] = (await pipeline.pexpire(created, ttl).exec())!;
    if (error) throw error;
    return reply;
  };
  switch (command) {
    case 'ping': return client.ping();
    case 'scan': return client instanceof Cluster ? Promise.all(client.nodes('master').map((n) => n.scan('0', 'MATCH', `${key}*`, 'COUNT', 1))) : client.scan('0', 'MATCH', `${key}*`, 'COUNT', 1);
    case 'unlink': return client.unlink(`${key}:u`);
    case 'get': return client.get(key);
    case 'set': return client.set(key, 'probe', 'PX', ttl);
    case 'pexpire': return client.pexpire(key, ttl);
    case 'rpush': return withTtl(`${key}:l`, (p) => p.rpush(`${key}:l`, 'probe'));
    case 'ltrim': return client.ltrim(`${key}:l`, 0, -1);
    case 'lrange': return client.lrange(`${key}:l`, 0, -1);
    case 'hset': return withTtl(`${key}:h`, (p) => p.hset(`${key}:h`, 'probe', '1'));
    case 'hincrby': return withTtl(`${key}:h`, (p) => p.hincrby(`${key}:h`, 'probe', 1));
    case 'hgetall': return client.hgetall(`${key}:h`);
    case 'hmget': return client.hmget(`${key}:h`, 'probe');
    case 'zincrby': return withTtl(`${key}:z`, (p) => p.zincrby(`${key}:z`, 1, 'probe'));
    case 'zrevrange': return client.zrevrange(`${key}:z`, 0, 0);
    case 'zrevrank': return client.zrevrank(`${key}:z`, 'probe');
    case 'sadd': return withTtl(`${key}:s`, (p) => p.sadd(`${key}:s`, 'probe'));
    case 'smembers': return client.smembers(`${key}:s`);
    case 'srem': return client.srem(`${key}:s`, 'absent');
    case 'time': return client.call('TIME');
    case 'eval': return client.call('EVAL', 'return 1', '1', key);
    case 'evalsha': return client.call('EVALSHA', createHash('sha1').update('return 1').digest('hex'), '1', key);
    // MULTI and EXEC go together; the transaction holds one probe command.
    case 'multi':
    case 'exec': return client.multi().pexpire(key, ttl).exec();
    default: throw new Error(`no probe for the command ${command}: add a harmless call of it to probe() in lib/loadgen/permissions.ts`);
  }
}

/** The command a NOPERM error names, or `key` when the denial is about a key pattern. */
function deniedBy(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const previous = (error as { previousErrors?: unknown[] } | null)?.previousErrors ?? [];
  for (const text of [message, ...previous.map((e) => (e instanceof Error ? e.message : String(e)))]) {
    if (!/^NOPERM/.test(text)) continue;
    const command = /permissions to run the '([^']+)' command/i.exec(text);
    return command ? command[1].toLowerCase() : 'key';
  }
  return undefined;
}

/** The ACL categories of a command, when the user may ask (COMMAND INFO); empty otherwise. */
async function categoriesOf(client: Client, command: string): Promise<string[]> {
  try {
    const [info] = await client.call('COMMAND', 'INFO', command) as unknown[][];
    return ((info?.[6] ?? []) as unknown[]).map(String).filter((c) => c !== '@slow' && c !== '@fast');
  } catch {
    return [];
  }
}

/**
 * Before a run: every command the profile sends is tried once, harmlessly, on probe keys under the run's prefix. A
 * denial is a usage error (exit 2) that names the command and the ACL rule to add, instead of a run full of errors or a
 * misleading "unreachable".
 */
export async function checkPermissions(client: Client, profile: string, keyPrefix: string, user: string | undefined): Promise<void> {
  // One hash tag: every probe key sits in one slot, so one UNLINK removes them all, on a cluster too.
  const key = `${keyPrefix}{probe}`;
  try {
    await probeAll(client, profile, key, keyPrefix, user);
  } finally {
    await client.unlink(key, `${key}:l`, `${key}:h`, `${key}:z`, `${key}:s`, `${key}:u`).catch(() => undefined);
  }
}

async function probeAll(client: Client, profile: string, key: string, keyPrefix: string, user: string | undefined): Promise<void> {
  const who = user ? `the user ${JSON.stringify(user)}` : 'the default user';
  for (const command of [...RUN_COMMANDS, ...workloadSpec(profile).commands]) {
    const error = await probe(client, command, key).then(() => undefined, (e: unknown) => e);
    const denied = error === undefined ? undefined : deniedBy(error);
    if (denied === undefined) continue;
    if (denied === 'key') {
      throw new UsageError('ACL', user ?? 'default', `${who} may not touch the keys under ${keyPrefix}: add "~${keyPrefix.replace(/[^:]+:$/, '')}*" to its access string (the --key-prefix of the run)`);
    }
    const categories = await categoriesOf(client, denied);
    const hint = categories.length > 0 ? ` (or its category: ${categories.map((c) => `"+${c}"`).join(', ')})` : '';
    const sender = RUN_COMMANDS.includes(denied) ? 'every run (to connect and to delete its keys)' : `the ${profile} profile`;
    throw new UsageError('ACL', user ?? 'default',
      `${sender} sends ${denied.toUpperCase()}, which ${who} may not run: add "+${denied}"${hint} to its access string`);
  }
}
