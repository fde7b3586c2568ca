import { evaluateSlo, parseSlo } from '../../lib/catalog/slo';

describe('SLO spec', () => {
  test('parses the DESIGN.md example into terms with base units', () => {
    expect(parseSlo('p50<1ms,p99<5ms,p99.9<20ms,errors<0.1%,hit_ratio>80%').terms).toEqual([
      { text: 'p50<1ms', metric: 'latency', percentile: 50, op: '<', threshold: 1 },
      { text: 'p99<5ms', metric: 'latency', percentile: 99, op: '<', threshold: 5 },
      { text: 'p99.9<20ms', metric: 'latency', percentile: 99.9, op: '<', threshold: 20 },
      { text: 'errors<0.1%', metric: 'errors', op: '<', threshold: 0.001 },
      { text: 'hit_ratio>80%', metric: 'hit_ratio', op: '>', threshold: 0.8 },
    ]);
  });

  test.each([
    ['p99<500us', 0.5], ['p99<2s', 2000], ['p99<=3ms', 3], ['max<100ms', 100],
  ])('latency units: %s is %s ms', (spec, ms) => {
    expect(parseSlo(spec).terms[0].threshold).toBe(ms);
  });

  test('plain fractions and rates', () => {
    expect(parseSlo('errors<0.001, allow_ratio>=0.5, rate>=1000').terms.map((t) => [t.metric, t.op, t.threshold]))
      .toEqual([['errors', '<', 0.001], ['allow_ratio', '>=', 0.5], ['rate', '>=', 1000]]);
  });

  test.each([
    ['', /--slo: invalid value "": the spec has no terms/],
    // A bare latency could be ms, s or µs: the unit is asked for, not guessed.
    ['p99<5', /--slo term: invalid value "p99<5": add a unit: 5ms \(latency takes us, ms or s\)/],
    ['max<=2.5', /--slo term: invalid value "max<=2.5": add a unit: 2.5ms/],
    ['p99<5parsecs', /--slo term: invalid value "p99<5parsecs": unknown unit "parsecs"; latency units are us, ms and s/],
    ['latency<5ms', /--slo term: invalid value "latency<5ms": unknown metric "latency"/],
    ['p99=5ms', /--slo term: invalid value "p99=5ms": terms look like/],
    ['p0<5ms', /--slo term: invalid value "p0<5ms": a percentile is above 0 and at most 100/],
    ['p100.5<5ms', /a percentile is above 0 and at most 100/],
    ['errors<5ms', /--slo term: invalid value "errors<5ms": unknown unit "ms"; ratios take % or a plain fraction/],
    ['hit_ratio>120%', /a ratio is at most 100% \(or 1\)/],
    ['p99<5ms,,rate>>3', /--slo term: invalid value "rate>>3"/],
  ])('bad spec %j is refused naming the term', (spec, message) => {
    expect(() => parseSlo(spec)).toThrow(message);
  });

  test('evaluation: each check reports actual, threshold and verdict; any failure fails the SLO', () => {
    const latency: Record<number, number> = { 50: 0.4, 99: 6, 100: 30 };
    const result = evaluateSlo(parseSlo('p50<1ms,p99<5ms,max<50ms,errors<0.1%,hit_ratio>80%'), {
      latencyAt: (p) => latency[p], anyServed: true, errorRate: 0.0005, figures: { hit_ratio: 0.85 }, achievedRate: 1000,
    });
    expect(result.passed).toBe(false);
    expect(result.checks.map((c) => [c.term, c.actual, c.passed])).toEqual([
      ['p50<1ms', 0.4, true], ['p99<5ms', 6, false], ['max<50ms', 30, true], ['errors<0.1%', 0.0005, true], ['hit_ratio>80%', 0.85, true],
    ]);
  });

  test('a term on a figure the profile does not measure fails instead of passing silently', () => {
    const result = evaluateSlo(parseSlo('hit_ratio>50%'), { latencyAt: () => 1, anyServed: true, errorRate: 0, figures: {}, achievedRate: 1 });
    expect(result.checks[0]).toMatchObject({ actual: null, passed: false });
    expect(result.passed).toBe(false);
  });
});
