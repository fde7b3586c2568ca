import * as fs from 'fs';
import { Command } from 'commander';
import { EXIT, UsageError } from '../catalog/errors';
import { readFlagFile } from './flag-file';
import { percent as pct, table } from '../ops/format';
import { parsePairs, ThresholdRow, tune } from '../ops/semantic-tune';
import { renderTuneHtml } from '../ops/semantic-tune-report';
import { withExamples } from './examples';


/** A share given as `1%` or `0.01`. */
function parseShare(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(share > 0 && share < 1)) throw new UsageError(flag, value, 'a share above 0 and below 100 %, e.g. 1% or 0.01');
  return share;
}

/** `ectk semantic-tune`: the similarity threshold for a semantic cache, from the user's labelled pairs. */
export function semanticTuneCommand(out: (text: string) => void = (t) => process.stdout.write(t)): Command {
  return withExamples(new Command('semantic-tune'), [
    ['ectk semantic-tune --pairs pairs.jsonl', 'hit ratio and false-hit rate at each threshold, and the recommended one'],
    ['ectk semantic-tune --pairs pairs.jsonl --max-false-hits 0.5% --report tune.html', 'a stricter bound, with the chart'],
  ])
    .description('Choose a semantic cache\'s similarity threshold from labelled pairs of your own embeddings: hit ratio ' +
      'and false-hit rate at each threshold, and the loosest threshold whose false-hit rate (95 % upper bound) stays ' +
      'under --max-false-hits. Exit codes: 0 a threshold recommended, 1 none can be vouched for, 2 usage.')
    .requiredOption('--pairs <file.jsonl>', 'one pair per line: {"a": [embedding], "b": [embedding], "same": true|false}')
    .option('--max-false-hits <share>', 'the most different-meaning prompts that may get a cached answer, e.g. 1%', '1%')
    .option('--json [file]', 'write JSON (to stdout without a file)')
    .option('--report <file.html>', 'write an HTML page with the curves against the threshold')
    .action((flags: { pairs: string; maxFalseHits: string; json?: string | boolean; report?: string }) => {
      const max = parseShare('--max-false-hits', flags.maxFalseHits);
      const result = tune(parsePairs(readFlagFile('--pairs', flags.pairs, 'a JSON-lines file of labelled pairs'), flags.pairs), max);
      process.exitCode = result.recommended ? EXIT.met : EXIT.breached;
      if (flags.report) fs.writeFileSync(flags.report, renderTuneHtml(result));
      if (flags.json) {
        const text = `${JSON.stringify(result, null, 2)}\n`;
        if (flags.json === true || flags.json === '-') { out(text); return; }
        fs.writeFileSync(flags.json, text);
      }
      const from = Math.min(result.recommended?.threshold ?? 0.7, 0.7);
      const row = (t: ThresholdRow) => [t.threshold.toFixed(2), `${t.hits}/${result.pairs.same}`, pct(t.hit_ratio), `${t.false_hits}/${result.pairs.different}`,
        pct(t.false_hit_rate), pct(t.false_hit_rate_upper_95), pct(t.wrong_among_hits), t === result.recommended ? '<- recommended' : ''];
      out(`${result.pairs.same} same-meaning and ${result.pairs.different} different-meaning pairs; false hits allowed: ${pct(max)} (95 % upper bound)\n\n`);
      out(`${table(['threshold', 'hits', 'hit ratio', 'false hits', 'false-hit rate', 'upper 95 %', 'wrong among hits', ''],
        result.thresholds.filter((t) => t.threshold >= from - 1e-9).map(row))}\n\n`);
      out(result.recommended
        ? `recommended threshold: ${result.recommended.threshold.toFixed(2)} (hit ratio ${pct(result.recommended.hit_ratio)}, false-hit rate at most ` +
          `${pct(result.recommended.false_hit_rate_upper_95)} with 95 % confidence, on these pairs only)\n`
        : `no threshold can be vouched for: with ${result.pairs.different} different-meaning pairs the false-hit rate cannot be shown below ` +
          `${pct(result.best_provable_false_hit_rate)} (95 % upper bound with no false hit at all); add different-meaning pairs (hard ` +
          `negatives such as negations) or allow more false hits\n`);
    });
}
