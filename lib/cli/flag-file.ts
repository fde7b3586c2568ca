import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../catalog/errors';

/**
 * The text of a file a flag names, or a usage error (exit 2) naming the flag, the path and why it cannot be read: it
 * does not exist, it is a directory, or reading it failed (permissions).
 */
export function readFlagFile(flag: string, file: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(flag, file, `${what}: no such file (looked for ${path.resolve(file)})`);
  }
  if (stat.isDirectory()) throw new UsageError(flag, file, `${what}: this is a directory, not a file`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(flag, file, `${what}: it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
