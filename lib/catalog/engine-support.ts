/**
 * When ElastiCache's standard support of an engine version ends, and what Extended Support then costs (docs/aws-facts.md,
 * "Engine support lifecycle and the defaults review"). Valkey and Redis OSS 7 have no announced date: they get none
 * here, never an invented one.
 */

/** The day this table was last checked against its source; a test fails when it is more than a year old. */
export const ENGINE_SUPPORT_CHECKED_ON = '2026-12-07';

/** Extended Support premium on the on-demand node rate, in percent: years 1 and 2, then year 3. */
export const EXTENDED_SUPPORT_PREMIUM_PERCENT = { firstTwoYears: 80, thirdYear: 160 } as const;

interface SupportEnd {
  readonly engine: 'redis';
  readonly major: number;
  /** Last day of standard support; Extended Support (billed) starts the day after. */
  readonly standardSupportEnds: string;
  /** Last day of Extended Support: the version's end of life. */
  readonly extendedSupportEnds: string;
}

const SUPPORT_ENDS: readonly SupportEnd[] = [
  { engine: 'redis', major: 4, standardSupportEnds: '2026-01-31', extendedSupportEnds: '2029-01-31' },
  { engine: 'redis', major: 5, standardSupportEnds: '2026-01-31', extendedSupportEnds: '2029-01-31' },
  { engine: 'redis', major: 6, standardSupportEnds: '2027-01-31', extendedSupportEnds: '2030-01-31' },
];

/** The announced end of standard support of an engine version, or undefined when none is announced. */
export function supportEnd(engine: string, version: string): SupportEnd | undefined {
  const major = Number(version.split('.')[0]);
  return SUPPORT_ENDS.find((s) => s.engine === engine && s.major === major);
}

/**
 * What to say at synth about an engine whose standard support ends within a year of `now` (or has ended), or
 * undefined when there is nothing to say.
 */
export function supportWarning(engine: string, version: string, displayName: string, now: Date): string | undefined {
  const end = supportEnd(engine, version);
  if (!end) return undefined;
  const endsAt = Date.parse(`${end.standardSupportEnds}T23:59:59Z`);
  const yearMs = 365 * 24 * 3600 * 1000;
  if (endsAt - now.getTime() > yearMs) return undefined;
  const { firstTwoYears, thirdYear } = EXTENDED_SUPPORT_PREMIUM_PERCENT;
  const when = endsAt < now.getTime() ? `ended on ${end.standardSupportEnds}` : `ends on ${end.standardSupportEnds}`;
  return `${displayName}: ElastiCache standard support ${when}. From the day after, the cache is enrolled in Extended ` +
    `Support, billed at ${firstTwoYears} % above the on-demand node rate in years 1 and 2 and ${thirdYear} % in year 3, ` +
    `until the version's end of life on ${end.extendedSupportEnds}. Upgrade to Valkey (CacheEngine.VALKEY_8: no announced ` +
    'end of support, and a lower node rate) or to Redis OSS 7 ' +
    '(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support-versions.html).';
}
