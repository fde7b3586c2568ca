import { decode } from './histogram';
import { LoadTestResult, sloVerdict } from './run';

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)} %`);
const ms = (x: number) => x.toFixed(3);

/** The human summary printed at the end of a run. */
export function formatSummary(r: LoadTestResult): string {
  const lines: string[] = [];
  const mode = r.mode === 'open-loop' ? `open loop, ${r.target_rate} ops/s target` : 'closed loop';
  lines.push(`ectk loadtest: ${r.profile} against ${r.endpoint} (${mode}, ${r.threads} thread(s), ${r.connections} connection(s))`);
  const early = r.interrupted ? ' (INTERRUPTED: the figures cover the time until the interrupt)' : r.cut_short ? ' (CUT SHORT by the deadline)' : '';
  lines.push(`  run id ${r.run_id}, measured ${r.duration_s.toFixed(1)} s${early}`);
  lines.push('');
  const ofTarget = r.target_rate ? ` (${((r.achieved_rate / r.target_rate) * 100).toFixed(2)} % of target)` : '';
  lines.push(`  throughput   ${r.achieved_rate.toFixed(1)} ops/s achieved${ofTarget}, ${r.ops} ops`);
  const kinds = Object.entries(r.errors_by_kind).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`  errors       ${r.errors} (${pct(r.error_rate)})${kinds ? `: ${kinds}` : ''}`);
  if (r.hit_ratio !== undefined) lines.push(`  hit ratio    ${pct(r.hit_ratio)}`);
  if (r.allow_ratio !== undefined) lines.push(`  allow ratio  ${pct(r.allow_ratio)}`);
  if (r.keys_deleted !== null) lines.push(`  cleanup      ${r.keys_deleted} keys deleted`);
  if (r.cleanup_warning) lines.push(`  WARNING      ${r.cleanup_warning}`);
  lines.push('');
  const row = (name: string, s: LoadTestResult['latency_ms'], note: string) =>
    `  ${name.padEnd(12)} ${[s.p50, s.p90, s.p99, s.p99_9, s.max].map((v) => ms(v).padStart(9)).join('')}   ${note}`;
  lines.push(`  ${''.padEnd(12)} ${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => h.padStart(9)).join('')}`);
  lines.push(row('latency ms', r.latency_ms, '(from intended send time)'));
  lines.push(row('service ms', r.service_time_ms, '(from actual send)'));
  if (r.generator.scheduling_lag_ms) lines.push(row('sent late ms', r.generator.scheduling_lag_ms, '(the generator\'s own lag, in the latency above)'));
  const loop = r.generator.event_loop_delay_ms;
  lines.push(`  generator    event-loop delay p50 ${ms(loop.p50)} ms, p99 ${ms(loop.p99)} ms, max ${ms(loop.max)} ms`);
  if (r.generator.limited) lines.push(`  WARNING      ${r.generator.reason}`);
  if (r.slo) {
    lines.push('');
    lines.push(`  SLO ${r.slo.spec}: ${VERDICT_TEXT[sloVerdict(r)!]}`);
    lines.push(`  ${'term'.padEnd(18)}${'actual'.padStart(14)}${'threshold'.padStart(14)}   result`);
    for (const c of r.slo.checks) {
      const show = (v: number | null) => (v === null ? 'not measured' : c.unit === 'ratio' ? pct(v) : `${c.unit === 'ms' ? ms(v) : v.toFixed(1)} ${c.unit}`);
      lines.push(`  ${c.term.padEnd(18)}${show(c.actual).padStart(14)}${show(c.threshold).padStart(14)}   ${c.passed ? 'pass' : 'FAIL'}`);
    }
  }
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

interface Series { readonly points: Array<[number, number]>; readonly label: string }

/** A small line chart as inline SVG; `logX` plots x on a log10 scale. */
function chart(title: string, xLabel: string, yLabel: string, series: Series[], logX = false, xTicks?: Array<[number, string]>): string {
  const W = 640; const H = 300; const L = 60; const B = 40; const T = 30; const R = 20;
  const xs = series.flatMap((s) => s.points.map(([x]) => (logX ? Math.log10(x) : x)));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  const y1 = Math.max(...ys, 0) * 1.1 || 1;
  const px = (x: number) => L + ((((logX ? Math.log10(x) : x) - x0) / (x1 - x0 || 1)) * (W - L - R));
  const py = (y: number) => H - B - (y / y1) * (H - B - T);
  const colors = ['#1f77b4', '#d62728', '#2ca02c'];
  const paths = series.map((s, i) => `<polyline fill="none" stroke="${colors[i % 3]}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>` +
    `<text x="${W - R - 150}" y="${T + 15 * (i + 1)}" fill="${colors[i % 3]}" font-size="12">${esc(s.label)}</text>`).join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${L - 6}" y="${py(f * y1) + 4}" text-anchor="end" font-size="11">${(f * y1).toPrecision(3)}</text>`).join('');
  const xt = (xTicks ?? []).map(([x, label]) => `<text x="${px(x)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${esc(label)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">` +
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>` +
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#444"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#444"/>` +
    `${yTicks}${xt}${paths}<text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>` +
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle" font-size="12">${esc(yLabel)}</text></svg>`;
}

/** Percentiles to plot: 0, 50, 75, 87.5, ... toward 100, as HdrHistogram plots them. */
const CURVE_PERCENTILES = Array.from({ length: 20 }, (_, i) => 100 * (1 - Math.pow(0.5, i))).concat([99.9, 99.99, 99.999]).sort((a, b) => a - b);

/** One self-contained HTML page: percentile curve, throughput and p99 over time, SLO table. No network requests. */
const VERDICT_TEXT = { met: 'MET', breached: 'BREACHED', untrustworthy: 'NOT TRUSTWORTHY (generator-limited: the breach may be the generator\'s)' } as const;

export function renderHtml(r: LoadTestResult): string {
  const h = decode(r.histogram);
  const curve = CURVE_PERCENTILES.filter((p) => p < 100).map((p): [number, number] => [1 / (1 - p / 100), h.getValueAtPercentile(p) / 1000]);
  const allTicks: Array<[number, string]> = [[1, '0%'], [2, '50%'], [10, '90%'], [100, '99%'], [1000, '99.9%'], [10000, '99.99%'], [100000, '99.999%']];
  const ticks = allTicks.filter(([x]) => x <= curve[curve.length - 1][0] * 1.01);
  const slo = r.slo ? `<h2>SLO ${esc(r.slo.spec)}: ${esc(VERDICT_TEXT[sloVerdict(r)!])}</h2>${r.generator.limited ? `<p class="warn">${esc(r.generator.reason!)}</p>` : ''}<table><tr><th>term</th><th>actual</th><th>threshold</th><th>result</th></tr>` +
    r.slo.checks.map((c) => `<tr class="${c.passed ? 'pass' : 'fail'}"><td>${esc(c.term)}</td><td>${c.actual === null ? 'not measured' : c.actual.toPrecision(4)} ${esc(c.unit)}</td><td>${c.threshold} ${esc(c.unit)}</td><td>${c.passed ? 'pass' : 'FAIL'}</td></tr>`).join('') +
    '</table>' : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>ectk loadtest ${esc(r.profile)} ${esc(r.run_id)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:720px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
tr.fail td{background:#fdd}tr.pass td{background:#efe}pre{background:#f6f6f6;padding:8px;overflow:auto}</style></head><body>
<h1>ectk loadtest: ${esc(r.profile)}</h1>
<pre>${esc(formatSummary(r))}</pre>
${slo}
${chart('Latency by percentile (from intended send time)', 'percentile', 'ms', [{ points: curve, label: 'latency' }], true, ticks)}
${chart('Throughput per second', 'second', 'ops/s', [{ points: r.series.map((s) => [s.second, s.ops] as [number, number]), label: 'ops/s' }, { points: r.series.map((s) => [s.second, s.errors] as [number, number]), label: 'errors/s' }])}
${chart('p99 latency per second', 'second', 'ms', [{ points: r.series.map((s) => [s.second, s.p99_ms] as [number, number]), label: 'p99' }, { points: r.series.map((s) => [s.second, s.p50_ms] as [number, number]), label: 'p50' }])}
</body></html>
`;
}
