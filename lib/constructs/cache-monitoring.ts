import { Construct } from 'constructs';
import { CacheAlarms, CacheAlarmsOptions } from './cache-alarms';
import { ICache } from './cache-base';
import { CacheDashboard, CacheDashboardOptions } from './cache-dashboard';

/** Options of the alarms and the dashboard of a cache. */
export interface CacheMonitoringOptions extends CacheAlarmsOptions, CacheDashboardOptions {
  /**
   * Create a CloudWatch dashboard next to the alarms.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
   */
  readonly dashboard?: boolean;
}

/** The `monitoring` prop of a new cache: on by default, with the options of `CacheMonitoring`. */
export interface CacheMonitoringSettings extends CacheMonitoringOptions {
  /**
   * Create the alarms and the dashboard with the cache. Turn it off to watch the cache in another way, or with
   * `new CacheMonitoring(...)` in another stack.
   * @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly enabled?: boolean;
}

/** Properties of `CacheMonitoring`. */
export interface CacheMonitoringProps extends CacheMonitoringOptions {
  /**
   * The cache to watch.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly cache: ICache;
}

/** The catalog's alarms for a cache and, unless turned off, its dashboard. */
export class CacheMonitoring extends Construct {
  /** The catalog's alarms. */
  public readonly cacheAlarms: CacheAlarms;
  /** The dashboard, unless turned off. */
  public readonly dashboard?: CacheDashboard;

  constructor(scope: Construct, id: string, props: CacheMonitoringProps) {
    super(scope, id);
    this.cacheAlarms = new CacheAlarms(this, 'Alarms', props);
    if (props.dashboard ?? true) {
      this.dashboard = new CacheDashboard(this, 'Dashboard', { ...props, cacheAlarms: this.cacheAlarms });
    }
  }
}
