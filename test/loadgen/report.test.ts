/// <reference lib="dom" />
import { parseSlo } from '../../lib/catalog/slo';
/**
 * The HTML report, rendered the way a reader sees it: headless Chromium (Debian's `chromium`) opens the page of a real
 * run against a local redis-server, and the tests measure the layout: the summary fits its box, every chart has
 * labelled axes with plain tick values in 1-2-5 steps, no text overlaps other text, the legend stays off the plot,
 * SLO thresholds sit at their values, and the last, partial second is drawn as a rate, not a collapse.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, launch, Page } from 'puppeteer-core';
import { niceTicks, tickLabel } from '../../lib/loadgen/report-chart';
import { formatSummary, renderHtml } from '../../lib/loadgen/report';
import { decode } from '../../lib/loadgen/histogram';
import { parsePairs, tune } from '../../lib/ops/semantic-tune';
import { renderTuneHtml } from '../../lib/ops/semantic-tune-report';
import { LoadTestResult, runLoadTest } from '../../lib/loadgen/run';
import { config } from '../support/loadtest';
import { RedisServer, startRedis } from '../support/redis';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Box { x: number; y: number; width: number; height: number }
interface ChartLayout {
  title: string;
  plot: Box;
  svg: Box;
  xTicks: string[];
  yTicks: string[];
  texts: Array<{ text: string; box: Box }>;
  legend: Box[];
  series: Array<{ label: string; points: Array<[number, number]> }>;
  thresholds: Array<{ value: number; y: number; stroke: string; dash: string }>;
  markers: number;
  note: string | null;
  markLabels: Array<{ text: string; box: Box }>;
}

interface PageLayout {
  summary: { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number } | null;
  /** The width the body's content can use, in CSS pixels. */
  contentWidth: number;
  verdict: { text: string; className: string; background: string } | null;
  rowClasses: string[];
  charts: ChartLayout[];
}

/** What the page looks like in Chromium: the summary box's sizes and every chart's geometry, in CSS pixels. */
async function layout(page: Page): Promise<PageLayout> {
  return page.evaluate(() => {
    const box = (e: Element) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
    const pre = document.querySelector('pre.summary');
    const verdict = document.querySelector('h2.verdict');
    const bodyStyle = getComputedStyle(document.body);
    const charts = Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
      const plot = svg.querySelector('rect.plot')!;
      const plotBox = box(plot);
      const toPage = (x: number, y: number) => {
        const p = (svg as SVGSVGElement).createSVGPoint(); p.x = x; p.y = y;
        const q = p.matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
        return [q.x, q.y] as [number, number];
      };
      return {
        title: svg.querySelector('text.title')!.textContent!,
        plot: plotBox,
        svg: box(svg),
        xTicks: Array.from(svg.querySelectorAll('text.tick.x')).map((t) => t.textContent!),
        yTicks: Array.from(svg.querySelectorAll('text.tick.y')).map((t) => t.textContent!),
        texts: Array.from(svg.querySelectorAll('text')).map((t) => ({ text: t.textContent!, box: box(t) })),
        legend: Array.from(svg.querySelectorAll('g.legend')).map(box),
        series: Array.from(svg.querySelectorAll('polyline.series')).map((l) => ({
          label: l.getAttribute('data-label')!,
          points: Array.from((l as SVGPolylineElement).points).map((p) => toPage(p.x, p.y)),
        })),
        thresholds: Array.from(svg.querySelectorAll('line.threshold')).map((l) => ({
          value: Number(l.getAttribute('data-value')), y: toPage(0, Number(l.getAttribute('y1')))[1],
          stroke: l.getAttribute('stroke')!, dash: l.getAttribute('stroke-dasharray')!,
        })),
        markers: svg.querySelectorAll('circle').length,
        note: svg.querySelector('text.note')?.textContent ?? null,
        markLabels: Array.from(svg.querySelectorAll('text.mark-label')).map((t) => ({ text: t.textContent!, box: box(t) })),
      };
    });
    return {
      summary: pre ? { scrollWidth: pre.scrollWidth, clientWidth: pre.clientWidth, scrollHeight: pre.scrollHeight, clientHeight: pre.clientHeight } : null,
      contentWidth: document.documentElement.clientWidth - parseFloat(bodyStyle.marginLeft) - parseFloat(bodyStyle.marginRight),
      verdict: verdict ? { text: verdict.textContent!, className: verdict.className, background: getComputedStyle(verdict).backgroundColor } : null,
      rowClasses: Array.from(document.querySelectorAll('table tr')).slice(1).map((tr) => tr.className),
      charts,
    };
  });
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
const inside = (a: Box, outer: Box) => a.x >= outer.x - 0.5 && a.y >= outer.y - 0.5 && a.x + a.width <= outer.x + outer.width + 0.5 && a.y + a.height <= outer.y + outer.height + 0.5;

/** The pixel y of a data value on a chart, from its y tick labels (the first tick is 0 at the bottom of the plot). */
function pixelY(chart: ChartLayout, value: number): number {
  const top = Number(chart.yTicks[chart.yTicks.length - 1].replace(/,/g, ''));
  return chart.plot.y + chart.plot.height - (value / top) * chart.plot.height;
}

let server: RedisServer;
let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ectk-report-'));
  [server, browser] = await Promise.all([startRedis(), launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), browser?.close()]);
  if (!process.env.KEEP_REPORTS) fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a report page in Chromium at a laptop's width, saves a screenshot beside it, and measures it. */
async function open(result: LoadTestResult | string, name: string) {
  const file = path.join(dir, `${name}.html`);
  fs.writeFileSync(file, typeof result === 'string' ? result : renderHtml(result));
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 800 });
  const requests: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await page.goto(`file://${file}`);
  const png = path.join(dir, `${name}.png`);
  await page.screenshot({ path: png, fullPage: true });
  const measured = await layout(page);
  await page.close();
  return { ...measured, requests, png, html: fs.readFileSync(file, 'utf8') };
}

describe('axis ticks', () => {
  test.each([
    [0, 4.96, [0, 1, 2, 3, 4, 5]],
    [0, 5001, [0, 2000, 4000, 6000]],
    [0, 0.031, [0, 0.01, 0.02, 0.03, 0.04]],
    [0, 4.5, [0, 1, 2, 3, 4, 5]],
  ])('from %p to %p the ticks are %p', (min, max, expected) => {
    expect(niceTicks(min, max)).toEqual(expected);
  });

  test('labels are plain decimals with the digits the step needs, never scientific notation', () => {
    expect(tickLabel(0.01, 0.01)).toBe('0.01');
    expect(tickLabel(0.5, 0.25)).toBe('0.50');
    expect(tickLabel(6000, 2000)).toBe('6,000');
    expect(tickLabel(1.5e-4, 5e-5)).toBe('0.00015');
  });
});

describe('the HTML report in headless Chromium', () => {
  test('an open-loop run with an SLO: the summary fits, the axes are labelled, nothing overlaps, thresholds sit at their values', async () => {
    const result = await runLoadTest(config(server.port, { rate: 2000, durationMs: 2600, warmupMs: 200, slo: parseSlo('p99<2ms,p50<0.5ms,errors<1%') }));
    const page = await open(result, 'open-loop');

    // Self-contained: no script, nothing fetched from anywhere.
    expect(page.html).not.toMatch(/<script/i);
    expect(page.requests).toEqual([]);
    expect(fs.statSync(page.png).size).toBeGreaterThan(10_000);

    // The summary box shows all of the summary: nothing scrolls out of sight.
    expect(page.summary!.scrollWidth).toBeLessThanOrEqual(page.summary!.clientWidth);
    expect(page.summary!.scrollHeight).toBeLessThanOrEqual(page.summary!.clientHeight);

    expect(page.charts.map((c) => c.title)).toEqual(['Latency by percentile', 'Throughput per second', 'Latency per second (from intended send)']);
    for (const chart of page.charts) {
      expect(chart.xTicks.length).toBeGreaterThanOrEqual(3);
      expect(chart.yTicks.length).toBeGreaterThanOrEqual(3);
      // y ticks: plain numbers, evenly spaced, in steps of 1, 2 or 5 times a power of ten, from 0.
      const ys = chart.yTicks.map((t) => { expect(t).toMatch(/^[\d,]+(\.\d+)?$/); return Number(t.replace(/,/g, '')); });
      expect(ys[0]).toBe(0);
      const step = ys[1] - ys[0];
      const mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
      expect([1, 2, 5].map((m) => Math.abs(mantissa - m) < 1e-6)).toContain(true);
      ys.forEach((y, i) => expect(y).toBeCloseTo(i * step, 6));
      // No text covers other text, and all of it is inside the chart.
      for (const [i, a] of chart.texts.entries()) {
        expect(inside(a.box, chart.svg)).toBe(true);
        for (const b of chart.texts.slice(i + 1)) {
          if (overlaps(a.box, b.box)) throw new Error(`"${a.text}" overlaps "${b.text}" in "${chart.title}"`);
        }
      }
      // The legend is outside the plot area, so it never covers a line.
      for (const entry of chart.legend) expect(overlaps(entry, chart.plot)).toBe(false);
      // Every line stays within the plot area.
      for (const s of chart.series) for (const [x, y] of s.points) expect(inside({ x, y, width: 0, height: 0 }, chart.plot)).toBe(true);
    }

    // The charts use the page's width, not two thirds of it.
    for (const chart of page.charts) expect(chart.svg.width).toBeGreaterThanOrEqual(0.95 * page.contentWidth);

    const [percentiles, throughput, perSecond] = page.charts;
    // The curves go only as far as the sample count supports (the 100 (1 - 1/N)th percentile), and the chart says so.
    const samples = decode(result.histogram).totalCount;
    expect(samples).toBeGreaterThan(1000);
    expect(samples).toBeLessThan(10_000);
    expect(percentiles.note).toBe(`Drawn to the ${(100 * (1 - 1 / samples)).toFixed(3).replace(/0+$/, '')}th percentile: ` +
      `${samples.toLocaleString('en-US')} measured operations resolve no higher one (1/N).`);
    expect(percentiles.xTicks).not.toContain('99.999%');
    const rightmost = Math.max(...percentiles.series.flatMap((s) => s.points.map(([x]) => x)));
    expect(rightmost).toBeLessThanOrEqual(percentiles.plot.x + percentiles.plot.width + 0.5);
    // The two SLO lines are told apart by colour and by dash, in the legend as on the plot.
    expect(new Set(percentiles.thresholds.map((t) => t.stroke)).size).toBe(2);
    expect(new Set(percentiles.thresholds.map((t) => t.dash)).size).toBe(2);
    // The per-second charts start at 0 (the end of the warm-up), not at the end of the first second.
    for (const chart of [throughput, perSecond]) {
      expect(chart.xTicks[0]).toBe('0');
      expect(Math.min(...chart.series[0].points.map(([x]) => x))).toBeCloseTo(chart.plot.x, 0);
    }
    // The percentile chart draws the latency, the service time and the generator's own lag.
    expect(percentiles.series.map((s) => s.label)).toEqual(['latency (from intended send)', 'service time (from actual send)', 'generator lag (sent late)']);
    expect(percentiles.xTicks).toEqual(expect.arrayContaining(['50%', '90%', '99%', '99.9%']));
    // Both latency terms are drawn at their threshold, each with a marker at its percentile; errors<1% is not latency.
    expect(percentiles.thresholds.map((t) => t.value)).toEqual([2, 0.5]);
    expect(percentiles.markers).toBe(2);
    for (const t of percentiles.thresholds) expect(t.y).toBeCloseTo(pixelY(percentiles, t.value), 0);
    expect(perSecond.thresholds.map((t) => t.value)).toEqual([2, 0.5]);

    // The time axis is labelled in seconds; the last second (0.6 s of it measured) is a rate, not a drop toward zero.
    expect(throughput.xTicks).toEqual(expect.arrayContaining(['0', '1', '2']));
    const last = result.series[result.series.length - 1];
    expect(last.span_s).toBeGreaterThan(0.3);
    expect(last.span_s).toBeLessThan(1);
    const ops = throughput.series.find((s) => s.label === 'ops/s')!.points;
    const lastY = ops[ops.length - 1][1];
    const targetY = throughput.thresholds[0].y;
    expect(Math.abs(lastY - targetY)).toBeLessThan(0.1 * (pixelY(throughput, 0) - targetY));
  }, 60_000);

  test('a generator-limited run never reads green: MET becomes "MET, NOT TRUSTWORTHY" in amber, its rows amber too', async () => {
    const result = await runLoadTest(config(server.port, { rate: 300, durationMs: 1200, warmupMs: 0, slo: parseSlo('p99<10s,errors<50%') }));
    expect(result.slo!.passed).toBe(true);
    // Both variants of the same run, the generator's health set either way (a loaded machine may limit the real one).
    const trusted = await open({ ...result, generator: { ...result.generator, limited: false, reason: undefined } }, 'met');
    expect(trusted.verdict).toMatchObject({ text: 'SLO p99<10s,errors<50%: MET', className: 'verdict met' });
    expect(trusted.rowClasses).toEqual(['pass', 'pass']);

    const limited: LoadTestResult = { ...result, generator: { ...result.generator, limited: true, reason: 'generator-limited: sent late by up to 40 ms' } };
    const page = await open(limited, 'met-limited');
    expect(page.verdict!.text).toBe('SLO p99<10s,errors<50%: MET, NOT TRUSTWORTHY (generator-limited: the load may not have been the load asked for)');
    expect(page.verdict!.className).toBe('verdict untrusted');
    expect(page.verdict!.background).toBe('rgb(255, 243, 205)');
    expect(page.rowClasses).toEqual(['untrusted', 'untrusted']);
    expect(formatSummary(limited)).toContain('SLO p99<10s,errors<50%: MET, NOT TRUSTWORTHY (generator-limited: see the warning above)');
  }, 60_000);

  test('a closed-loop run: no lag curve and no target line, and a long reason still fits the summary box', async () => {
    const result = await runLoadTest(config(server.port, { closedLoop: true, connections: 1, pipeline: 1, durationMs: 1200, warmupMs: 0 }));
    const limited: LoadTestResult = { ...result, generator: { ...result.generator, limited: true, reason: 'generator-limited: '.repeat(20) } };
    const page = await open(limited, 'closed-loop');
    expect(page.summary!.scrollWidth).toBeLessThanOrEqual(page.summary!.clientWidth);
    const [percentiles, throughput] = page.charts;
    expect(percentiles.series.map((s) => s.label)).toEqual(['latency (from intended send)', 'service time (from actual send)']);
    expect(throughput.thresholds).toEqual([]);
  }, 60_000);
});

describe('the semantic-tune report in headless Chromium', () => {
  // Pairs at exact similarities (2-D embeddings at chosen angles, as in test/cli/semantic-tune.test.ts): 0.96 is the
  // loosest threshold whose false-hit bound stays under 30 %, with a hit ratio of 25 %.
  const pair = (similarity: number, same: boolean) => JSON.stringify({ a: [1, 0], b: [similarity, Math.sqrt(1 - similarity * similarity)], same });
  const pairs = [...[0.992, 0.972, 0.952, 0.932, 0.912, 0.892, 0.872, 0.852].map((x) => pair(x, true)),
    ...[0.955, 0.905, 0.805, 0.705, 0.605, 0.505, 0.405, 0.305, 0.205, 0.105].map((x) => pair(x, false))].join('\n');

  test('the recommendation is labelled with its threshold, hit ratio and false-hit bound, beside its marker, and the chart uses the page', async () => {
    const result = tune(parsePairs(pairs, 'pairs.jsonl'), 0.3);
    expect(result.recommended?.threshold).toBe(0.96);
    const page = await open(renderTuneHtml(result), 'semantic-tune');
    expect(page.requests).toEqual([]);
    const [chart] = page.charts;
    expect(chart.svg.width).toBeGreaterThanOrEqual(0.95 * page.contentWidth);
    expect(chart.markers).toBe(1);
    expect(chart.markLabels.map((l) => l.text)).toEqual(['recommended 0.96: hit ratio 25.0 %, false hits ≤ 27.8 %']);
    // The label is inside the plot, covers no other text, and sits next to the marker (within 60 px of it).
    const label = chart.markLabels[0].box;
    expect(inside(label, chart.plot)).toBe(true);
    for (const t of chart.texts) if (t.text !== chart.markLabels[0].text) expect(overlaps(label, t.box)).toBe(false);
    const marker = chart.thresholds[0];
    expect(Math.abs(label.y + label.height / 2 - marker.y)).toBeLessThan(60);
  }, 60_000);
});
