/**
 * The client side of `cache.bind()`: `import { connect } from 'cdk-elasticache-toolkit-runtime/client'`.
 * Never imports aws-cdk-lib.
 */
export { connect, ConnectOptions, CacheConnection, backoffMs, pickUser, IAM_CONNECTION_LIMIT_MS } from './connect';
export { ContractSource, loadContract } from './contract-source';
export { CredentialOptions } from './passwords';
export { CacheConnectError } from './connect-failure';
export { SEMANTIC_NAMESPACE } from '../catalog/semantic';
export { SemanticCache, SemanticCacheOptions, SemanticLookup, SemanticMetricsOptions, SemanticStats } from './semantic/semantic-cache';
export { BucketedIndex, BucketedIndexOptions } from './semantic/bucketed-index';
export { VectorSearchIndex, VectorSearchIndexOptions } from './semantic/vector-search-index';
export { SemanticIndex, SemanticMatch } from './semantic/semantic-index';
export { ReadOnlyCacheError, TtlWriter, TtlWriteOptions, TtlPolicyError } from './ttl-writer';
export { UnreachableError, UsageError } from '../catalog/errors';
export { ConnectionContract, CacheUserSpec, contractParameterName, TtlPolicySpec, CONTRACT_ENV, CONTRACT_VERSION, parseContract } from '../catalog/connection';
