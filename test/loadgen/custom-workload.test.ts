import { parseSlo } from '../../lib/catalog/slo';
import { validateSloCheck } from '../../lib/catalog/slo-check';
import { metricData } from '../../lib/loadgen/aws/publish';
import { formatSummary } from '../../lib/loadgen/report';
import { mergeResults, runLoadTest } from '../../lib/loadgen/run';
import { defineWorkload } from '../../lib/loadgen/workloads';
import { OpOutcome, Workload, WorkloadContext } from '../../lib/loadgen/workloads/types';
import { config } from '../support/loadtest';
import { connect, RedisServer, startRedis } from '../support/redis';

/**
 * A profile defined only here, as a user (or a new profile's author) would: one catalog entry and one factory. Its
 * figure, `stale_ratio` (how many reads found a counter that someone else had moved on), is known to nothing in the
 * library, and still reaches the SLO, the JSON, the merge, the summary and the published metrics.
 */
const FRESH: OpOutcome = { reads: 1 };
const STALE: OpOutcome = { reads: 1, stale: 1 };

function counterWorkload(ctx: WorkloadContext): Workload {
  return {
    setup: async () => undefined,
    operation: async (client) => {
      const key = `${ctx.keyPrefix}c:${ctx.rng.int(ctx.keyspace)}`;
      const [[, value]] = (await client.multi().incr(key).pexpire(key, ctx.ttlSeconds * 1000).exec())! as Array<[unknown, number]>;
      // Every third increment of a key finds it "stale": a figure whose value the test can compute from the counts.
      return value % 3 === 0 ? STALE : FRESH;
    },
  };
}

defineWorkload({
  name: 'test-counter', summary: 'INCR a counter, count every third value as stale', commands: ['multi', 'exec', 'pexpire'],
  valueSize: [1, 1], counters: ['reads', 'stale'],
  figures: [{ name: 'stale_ratio', numerator: 'stale', denominator: ['reads'], label: 'stale reads', metricName: 'StaleRatio' }],
}, counterWorkload);

describe('a profile defined outside the library', () => {
  let server: RedisServer;
  beforeAll(async () => { server = await startRedis(); });
  afterAll(async () => { await server.stop(); });

  test('runs end to end with its own figure and SLO term', async () => {
    const result = await runLoadTest(config(server.port, { profile: 'test-counter', rate: 500, keyspace: 50, slo: parseSlo('stale_ratio<50%,errors<1%') }));
    expect(result.errors).toBe(0);
    expect(Object.keys(result.counts).sort()).toEqual(['reads', 'stale']);
    expect(result.counts.reads).toBe(result.ops);
    expect(result.stale_ratio).toBeCloseTo(result.counts.stale / result.counts.reads, 12);
    // Each of 50 counters counts 1, 2, 3, ... : about a third of the increments land on a multiple of 3.
    expect(result.stale_ratio).toBeGreaterThan(0.2);
    expect(result.slo?.checks.find((c) => c.term === 'stale_ratio<50%')).toMatchObject({ actual: result.stale_ratio, passed: true });
    expect(result.hit_ratio).toBeUndefined();
    expect(formatSummary(result)).toContain(`stale reads  ${(result.stale_ratio! * 100).toFixed(2)} %`);
    expect(metricData(result, 'c', new Date(0)).find((d) => d.MetricName === 'StaleRatio')?.Value).toBeCloseTo(result.stale_ratio! * 100, 9);

    const merged = mergeResults([result, result], parseSlo('stale_ratio>60%'));
    expect(merged.counts).toEqual({ reads: 2 * result.counts.reads, stale: 2 * result.counts.stale });
    expect(merged.slo?.checks[0]).toMatchObject({ term: 'stale_ratio>60%', passed: false });
    // A ratio written as a plain fraction is a fraction: errors<0.1 allows 10 %, and the verdict table says so.
    expect(formatSummary(mergeResults([result], parseSlo('errors<0.1')))).toMatch(/errors<0\.1 +0\.00 % +10\.00 % +pass/);

    const admin = connect(server.port);
    expect((await admin.scan('0', 'MATCH', `ectk:slo:${result.run_id}:*`, 'COUNT', 100000))[1]).toEqual([]);
    admin.disconnect();
  });

  test('a term on a figure it does not declare is refused before connecting; so is its figure on another profile', async () => {
    await expect(runLoadTest(config(1, { profile: 'test-counter', slo: parseSlo('hit_ratio>50%') })))
      .rejects.toThrow('--slo term: invalid value "hit_ratio>50%": the test-counter profile does not measure hit_ratio (it measures stale_ratio)');
    expect(() => validateSloCheck({ profile: 'get-set', slo: 'stale_ratio<1%' }))
      .toThrow('slo: invalid value "stale_ratio<1%": the get-set profile does not measure stale_ratio (term stale_ratio<1%)');
  });

  test('a catalog entry that contradicts itself is refused with what is wrong', () => {
    const base = { summary: 's', commands: [], valueSize: [1, 1] as [number, number], counters: ['a'] };
    expect(() => defineWorkload({ ...base, name: 'test-counter', figures: [] }, counterWorkload)).toThrow(/workload name: invalid value "test-counter": a name not already taken/);
    expect(() => defineWorkload({ ...base, name: 'bad-figure', figures: [{ name: 'share', numerator: 'a', denominator: ['a'], label: 'x', metricName: 'X' }] }, counterWorkload))
      .toThrow('workload "bad-figure": figure name: invalid value "share": lower case, ending in _ratio (for example hit_ratio)');
    expect(() => defineWorkload({ ...base, name: 'bad-counter', figures: [{ name: 'b_ratio', numerator: 'b', denominator: ['a'], label: 'x', metricName: 'X' }] }, counterWorkload))
      .toThrow('workload "bad-counter": figure b_ratio: invalid value "b": a counter the workload declares (a)');
  });
});
