/**
 * `ectk semantic-tune` on a pair file whose similarities are known exactly: 2-D embeddings at chosen angles, so every
 * hit ratio, false-hit rate, Wilson bound and the recommendation can be computed by hand.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/cdk';
import { ectk } from '../support/cli';
import { wilsonUpper } from '../../lib/ops/semantic-tune';

// Off the 0.01 grid, so that no similarity sits on a threshold (float rounding would decide it).
const SAME = [0.992, 0.972, 0.952, 0.932, 0.912, 0.892, 0.872, 0.852];
const DIFFERENT = [0.955, 0.905, 0.805, 0.705, 0.605, 0.505, 0.405, 0.305, 0.205, 0.105];

/** A pair of 2-D embeddings whose cosine similarity is exactly `s` (the second one scaled: only the angle counts). */
const pair = (s: number, same: boolean) => JSON.stringify({ a: [1, 0], b: [3 * s, 3 * Math.sqrt(1 - s * s)], same });

let dir: string;
let file: string;
beforeAll(() => {
  dir = tempDir('ectk-tune-');
  file = path.join(dir, 'pairs.jsonl');
  fs.writeFileSync(file, [...SAME.map((s) => pair(s, true)), '', ...DIFFERENT.map((s) => pair(s, false))].join('\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ectk semantic-tune', () => {
  test('every threshold exact, and the loosest one whose 95 % upper bound is within --max-false-hits', async () => {
    const run = await ectk('semantic-tune', '--pairs', file, '--max-false-hits', '30%', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { pairs: object; thresholds: Array<Record<string, number | null>>; recommended: Record<string, number> };
    expect(result.pairs).toEqual({ same: 8, different: 10 });
    const at = (t: number) => result.thresholds.find((r) => r.threshold === t)!;
    // 0.90: same .992 .972 .952 .932 .912 hit (5 of 8); different .955 .905 hit (2 of 10).
    expect(at(0.9)).toMatchObject({ hits: 5, hit_ratio: 5 / 8, false_hits: 2, false_hit_rate: 0.2, wrong_among_hits: 2 / 7 });
    expect(at(0.9).false_hit_rate_upper_95).toBeCloseTo(wilsonUpper(2, 10), 12);
    // 0.91-0.95 keep the .955 false hit: upper bound 40.4 % > 30 %; 0.96 has none: 27.75 % <= 30 %.
    expect(at(0.95)).toMatchObject({ hits: 3, false_hits: 1 });
    expect(wilsonUpper(1, 10)).toBeCloseTo(0.4042, 4);
    expect(result.recommended).toMatchObject({ threshold: 0.96, hits: 2, hit_ratio: 0.25, false_hits: 0 });
    expect(result.recommended.false_hit_rate_upper_95).toBeCloseTo(3.8416 / 13.8416, 10);
    expect(at(0.5)).toMatchObject({ hits: 8, false_hits: 6 });
  });

  test('the table marks the recommendation; an unreachable bound exits 1 and says how many pairs it would take', async () => {
    const table = await ectk('semantic-tune', '--pairs', file, '--max-false-hits', '30%');
    expect(table.stdout).toMatch(/^0\.96\s+2\/8\s+25\.0 %\s+0\/10\s+0\.0 %\s+27\.8 %\s+0\.0 %\s+<- recommended$/m);
    expect(table.stdout).toMatch(/recommended threshold: 0\.96 \(hit ratio 25\.0 %, false-hit rate at most 27\.8 % with 95 % confidence, on these pairs only\)/);
    const strict = await ectk('semantic-tune', '--pairs', file);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/no threshold can be vouched for: with 10 different-meaning pairs the false-hit rate cannot be shown below 27\.8 %/);
  });

  test.each<[string, string[], RegExp]>([
    ['not JSON', ['{"a": [1, 0], "b"'], /pairs\.jsonl:1: invalid value "\{\\"a\\": \[1, 0\], \\"b\\"": a JSON object/],
    ['lengths differ', ['{"a": [1, 0], "b": [1, 0, 0], "same": true}'], /pairs\.jsonl:1 a\/b: invalid value null: two embeddings of the same length/],
    ['no label', [pair(0.9, true), '{"a": [1, 0], "b": [0, 1]}'], /pairs\.jsonl:2 same: invalid value null: true \(the prompts mean the same\) or false/],
    ['a zero vector', ['{"a": [0, 0], "b": [0, 1], "same": false}'], /pairs\.jsonl:1 a\/b: invalid value null: .*a: a zero vector/],
    ['one kind only', [pair(0.9, true)], /--pairs: invalid value "1 same \/ 0 different": pairs of both kinds/],
  ])('a bad pair file (%s) exits 2 naming the line', async (_, lines, message) => {
    const bad = path.join(dir, 'pairs.jsonl');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(bad, lines.join('\n'));
    try {
      const run = await ectk('semantic-tune', '--pairs', bad);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  test('--report: one HTML page with the three curves, the allowed rate as a dashed line and the recommendation marked', async () => {
    const report = path.join(dir, 'tune.html');
    const run = await ectk('semantic-tune', '--pairs', file, '--max-false-hits', '30%', '--report', report);
    expect(run.code).toBe(0);
    const html = fs.readFileSync(report, 'utf8');
    const labels = [...html.matchAll(/<polyline class="series" data-label="([^"]+)"/g)].map((m) => m[1]);
    expect(labels).toEqual(['hit ratio (same-meaning pairs answered)', 'false-hit rate (different-meaning pairs answered)', 'false-hit rate, 95 % upper bound']);
    // 50 thresholds per curve, from 0.50 to 0.99.
    const points = [...html.matchAll(/<polyline class="series"[^>]* points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
    expect(points).toEqual([50, 50, 50]);
    expect(html).toMatch(/<line class="threshold" data-value="30"/);
    expect(html).toMatch(/<circle class="marker" cx="[\d.]+" cy="[\d.]+" r="4"/);
    expect(html).toMatch(/<tr class="recommended"><td>0\.96<\/td><td>25\.0 %<\/td><td>0\.0 %<\/td><td>27\.8 %<\/td>/);
    expect(html).toContain('Recommended threshold: 0.96');
  });

  test('--pairs that is a directory or missing is bad usage naming the flag (exit 2), not a read error', async () => {
    const folder = await ectk('semantic-tune', '--pairs', path.dirname(file));
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--pairs: invalid value ".+": a JSON-lines file of labelled pairs: this is a directory, not a file/);
    const missing = await ectk('semantic-tune', '--pairs', `${file}.missing`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--pairs: invalid value ".+\.missing": a JSON-lines file of labelled pairs: no such file \(looked for \//);
  });

  test('--max-false-hits takes a share', async () => {
    const run = await ectk('semantic-tune', '--pairs', file, '--max-false-hits', '150%');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-false-hits: invalid value "150%": a share above 0 and below 100 %/);
  });
});
