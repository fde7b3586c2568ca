import { esc, renderChart, REPORT_PAGE_CSS } from '../loadgen/report-chart';
import { percent as pct } from './format';
import { TuneResult } from './semantic-tune';


/**
 * `ectk semantic-tune --report`: one self-contained HTML page: the hit ratio, the false-hit rate and its 95 % upper
 * bound against the threshold, the allowed false-hit rate as a dashed line with the recommendation marked on it, and
 * the figures every 0.05. The recommendation's marker carries its threshold, hit ratio and false-hit bound.
 */
export function renderTuneHtml(result: TuneResult): string {
  const series = (value: (t: TuneResult['thresholds'][number]) => number) => result.thresholds.map((t): [number, number] => [t.threshold, value(t) * 100]);
  const xTicks = [0.5, 0.6, 0.7, 0.8, 0.9, 1].map((x): [number, string] => [x, x.toFixed(1)]);
  const chart = renderChart({
    title: 'Hit ratio and false-hit rate by similarity threshold',
    xLabel: 'similarity threshold (cosine)',
    yLabel: '%',
    series: [
      { label: 'hit ratio (same-meaning pairs answered)', points: series((t) => t.hit_ratio) },
      { label: 'false-hit rate (different-meaning pairs answered)', points: series((t) => t.false_hit_rate) },
      { label: 'false-hit rate, 95 % upper bound', points: series((t) => t.false_hit_rate_upper_95) },
    ],
    xTicks,
    thresholds: [{
      label: `false hits allowed: ${pct(result.max_false_hit_rate)}`, y: result.max_false_hit_rate * 100, x: result.recommended?.threshold,
      ...(result.recommended ? { markLabel: `recommended ${result.recommended.threshold.toFixed(2)}: hit ratio ${pct(result.recommended.hit_ratio)}, ` +
        `false hits ≤ ${pct(result.recommended.false_hit_rate_upper_95)}` } : {}),
    }],
  });
  const rows = result.thresholds.filter((t) => Math.round(t.threshold * 100) % 5 === 0 || t === result.recommended).map((t) =>
    `<tr class="${t === result.recommended ? 'recommended' : ''}"><td>${t.threshold.toFixed(2)}</td><td>${pct(t.hit_ratio)}</td><td>${pct(t.false_hit_rate)}</td>` +
    `<td>${pct(t.false_hit_rate_upper_95)}</td><td>${pct(t.wrong_among_hits)}</td></tr>`).join('');
  const verdict = result.recommended
    ? `Recommended threshold: ${result.recommended.threshold.toFixed(2)} (hit ratio ${pct(result.recommended.hit_ratio)}, false-hit rate at most ${pct(result.recommended.false_hit_rate_upper_95)} with 95 % confidence, on these pairs only).`
    : `No threshold can be vouched for: with ${result.pairs.different} different-meaning pairs the false-hit rate cannot be shown below ${pct(result.best_provable_false_hit_rate)}.`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>ectk semantic-tune</title>
<style>${REPORT_PAGE_CSS}tr.recommended td{background:#efe;font-weight:bold}</style></head><body>
<h1>ectk semantic-tune</h1>
<p>${result.pairs.same} same-meaning and ${result.pairs.different} different-meaning pairs. ${esc(verdict)}</p>
${chart}
<table><tr><th>threshold</th><th>hit ratio</th><th>false-hit rate</th><th>upper 95 %</th><th>wrong among hits</th></tr>${rows}</table>
</body></html>
`;
}
