import * as fs from 'fs';
import { ConnectionContract, parseContract } from '../catalog/connection';
import { UsageError } from '../catalog/errors';

/**
 * A contract named by `--contract`: a local JSON file (the contract itself, or `aws ssm get-parameter` output with the
 * document in `Parameter.Value`), or an SSM parameter name, read through the standard credential chain.
 */
export async function contractFrom(value: string): Promise<ConnectionContract> {
  if (fs.existsSync(value)) {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(value, 'utf8'));
    } catch {
      throw new UsageError('--contract', value, 'a JSON file: the connection contract, or what `aws ssm get-parameter` prints for it');
    }
    const printed = (doc as { Parameter?: { Value?: unknown } } | null)?.Parameter?.Value;
    return parseContract(typeof printed === 'string' ? printed : doc, `--contract ${value}`);
  }
  if (!value.startsWith('/')) throw new UsageError('--contract', value, 'a JSON file that exists, or an SSM parameter name such as /ectk/<cache>/connection');
  // Loaded only now: the SSM client is not needed for anything else.
  const { loadContract } = await import('../client/contract-source');
  return loadContract({ parameterName: value });
}
