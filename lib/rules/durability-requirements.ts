import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { durabilityProblem } from '../catalog/durability';
import { ElastiCacheRule, literal, props } from './rule';

export const DurabilityRequirements: ElastiCacheRule = {
  id: 'DurabilityRequirements',
  level: NagMessageLevel.ERROR,
  info: 'Durability (sync or async) is set on a replication group that ElastiCache cannot make durable.',
  explanation: 'Durability needs Valkey 9.0+, node families r8g/r7g/r6g/m8g/m7g/m6g/c8gn/c7gn, cluster mode, Multi-AZ with ' +
    'a replica per shard, TLS at creation, and no data tiering or Global Datastore; otherwise creating the group fails. ' +
    'Source: docs/aws-facts.md "Durability" (ElastiCache guide, Durability Limitations).',
  check: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ElastiCache::ReplicationGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const p = props(node);
    const durability = literal(p.Durability);
    if (durability !== 'sync' && durability !== 'async') return NagRuleCompliance.NOT_APPLICABLE;
    const engine = literal(p.Engine);
    const engineVersion = literal(p.EngineVersion);
    const nodeType = literal(p.CacheNodeType);
    // A value only known at deploy time cannot be judged here.
    if (!engine || !engineVersion || !nodeType) return NagRuleCompliance.NOT_APPLICABLE;
    const groups = typeof p.NumNodeGroups === 'number' ? p.NumNodeGroups : 1;
    const replicas = typeof p.ReplicasPerNodeGroup === 'number' ? p.ReplicasPerNodeGroup
      : typeof p.NumCacheClusters === 'number' ? p.NumCacheClusters - 1 : 0;
    const problem = durabilityProblem({
      engine, engineVersion, nodeType,
      clusterMode: p.ClusterMode === 'enabled' || groups > 1,
      multiAz: p.MultiAZEnabled === true,
      replicasPerShard: replicas,
      transitEncryption: p.TransitEncryptionEnabled === true,
      dataTiering: p.DataTieringEnabled === true,
      globalDatastore: p.GlobalReplicationGroupId !== undefined,
    });
    return problem ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
