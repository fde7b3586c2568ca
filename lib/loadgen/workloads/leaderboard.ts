import { execTransaction } from '../../client/transaction';
import { keyPicker } from '../random';
import { OpOutcome, Workload, WorkloadContext, ttlMs } from './types';

/** Members per board; boards = keyspace / members, at least 8 so that boards spread over the shards of a cluster. */
const MEMBERS_PER_BOARD = 1000;
const TOP_N = 10;

/**
 * leaderboard: real-time rankings. Command mix: 50 % score update (MULTI: ZINCRBY and PEXPIRE of the board), 30 %
 * top-N read (ZREVRANGE 0 9 WITHSCORES), 20 % rank of one member (ZREVRANK).
 */
export function leaderboard(ctx: WorkloadContext): Workload {
  const boards = Math.max(8, Math.floor(ctx.keyspace / MEMBERS_PER_BOARD));
  const members = keyPicker(ctx.keyPattern, ctx.rng, Math.min(ctx.keyspace, MEMBERS_PER_BOARD));
  return {
    setup: async () => undefined,
    operation: async (client): Promise<OpOutcome> => {
      const board = `${ctx.keyPrefix}lb:${ctx.rng.int(boards)}`;
      const member = `player:${members.next()}`;
      const roll = ctx.rng.next();
      if (roll < 0.5) {
        await execTransaction(client.multi().zincrby(board, 1 + ctx.rng.int(100), member).pexpire(board, ttlMs(ctx)), `leaderboard ${board}`);
      } else if (roll < 0.8) {
        await client.zrevrange(board, 0, TOP_N - 1, 'WITHSCORES');
      } else {
        await client.zrevrank(board, member);
      }
      return {};
    },
  };
}
