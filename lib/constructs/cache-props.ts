import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { CacheMonitoringSettings } from './cache-monitoring';
import { TtlPolicy } from './ttl-policy';

/** Properties both cache flavours share: network, encryption, backups, TTL policy and monitoring. */
export interface CacheCommonProps {
  /**
   * Description.
   * @default - none for serverless caches; "<id> (managed by cdk-elasticache-toolkit)" for node-based ones
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly description?: string;
  /**
   * VPC of the cache.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/WhatIs.corecomponents.html
   */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cache's endpoints or nodes. Node-based caches: their subnet group is updated in place (subnets that
   * hold nodes cannot be removed). Serverless caches: the subnets are
   * **create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - the VPC's private subnets, or its isolated subnets when it has no private ones
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-serverlesscache.html
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups.
   * @default - a new security group with no ingress; open it with `cache.connections.allowDefaultPortFrom(...)`
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Customer managed KMS key for encryption at rest (always on).
   * **Create-only**: changing it replaces the cache, and CloudFormation cannot replace a cache with a fixed name, so the
   * update fails. To change it, create a second cache with a new name, move clients to it, then delete this one.
   * @default - an AWS owned key
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Days to keep automatic snapshots, 0-35 (0 turns them off).
   * @default 7
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups.html
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Take a final snapshot when the cache is deleted (serverless: named `<cache name>-final-<stack id suffix>`, unique
   * per stack so that a re-created stack can be deleted again; node-based: CloudFormation DeletionPolicy Snapshot).
   * @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteServerlessCache.html
   */
  readonly finalSnapshot?: boolean;
  /**
   * TTL policy handed to every bound client.
   * @default - none
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-memory-management.html
   */
  readonly ttlPolicy?: TtlPolicy;
  /**
   * The catalog's alarms (with runbook links and SNS actions) and a dashboard, created with the cache. On unless
   * `enabled: false`; give options (`alarmTopic`, `overrides`, `runbookBaseUrl`, ...) to change them.
   * @default - on: every catalog alarm that applies to the cache, a new encrypted alarm topic, and a dashboard
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly monitoring?: CacheMonitoringSettings;
}
