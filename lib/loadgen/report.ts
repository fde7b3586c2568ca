import { workloadSpec } from '../catalog/workloads';
import { decode } from './histogram';
import { ChartSeries, ChartThreshold, esc, renderChart, REPORT_PAGE_CSS } from './report-chart';
import { LoadTestResult, SecondFigures, sloVerdict } from './run';

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(2)} %`);
const ms = (x: number) => x.toFixed(3);
/** An SLO figure in its unit: 1.454 ms, 99.50 %, 5000.0 ops/s. */
const figure = (v: number | null, unit: string) => (v === null ? 'not measured' : unit === 'ratio' ? pct(v) : `${unit === 'ms' ? ms(v) : v.toFixed(1)} ${unit}`);

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
  for (const [kind, message] of Object.entries(r.error_examples ?? {})) lines.push(`               first ${kind}: ${message}`);
  for (const f of workloadSpec(r.profile).figures) {
    const value = r[f.name as `${string}_ratio`];
    if (value !== undefined) lines.push(`  ${f.label.padEnd(12)} ${pct(value)}${f.note ? ` ${f.note}` : ''}`);
  }
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
    const verdict = sloVerdict(r)!;
    lines.push(`  SLO ${r.slo.spec}: ${verdict === 'met' && r.generator.limited ? 'MET, NOT TRUSTWORTHY (generator-limited: see the warning above)' : VERDICT_TEXT[verdict]}`);
    lines.push(`  ${'term'.padEnd(18)}${'actual'.padStart(14)}${'threshold'.padStart(14)}   result`);
    for (const c of r.slo.checks) {
      lines.push(`  ${c.term.padEnd(18)}${figure(c.actual, c.unit).padStart(14)}${figure(c.threshold, c.unit).padStart(14)}   ${c.passed ? 'pass' : 'FAIL'}`);
    }
  }
  return lines.join('\n');
}

/** Percentiles to plot: 0, 50, 75, 87.5, ... toward 100, as HdrHistogram plots them. */
const CURVE_PERCENTILES = Array.from({ length: 20 }, (_, i) => 100 * (1 - Math.pow(0.5, i))).concat([99.9, 99.99, 99.999]).sort((a, b) => a - b);
/** Where a percentile sits on the log x axis of the percentile chart: 1 / (1 - p). */
const percentileX = (p: number) => 1 / (1 - p / 100);
const PERCENTILE_TICKS: Array<[number, string]> = [[0, '0%'], [50, '50%'], [90, '90%'], [99, '99%'], [99.9, '99.9%'], [99.99, '99.99%'], [99.999, '99.999%']]
  .map(([p, label]) => [percentileX(p as number), label as string]);

const VERDICT_TEXT = { met: 'MET', breached: 'BREACHED', untrustworthy: 'NOT TRUSTWORTHY (generator-limited: the breach may be the generator\'s)' } as const;

/**
 * The highest percentile `count` values resolve: with N values the top one is the 100 (1 − 1/N)th percentile; beyond it
 * a curve would only repeat the maximum.
 */
export function supportedPercentile(count: number): number {
  return count <= 1 ? 0 : 100 * (1 - 1 / count);
}

/**
 * A histogram's percentile curve in ms, drawn only as far as its sample count supports (see supportedPercentile), or
 * nothing when it holds no values (the lag of a closed-loop run).
 */
function curve(label: string, encoded: string): { series: ChartSeries[]; count: number } {
  const h = decode(encoded);
  if (h.totalCount === 0) return { series: [], count: 0 };
  const top = supportedPercentile(h.totalCount);
  const percentiles = [...CURVE_PERCENTILES.filter((p) => p < top), top];
  return { series: [{ label, points: percentiles.map((p): [number, number] => [percentileX(p), h.getValueAtPercentile(p) / 1000]) }], count: h.totalCount };
}

/** A percentile with the digits that tell it from 100: 99.96 for 99.96, 99.979 for 99.97917, 50 for 50. */
function percentileText(p: number): string {
  const digits = p >= 100 ? 0 : Math.min(6, Math.max(0, Math.ceil(-Math.log10(100 - p)) + 1));
  return p.toFixed(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The SLO's latency terms at `percentiles` (all when omitted) as threshold lines, with a marker at `markAtX(p)`. */
function latencyThresholds(r: LoadTestResult, percentiles?: number[], markAtX?: (p: number) => number | undefined): ChartThreshold[] {
  return (r.slo?.checks ?? []).filter((c) => c.percentile !== undefined && (percentiles?.includes(c.percentile) ?? true)).map((c) => {
    const x = markAtX?.(c.percentile!);
    return { label: `SLO ${c.term}`, y: c.threshold, ...(x === undefined ? {} : { x }) };
  });
}

/**
 * The SLO's verdict and table. A run whose generator was limited gets no green: a breach may be the generator's
 * (NOT TRUSTWORTHY), and a MET only says the cache kept the SLO at the load the generator managed to send, late and
 * perhaps below the target, so it reads "MET, NOT TRUSTWORTHY" in amber with the reason under it.
 */
function sloSection(r: LoadTestResult): string {
  const verdict = sloVerdict(r)!;
  const untrusted = verdict === 'untrustworthy' || r.generator.limited;
  const text = verdict === 'met' && r.generator.limited ? 'MET, NOT TRUSTWORTHY (generator-limited: the load may not have been the load asked for)' : VERDICT_TEXT[verdict];
  const rowClass = (passed: boolean) => (!passed ? 'fail' : untrusted ? 'untrusted' : 'pass');
  return `<h2 class="verdict ${untrusted ? 'untrusted' : verdict}">SLO ${esc(r.slo!.spec)}: ${esc(text)}</h2>` +
    (r.generator.limited ? `<p class="warn">${esc(r.generator.reason!)}</p>` : '') +
    '<table><tr><th>term</th><th>actual</th><th>threshold</th><th>result</th></tr>' +
    r.slo!.checks.map((c) => `<tr class="${rowClass(c.passed)}"><td>${esc(c.term)}</td><td>${esc(figure(c.actual, c.unit))}</td>` +
      `<td>${esc(figure(c.threshold, c.unit))}</td><td>${c.passed ? 'pass' : 'FAIL'}</td></tr>`).join('') +
    '</table>';
}

/**
 * One self-contained HTML page: the summary, the SLO table, the percentile curves (latency, service time, the
 * generator's lag) with the SLO's latency thresholds, and throughput and latency per second. No scripts, no network.
 */
export function renderHtml(r: LoadTestResult): string {
  const drawn = [
    curve('latency (from intended send)', r.histogram),
    curve('service time (from actual send)', r.service_histogram),
    curve('generator lag (sent late)', r.lag_histogram),
  ];
  const curves = drawn.flatMap((d) => d.series);
  const samples = drawn[0].count;
  const top = supportedPercentile(Math.max(...drawn.map((d) => d.count)));
  const lastX = percentileX(top);
  const curveNote = samples > 0
    ? `Drawn to the ${percentileText(supportedPercentile(samples))}th percentile: ${samples.toLocaleString('en-US')} measured operations resolve no higher one (1/N).`
    : undefined;
  const slo = r.slo ? sloSection(r) : '';
  // Each second is drawn as a step over the part of it that was measured, from its start (0 is the end of the warm-up)
  // to its end, as a rate: the first second starts at 0, and the last, partial second of a run is not a collapse.
  const perSecond = (value: (s: SecondFigures) => number) => r.series.filter((s) => s.span_s > 0)
    .flatMap((s): Array<[number, number]> => [[s.second - 1, value(s)], [s.second - 1 + s.span_s, value(s)]]);
  const target = r.target_rate === null ? [] : [{ label: `target ${r.target_rate} ops/s`, y: r.target_rate }];
  const charts = [
    renderChart({ title: 'Latency by percentile', ...(curveNote ? { note: curveNote } : {}), xLabel: 'percentile', yLabel: 'ms', series: curves, logX: true, xTicks: PERCENTILE_TICKS.filter(([x]) => x <= lastX * 1.01), thresholds: latencyThresholds(r, undefined, (p) => (percentileX(p) <= lastX ? percentileX(p) : undefined)) }),
    ...(r.series.length === 0 ? [] : [
      renderChart({ title: 'Throughput per second', xLabel: 'seconds after the warm-up', yLabel: 'ops/s', series: [{ label: 'ops/s', points: perSecond((s) => s.ops / s.span_s) }, { label: 'errors/s', points: perSecond((s) => s.errors / s.span_s) }], thresholds: target }),
      renderChart({ title: 'Latency per second (from intended send)', xLabel: 'seconds after the warm-up', yLabel: 'ms', series: [{ label: 'p99', points: perSecond((s) => s.p99_ms) }, { label: 'p50', points: perSecond((s) => s.p50_ms) }], thresholds: latencyThresholds(r, [50, 99]) }),
    ]),
  ];
  return `<!doctype html><html><head><meta charset="utf-8"><title>ectk loadtest ${esc(r.profile)} ${esc(r.run_id)}</title>
<style>${REPORT_PAGE_CSS}pre.summary{background:#f6f6f6;padding:8px;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}</style></head><body>
<h1>ectk loadtest: ${esc(r.profile)}</h1>
<pre class="summary">${esc(formatSummary(r))}</pre>
${slo}
${charts.join('\n')}
</body></html>
`;
}
