import { Construct } from 'constructs';
import { CacheAlarms, CacheAlarmsOptions } from './cache-alarms';
import { ICache } from './cache-base';
import { CacheDashboard, CacheDashboardOptions } from './cache-dashboard';

/** Alarms and a dashboard for a cache, as set from the cache's own `monitoring` prop. */
export interface CacheMonitoringOptions extends CacheAlarmsOptions, CacheDashboardOptions {
  /**
   * Create a CloudWatch dashboard next to the alarms.
   * @default true
   */
  readonly dashboard?: boolean;
}

/** Properties of `CacheMonitoring`. */
export interface CacheMonitoringProps extends CacheMonitoringOptions {
  /** The cache to watch. */
  readonly cache: ICache;
}

/** The catalog's alarms for a cache and, unless turned off, its dashboard. */
export class CacheMonitoring extends Construct {
  /** The alarms. */
  public readonly alarms: CacheAlarms;
  /** The dashboard, unless turned off. */
  public readonly dashboard?: CacheDashboard;

  constructor(scope: Construct, id: string, props: CacheMonitoringProps) {
    super(scope, id);
    this.alarms = new CacheAlarms(this, 'Alarms', props);
    if (props.dashboard ?? true) {
      this.dashboard = new CacheDashboard(this, 'Dashboard', { ...props, alarms: this.alarms });
    }
  }
}
