import type { ChainableCommander } from 'ioredis';

/**
 * EXEC of a MULTI built on `transaction`, and its replies; the first command the server refused is thrown, and so is a
 * transaction the server discarded (EXEC answered nil). Every write that must never leave a key without its TTL goes
 * through one.
 */
export async function execTransaction(transaction: ChainableCommander, what: string): Promise<unknown[]> {
  const replies = await transaction.exec();
  if (!replies) throw new Error(`${what}: the transaction was discarded (EXEC answered nil)`);
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  return replies.map(([, reply]) => reply);
}
