/**
 * Line charts as inline SVG for the HTML report: "nice" axis ticks (1, 2 or 5 times a power of ten, in plain
 * decimals), the legend in a band of its own above the plot, and dashed threshold lines. No scripts, no network.
 */

export interface ChartSeries {
  readonly label: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/**
 * A horizontal dashed line at `y` (an SLO threshold), with a marker at `x` when the threshold applies at one point, and
 * the marker's own label beside it when `markLabel` is given. Each threshold of a chart has its own colour and dash.
 */
export interface ChartThreshold {
  readonly label: string;
  readonly y: number;
  readonly x?: number;
  readonly markLabel?: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Plot x on a log10 scale (the percentile curve). */
  readonly logX?: boolean;
  /** Fixed x ticks as [x, label]; otherwise nice ticks over the data. */
  readonly xTicks?: ReadonlyArray<readonly [number, string]>;
  readonly thresholds?: readonly ChartThreshold[];
  /** A line under the title saying how to read the chart (how far the data supports it). */
  readonly note?: string;
}

const SIZE = { width: 880, height: 320, left: 72, right: 24, bottom: 46 } as const;
const LEGEND_TOP = 40;
const LEGEND_ROW = 18;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
/** One style per threshold of a chart, so that two SLO lines are told apart by colour and by dash. */
const THRESHOLD_STYLES = [
  { color: '#ff7f0e', dash: '6 4' },
  { color: '#8c564b', dash: '2 3' },
  { color: '#e377c2', dash: '10 3 2 3' },
  { color: '#7f7f7f', dash: '12 6' },
];
const thresholdStyle = (i: number) => THRESHOLD_STYLES[i % THRESHOLD_STYLES.length];
const NOTE_HEIGHT = 16;
const FONT_CHAR_WIDTH = 7;

/**
 * The style every report page shares: the page's full width for the charts (they scale with it), tables, the
 * summary box, and the colours of a verdict: green met, red breached, amber for a verdict that cannot be trusted.
 */
export const REPORT_PAGE_CSS = 'body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}' +
  'td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}svg.chart{display:block;margin:16px 0;width:100%;height:auto}' +
  'tr.fail td{background:#fdd}tr.pass td{background:#efe}tr.untrusted td{background:#fff3cd}' +
  '.verdict.met{color:#1a6b1a}.verdict.breached{color:#a40000}.verdict.untrusted{color:#8a5a00;background:#fff3cd;padding:4px 8px}' +
  '.warn{color:#a40000;font-weight:bold}';

export const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** Ticks from 0 (or `min`) to at least `max` in steps of 1, 2 or 5 × 10^n, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min > 0 ? max - min : Math.abs(max) || 1;
  const raw = span / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step < max + step * 0.999; i++) ticks.push(first + i * step);
  if (ticks.length < 2) ticks.push(first + step);
  return ticks.map((t) => Number(t.toFixed(12)));
}

/** A tick value in plain decimals, with as many digits as the step needs: 0, 0.25, 1,500, never 1.50e+3. */
export function tickLabel(value: number, step: number): string {
  let decimals = 0;
  while (decimals < 12 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-9) decimals++;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function renderChart(spec: ChartSpec): string {
  const legend = renderLegend(spec, spec.note ? NOTE_HEIGHT : 0);
  const { width: W, left: L, right: R, bottom: B } = SIZE;
  const T = legend.bottom;
  const H = SIZE.height + T;
  const fx = (x: number) => (spec.logX ? Math.log10(x) : x);
  const points = spec.series.flatMap((s) => s.points);
  const xs = points.map(([x]) => fx(x));
  const xTicks = spec.xTicks ?? (() => {
    const t = niceTicks(Math.min(...xs, 0), Math.max(...xs, 1));
    return t.map((x): [number, string] => [x, tickLabel(x, t[1] - t[0])]);
  })();
  const tickXs = xTicks.map(([x]) => fx(x));
  const [x0, x1] = [Math.min(...xs, ...tickXs), Math.max(...xs, ...tickXs)];
  const yMax = Math.max(0, ...points.map(([, y]) => y), ...(spec.thresholds ?? []).map((t) => t.y));
  const yTicks = niceTicks(0, yMax > 0 ? yMax : 1);
  const y1 = yTicks[yTicks.length - 1];
  const px = (x: number) => L + ((fx(x) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (y: number) => H - B - (y / y1) * (H - B - T);
  const f = (n: number) => n.toFixed(1);

  const grid = yTicks.map((y) => `<line class="grid" x1="${L}" y1="${f(py(y))}" x2="${W - R}" y2="${f(py(y))}" stroke="#e4e4e4"/>` +
    `<text class="tick y" x="${L - 6}" y="${f(py(y) + 4)}" text-anchor="end" font-size="11">${tickLabel(y, yTicks[1] - yTicks[0])}</text>`).join('');
  const xt = xTicks.map(([x, label]) => `<line x1="${f(px(x))}" y1="${H - B}" x2="${f(px(x))}" y2="${H - B + 4}" stroke="#444"/>` +
    `<text class="tick x" x="${f(px(x))}" y="${H - B + 17}" text-anchor="middle" font-size="11">${esc(label)}</text>`).join('');
  const lines = spec.series.map((s, i) => `<polyline class="series" data-label="${esc(s.label)}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" ` +
    `points="${s.points.map(([x, y]) => `${f(px(x))},${f(py(y))}`).join(' ')}"/>`).join('');
  const thresholds = (spec.thresholds ?? []).map((t, i) => {
    const { color, dash } = thresholdStyle(i);
    const line = `<line class="threshold" data-value="${t.y}" x1="${L}" y1="${f(py(t.y))}" x2="${W - R}" y2="${f(py(t.y))}" ` +
      `stroke="${color}" stroke-dasharray="${dash}" stroke-width="1.5"/>`;
    if (t.x === undefined) return line;
    const [cx, cy] = [px(t.x), py(t.y)];
    const marker = `<circle class="marker" cx="${f(cx)}" cy="${f(cy)}" r="4" fill="${color}"/>`;
    if (!t.markLabel) return line + marker;
    // The label sits above the marker (below it when the marker is near the top), on the side with room, inside the plot.
    const width = t.markLabel.length * FONT_CHAR_WIDTH;
    const right = cx + 8 + width <= W - R;
    const tx = right ? cx + 8 : Math.max(L + 4, cx - 8 - width);
    const ty = cy - 10 - 12 >= T ? cy - 10 : cy + 20;
    return line + marker + `<text class="mark-label" x="${f(tx)}" y="${f(ty)}" font-size="12" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(t.markLabel)}</text>`;
  }).join('');

  // The page's CSS (`svg.chart{width:100%;height:auto}`) scales the chart to the page's width; the viewBox keeps its shape.
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(spec.title)}">` +
    `<text class="title" x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(spec.title)}</text>` +
    (spec.note ? `<text class="note" x="${W / 2}" y="${18 + NOTE_HEIGHT}" text-anchor="middle" font-size="11" fill="#555">${esc(spec.note)}</text>` : '') +
    `${legend.svg}` +
    `<rect class="plot" x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none"/>${grid}` +
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#444"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#444"/>` +
    `${xt}${thresholds}${lines}` +
    `<text class="axis-label" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${esc(spec.xLabel)}</text>` +
    `<text class="axis-label" x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle" font-size="12">${esc(spec.yLabel)}</text></svg>`;
}

/**
 * The legend, in rows of its own between the title and the plot, so that it never covers a line; returns the SVG and
 * where the plot can start.
 */
function renderLegend(spec: ChartSpec, offset: number): { svg: string; bottom: number } {
  const entries = [
    ...spec.series.map((s, i) => ({ label: s.label, color: COLORS[i % COLORS.length], dash: '' })),
    ...(spec.thresholds ?? []).map((t, i) => ({ label: t.label, color: thresholdStyle(i).color, dash: ` stroke-dasharray="${thresholdStyle(i).dash}"` })),
  ];
  let [x, row] = [SIZE.left, 0];
  const svg = entries.map((e) => {
    const width = 28 + e.label.length * FONT_CHAR_WIDTH + 18;
    if (x > SIZE.left && x + width > SIZE.width - SIZE.right) [x, row] = [SIZE.left, row + 1];
    const y = LEGEND_TOP + offset + row * LEGEND_ROW;
    const item = `<g class="legend"><line x1="${x}" y1="${y - 4}" x2="${x + 22}" y2="${y - 4}" stroke="${e.color}" stroke-width="2"${e.dash}/>` +
      `<text x="${x + 28}" y="${y}" font-size="12">${esc(e.label)}</text></g>`;
    x += width;
    return item;
  }).join('');
  return { svg, bottom: LEGEND_TOP + offset + row * LEGEND_ROW + 16 };
}
