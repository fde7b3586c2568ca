import * as fs from 'fs';
import * as path from 'path';
import { ConnectionContract, parseContract } from '../catalog/connection';
import { UsageError } from '../catalog/errors';
import { awsClientConfig, AwsOptions } from '../ops/aws';
import { readFlagFile } from './flag-file';

/**
 * A contract named by `--contract`: a local JSON file (the contract itself, or `aws ssm get-parameter` output with the
 * document in `Parameter.Value`), or an SSM parameter name, read as `aws` says (`--region`, `--profile`) or through
 * the standard credential chain.
 */
export async function contractFrom(value: string, aws?: AwsOptions): Promise<ConnectionContract> {
  // A path (it exists, ends in .json, or its folder exists) is read as a file; anything else that starts with "/" is
  // an SSM parameter name such as /ectk/<cache>/connection.
  const looksLikeFile = fs.existsSync(value) || value.endsWith('.json') || (value.includes('/') && fs.existsSync(path.dirname(value)) && path.dirname(value) !== '/');
  if (looksLikeFile) {
    const text = readFlagFile('--contract', value, 'a JSON file: the connection contract, or what `aws ssm get-parameter` prints for it');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new UsageError('--contract', value, 'a JSON file: the connection contract, or what `aws ssm get-parameter` prints for it');
    }
    const printed = (doc as { Parameter?: { Value?: unknown } } | null)?.Parameter?.Value;
    return parseContract(typeof printed === 'string' ? printed : doc, `--contract ${value}`);
  }
  if (!value.startsWith('/')) throw new UsageError('--contract', value, 'a JSON file that exists, or an SSM parameter name such as /ectk/<cache>/connection');
  // Loaded only now: the SSM client is not needed for anything else.
  const { loadContract } = await import('../client/contract-source');
  const { SSMClient } = await import('@aws-sdk/client-ssm');
  return loadContract({ parameterName: value }, () => new SSMClient(awsClientConfig(aws)));
}
