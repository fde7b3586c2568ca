/**
 * The client side of `cache.bind()`: `import { connect } from 'cdk-elasticache-toolkit-runtime/client'`.
 * Never imports aws-cdk-lib.
 */
export { connect, ConnectOptions, CacheConnection, backoffMs, IAM_CONNECTION_LIMIT_MS } from './connect';
export { ContractSource, contractParameterName, loadContract } from './contract-source';
export { TtlWriter, TtlWriteOptions, TtlPolicyError } from './ttl-writer';
export { ConnectionContract, CacheUserSpec, TtlPolicySpec, CONTRACT_ENV, CONTRACT_VERSION, parseContract } from '../catalog/connection';
