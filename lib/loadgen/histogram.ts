import * as hdr from 'hdr-histogram-js';

/** Latencies are recorded in microseconds, from 1 µs to 60 s, with 3 significant digits. */
export const HIGHEST_TRACKABLE_US = 60_000_000;

export type Histogram = hdr.Histogram;

/** A latency histogram in µs; 3 significant digits for results, 2 for the small per-second ones. */
export function newHistogram(significantDigits: 2 | 3 = 3): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_US, numberOfSignificantValueDigits: significantDigits });
}

/** Records a latency given in milliseconds (fractional), clamped to the trackable range. */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(Math.min(Math.max(us, 1), HIGHEST_TRACKABLE_US));
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentiles in milliseconds. */
export function summarize(h: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p99_9: ms(h.getValueAtPercentile(99.9)),
    // The top bucket's value, not the raw maximum, so that a merged histogram reports the same figure as its parts.
    max: ms(h.getValueAtPercentile(100)),
    mean: ms(h.mean),
  };
}

/** The standard compressed base64 form (HdrHistogram V2), which every HdrHistogram implementation reads. */
export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(text: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(text, 32, false);
  // Decoded histograms keep their encoded range; widen them to ours so that merging never drops values.
  const wide = newHistogram();
  wide.add(h);
  return wide;
}

/** Exact merge: the result is the histogram of all recorded values. Percentiles are never averaged. */
export function merge(histograms: Histogram[]): Histogram {
  const total = newHistogram();
  for (const h of histograms) total.add(h);
  return total;
}

/** HdrHistogram's percentile-distribution text (`.hgrm`), values in milliseconds, readable by HdrHistogram plotters. */
export function toHgrm(h: Histogram): string {
  return h.outputPercentileDistribution(5, 1000);
}

/** Every distinct recorded value (µs, the top of its bucket) with its count, in increasing order. */
export function recordedValues(h: Histogram): Array<{ valueUs: number; count: number }> {
  const iterator = (h as unknown as hdr.JsHistogram).recordedValuesIterator;
  iterator.reset();
  const out: Array<{ valueUs: number; count: number }> = [];
  while (iterator.hasNext()) {
    const v = iterator.next();
    out.push({ valueUs: v.valueIteratedTo, count: v.countAtValueIteratedTo });
  }
  return out;
}
