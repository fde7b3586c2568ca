import { describeEndpoint, parseEndpoint } from '../../lib/client/endpoint';
import { decode, encode, merge, newHistogram, recordMs, summarize, toHgrm } from '../../lib/loadgen/histogram';
import { runKeyPrefix, validateKeyPrefix } from '../../lib/loadgen/keys';
import { jitteredTtlMs } from '../../lib/util/ttl';
import { keyPicker, Rng } from '../../lib/loadgen/random';
import { parseDuration, parseSizeRange } from '../../lib/util/units';
import { errorKind } from '../../lib/client/target';

describe('endpoint', () => {
  test('parses scheme, user, password (percent-decoded), host and port', () => {
    expect(parseEndpoint('rediss://app:p%40ss@cache.example.com:6380')).toEqual({
      tls: true, host: 'cache.example.com', port: 6380, username: 'app', password: 'p@ss',
    });
    expect(parseEndpoint('redis://127.0.0.1')).toEqual({ tls: false, host: '127.0.0.1', port: 6379, username: undefined, password: undefined });
    expect(describeEndpoint(parseEndpoint('rediss://app:secret@h:1'))).toBe('rediss://app:***@h:1');
  });

  test.each([
    ['http://host:6379', /--endpoint: invalid value "http:\/\/host:6379": allowed is redis:\/\/\[user:password@\]host:port/],
    ['localhost:6379', /--endpoint: invalid value "localhost:6379"/],
    ['redis://host:6379/2', /no database path or query: cluster mode has only database 0/],
  ])('refuses %s', (text, message) => {
    expect(() => parseEndpoint(text)).toThrow(message);
  });
});

describe('units', () => {
  test('durations and sizes', () => {
    expect(parseDuration('--duration', '30s')).toBe(30000);
    expect(parseDuration('--duration', '250ms')).toBe(250);
    expect(parseDuration('--duration', '2m')).toBe(120000);
    expect(parseDuration('--max-ttl', '1d')).toBe(86_400_000);
    // A bare number is not read as seconds (or anything else): the unit is asked for. Zero needs none.
    expect(() => parseDuration('--duration', '5')).toThrow('--duration: invalid value "5": add a unit: 5s (durations take us, ms, s, m, h or d)');
    expect(parseDuration('--warmup', '0')).toBe(0);
    expect(parseSizeRange('--value-size', '1KB-16KB')).toEqual([1024, 16384]);
    expect(parseSizeRange('--value-size', '100')).toEqual([100, 100]);
    expect(() => parseDuration('--duration', '30 parsecs')).toThrow(/--duration: invalid value "30 parsecs": allowed is a number with a unit/);
    expect(() => parseSizeRange('--value-size', '16KB-1KB')).toThrow(/--value-size: invalid value "16KB-1KB": .*must not be reversed/);
  });
});

describe('histograms', () => {
  test('merging per-worker histograms gives exactly the histogram of all values', () => {
    const rng = new Rng(7);
    const all = newHistogram();
    const parts = [newHistogram(), newHistogram(), newHistogram()];
    for (let i = 0; i < 30000; i++) {
      const ms = rng.exponential(0.5) + (i % 1000 === 0 ? 300 : 0);
      recordMs(all, ms);
      recordMs(parts[i % 3], ms);
    }
    const merged = merge(parts.map((p) => decode(encode(p))));
    expect(merged.totalCount).toBe(all.totalCount);
    for (const p of [50, 90, 99, 99.9, 99.99, 100]) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p));
    expect(summarize(merged)).toEqual(summarize(all));
  });

  test('hgrm output is HdrHistogram percentile-distribution text in milliseconds', () => {
    const h = newHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i / 100);
    const text = toHgrm(h);
    expect(text).toMatch(/^\s+Value\s+Percentile\s+TotalCount\s+1\/\(1-Percentile\)/);
    expect(text).toMatch(/#\[Mean\s+=\s+5\.0\d*, StdDeviation/);
    expect(text).toMatch(/#\[Max\s+=\s+10\.0\d*, Total count\s+=\s+1000\]/);
  });
});

describe('keys and distributions', () => {
  test.each([
    ['', /--key-prefix: invalid value "": an empty prefix would put run keys among your data/],
    ['ectk:*', /--key-prefix: invalid value "ectk:\*": glob characters/],
    ['ectk:{slo}:', /hash-tag braces/],
    ['a b', /spaces are not allowed/],
  ])('refuses the key prefix %j', (prefix, message) => {
    expect(() => validateKeyPrefix(prefix)).toThrow(message);
  });

  test('run keys carry the prefix and run id; TTL jitter stays within ± jitter', () => {
    expect(runKeyPrefix('ectk:slo:', 'ab12cd34')).toBe('ectk:slo:ab12cd34:');
    expect(jitteredTtlMs(600, 0.1, 0)).toBe(540000);
    expect(jitteredTtlMs(600, 0.1, 1)).toBe(660000);
    expect(jitteredTtlMs(600, 0.1, 0.5)).toBe(600000);
  });

  test('zipf concentrates picks on the most popular keys; uniform does not', () => {
    const count = (pattern: 'zipf' | 'uniform') => {
      const picker = keyPicker(pattern, new Rng(1), 10000);
      let top = 0;
      for (let i = 0; i < 100000; i++) if (picker.next() < 100) top++;
      return top / 100000;
    };
    expect(count('zipf')).toBeGreaterThan(0.4);     // top 1 % of keys draw ~half the traffic at s = 0.99
    expect(count('uniform')).toBeLessThan(0.02);
  });

  test('sequential walks the keyspace in order and wraps; gaussian stays inside it', () => {
    const seq = keyPicker('sequential', new Rng(1), 3);
    expect([seq.next(), seq.next(), seq.next(), seq.next()]).toEqual([0, 1, 2, 0]);
    const g = keyPicker('gaussian', new Rng(2), 100);
    const picks = Array.from({ length: 10000 }, () => g.next());
    expect(Math.min(...picks)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...picks)).toBeLessThanOrEqual(99);
    expect(picks.filter((p) => p >= 34 && p <= 66).length / picks.length).toBeGreaterThan(0.6);
  });
});

describe('error kinds', () => {
  test.each([
    // ioredis' cluster client, after its redirections during a failover (test/loadgen/cluster.test.ts kills a primary).
    ['Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down', 'clusterdown'],
    ['Too many Cluster redirections. Last error: ReplyError: MOVED 9775 127.0.0.1:31142', 'moved'],
    ['Too many Cluster redirections. Last error: Error: something new', 'other'],
    ['Command timed out', 'timeout'],
    ['Connection is closed.', 'connection'],
    ['NOPERM User loadgen has no permissions to access the \'x\' key', 'noperm'],
  ])('%s is %s', (message, kind) => {
    expect(errorKind(new Error(message))).toBe(kind);
  });
});
