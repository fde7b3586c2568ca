import { Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { CacheEngine } from './cache-engine';
import { checkEngineVersion } from './engine-version-check';
import type { ServerlessCacheProps, ServerlessUsageLimits } from './serverless-cache';
import { checkInteger, invalid } from './validation';

/** ServerlessCache's props, checked and with their defaults: what the construct builds from. */
export interface SettledServerlessCache {
  readonly engine: CacheEngine;
  /** The usage limits as CloudFormation takes them, when any is set. */
  readonly limits?: elasticache.CfnServerlessCache.CacheUsageLimitsProperty;
  readonly retention: number;
}

/**
 * Every check of ServerlessCache's props, in prop order, each failing with the construct path, the prop, the value and
 * what is allowed (the limits are in docs/aws-facts.md, "Configuration limits").
 */
export function validateServerlessCacheProps(scope: Construct, props: ServerlessCacheProps): SettledServerlessCache {
  const engine = props.engine ?? CacheEngine.VALKEY_8;
  if (!engine.supportsServerless) {
    invalid(scope, 'engine', engine.displayName, 'serverless caches run Valkey 7.2 or later, or Redis OSS 7');
  }
  checkEngineVersion(scope, engine, 'serverless');
  const limits = validateUsageLimits(scope, props.usageLimits ?? {});
  const retention = props.snapshotRetentionDays ?? 7;
  checkInteger(scope, 'snapshotRetentionDays', retention, 0, 35);
  if (props.dailySnapshotTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(props.dailySnapshotTime)) {
    invalid(scope, 'dailySnapshotTime', props.dailySnapshotTime, 'allowed is HH:MM in UTC, for example "03:30"');
  }
  for (const arn of props.snapshotArnsToRestore ?? []) {
    if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:\d{12}:serverlesscachesnapshot:.+$/.test(arn)) {
      invalid(scope, 'snapshotArnsToRestore', arn, 'allowed are serverless cache snapshot ARNs: arn:<partition>:elasticache:<region>:<account>:serverlesscachesnapshot:<name>');
    }
  }
  return { engine, limits, retention };
}

const STORAGE_GB = { min: 1, max: 5000 };
const ECPU = { min: 1000, max: 15_000_000 };

/** The usage limits as CloudFormation takes them: whole GB and ECPU/s within AWS's ranges, minimums below maximums. */
export function validateUsageLimits(scope: Construct | string, limits: ServerlessUsageLimits): elasticache.CfnServerlessCache.CacheUsageLimitsProperty | undefined {
  const gb = (prop: string, size?: Size): number | undefined => {
    if (size === undefined) return undefined;
    const value = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    // The value as given: Size's own conversions throw on NaN or a fraction of a MiB before saying which prop it was.
    if (!Number.isInteger(value)) {
      const given = Number.isFinite(value) ? `${size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB` : `${value} GiB`;
      invalid(scope, prop, given, 'allowed is a whole number of GB (GiB)');
    }
    checkInteger(scope, prop, value, STORAGE_GB.min, STORAGE_GB.max);
    return value;
  };
  const minGb = gb('usageLimits.dataStorageMinimum', limits.dataStorageMinimum);
  const maxGb = gb('usageLimits.dataStorageMaximum', limits.dataStorageMaximum);
  checkInteger(scope, 'usageLimits.ecpuPerSecondMinimum', limits.ecpuPerSecondMinimum, ECPU.min, ECPU.max);
  checkInteger(scope, 'usageLimits.ecpuPerSecondMaximum', limits.ecpuPerSecondMaximum, ECPU.min, ECPU.max);
  if (minGb !== undefined && maxGb !== undefined && minGb > maxGb) {
    invalid(scope, 'usageLimits.dataStorageMinimum', `${minGb} GB`, `must not exceed dataStorageMaximum (${maxGb} GB)`);
  }
  const { ecpuPerSecondMinimum: minEcpu, ecpuPerSecondMaximum: maxEcpu } = limits;
  if (minEcpu !== undefined && maxEcpu !== undefined && minEcpu > maxEcpu) {
    invalid(scope, 'usageLimits.ecpuPerSecondMinimum', minEcpu, `must not exceed ecpuPerSecondMaximum (${maxEcpu})`);
  }
  const dataStorage = minGb !== undefined || maxGb !== undefined ? { unit: 'GB', minimum: minGb, maximum: maxGb } : undefined;
  const ecpuPerSecond = minEcpu !== undefined || maxEcpu !== undefined ? { minimum: minEcpu, maximum: maxEcpu } : undefined;
  return dataStorage || ecpuPerSecond ? { dataStorage, ecpuPerSecond } : undefined;
}
