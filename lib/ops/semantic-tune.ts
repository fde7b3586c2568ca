/**
 * Threshold tuning for a semantic cache from labelled pairs of the user's own embeddings: for each similarity
 * threshold, how many paraphrases would hit and how many different-meaning prompts would get a wrong answer, and the
 * loosest threshold whose false-hit rate stays under a bound with 95 % confidence. A fixed threshold gives no
 * guarantee on prompts unlike the pairs; the confidence interval says what the pairs can vouch for.
 */
import { UsageError } from '../catalog/errors';
import { cosine, unitVector } from '../client/semantic/vectors';

export interface LabelledPair {
  readonly similarity: number;
  /** The two prompts mean the same (a hit is right) or not (a hit is a false hit). */
  readonly same: boolean;
}

export interface ThresholdRow {
  readonly threshold: number;
  /** Same-meaning pairs at or above the threshold: paraphrases the cache would answer. */
  readonly hits: number;
  readonly hit_ratio: number;
  /** Different-meaning pairs at or above the threshold: prompts that would get another prompt's answer. */
  readonly false_hits: number;
  readonly false_hit_rate: number;
  /** Upper end of the 95 % Wilson interval of the false-hit rate. */
  readonly false_hit_rate_upper_95: number;
  /** Of the answers served at this threshold, the share that would be wrong (depends on the file's mix of pairs). */
  readonly wrong_among_hits: number | null;
}

export interface TuneResult {
  readonly pairs: { readonly same: number; readonly different: number };
  readonly max_false_hit_rate: number;
  readonly thresholds: readonly ThresholdRow[];
  /** The loosest threshold whose false-hit rate's 95 % upper bound is within the maximum; null when none is. */
  readonly recommended: ThresholdRow | null;
  /** The lowest 95 % upper bound the file's different-meaning pairs can support (no false hit at all). */
  readonly best_provable_false_hit_rate: number;
}

/** Upper end of the Wilson score interval for `x` of `n` at z (1.96: 95 %). */
export function wilsonUpper(x: number, n: number, z = 1.96): number {
  if (n === 0) return 1;
  const p = x / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) + z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** Parses JSON lines `{"a": [...], "b": [...], "same": true}`; an error names the file, the line and the field. */
export function parsePairs(text: string, source: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source}:${i + 1}`;
    let doc: { a?: unknown; b?: unknown; same?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      throw new UsageError(where, line.slice(0, 60), 'a JSON object {"a": [numbers], "b": [numbers], "same": true|false}');
    }
    const { a, b, same } = doc;
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a.length < 2 || ![...a, ...b].every((x) => typeof x === 'number')) {
      throw new UsageError(`${where} a/b`, null, 'two embeddings of the same length (2 or more numbers each)');
    }
    if (typeof same !== 'boolean') throw new UsageError(`${where} same`, same ?? null, 'true (the prompts mean the same) or false');
    let similarity: number;
    try {
      similarity = cosine(unitVector(a as number[], a.length, `${where} a`), unitVector(b as number[], b.length, `${where} b`));
    } catch (e) {
      throw new UsageError(`${where} a/b`, null, (e as Error).message);
    }
    pairs.push({ similarity, same });
  });
  return pairs;
}

/** Hit ratio and false-hit rate at every threshold from 0.50 to 0.99 (steps of 0.01), and the recommendation. */
export function tune(pairs: readonly LabelledPair[], maxFalseHitRate: number): TuneResult {
  const same = pairs.filter((p) => p.same).map((p) => p.similarity);
  const different = pairs.filter((p) => !p.same).map((p) => p.similarity);
  if (same.length === 0 || different.length === 0) {
    throw new UsageError('--pairs', `${same.length} same / ${different.length} different`, 'pairs of both kinds: same-meaning and different-meaning');
  }
  const thresholds: ThresholdRow[] = [];
  for (let k = 50; k <= 99; k++) {
    const threshold = k / 100;
    const hits = same.filter((s) => s >= threshold).length;
    const falseHits = different.filter((s) => s >= threshold).length;
    thresholds.push({
      threshold, hits, hit_ratio: hits / same.length, false_hits: falseHits, false_hit_rate: falseHits / different.length,
      false_hit_rate_upper_95: wilsonUpper(falseHits, different.length),
      wrong_among_hits: hits + falseHits === 0 ? null : falseHits / (hits + falseHits),
    });
  }
  return {
    pairs: { same: same.length, different: different.length },
    max_false_hit_rate: maxFalseHitRate,
    thresholds,
    recommended: thresholds.find((t) => t.false_hit_rate_upper_95 <= maxFalseHitRate) ?? null,
    best_provable_false_hit_rate: wilsonUpper(0, different.length),
  };
}
