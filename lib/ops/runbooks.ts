import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../catalog/errors';

export interface RunbookEntry { readonly id: string; readonly title: string; readonly severity: string }

/** The runbooks folder of the package (`runbooks/` next to package.json). */
export function runbooksDir(start = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'runbooks', 'README.md'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no runbooks folder above ${start}`);
    dir = parent;
  }
  return path.join(dir, 'runbooks');
}

export function listRunbooks(dir = runbooksDir()): RunbookEntry[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort().map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    return {
      id: f.replace(/\.md$/, ''),
      title: /^## What fired\n([^\n]+)/m.exec(text)?.[1] ?? '',
      severity: /\*\*Severity:\*\* (\w+)/.exec(text)?.[1] ?? '',
    };
  });
}

export function readRunbook(id: string, dir = runbooksDir()): string {
  const known = listRunbooks(dir).map((r) => r.id);
  if (!known.includes(id)) throw new UsageError('runbook id', id, `known runbooks are ${known.join(', ')}`);
  return fs.readFileSync(path.join(dir, `${id}.md`), 'utf8');
}
