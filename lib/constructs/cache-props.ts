import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { CacheMonitoringOptions } from './cache-monitoring';
import { TtlPolicy } from './ttl-policy';

/** Properties both cache flavours share: network, encryption, backups, TTL policy and monitoring. */
export interface CacheCommonProps {
  /**
   * Description.
   * @default - none for serverless caches; "<id> (managed by cdk-elasticache-toolkit)" for node-based ones
   */
  readonly description?: string;
  /** VPC of the cache. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cache's endpoints or nodes.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups.
   * @default - a new security group with no ingress; open it with `cache.connections.allowDefaultPortFrom(...)`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Customer managed KMS key for encryption at rest (always on).
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;
  /**
   * Days to keep automatic snapshots, 0-35 (0 turns them off).
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Take a final snapshot when the cache is deleted (serverless: named `<cache name>-final`; node-based:
   * CloudFormation DeletionPolicy Snapshot).
   * @default true
   */
  readonly finalSnapshot?: boolean;
  /**
   * TTL policy handed to every bound client.
   * @default - none
   */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * Alarms from the catalog (with runbook links and SNS actions) and a dashboard, created with the cache.
   * Pass `{}` for the defaults.
   * @default - no alarms; add them later with `new CacheMonitoring(...)` or `new CacheAlarms(...)`
   */
  readonly monitoring?: CacheMonitoringOptions;
}
