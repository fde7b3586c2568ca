import * as fs from 'fs';
import * as path from 'path';
import { ALARM_CATALOG } from '../catalog/alarms';
import { UsageError } from '../catalog/errors';

/** Alarm id → runbook id, for every alarm the toolkit creates (a warning and its critical tier share a runbook). */
const RUNBOOK_OF: ReadonlyMap<string, string> = new Map(ALARM_CATALOG.map((a) => [a.id, a.runbook]));

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
      // "warning", or "warning, critical" for a runbook shared by two tiers.
      severity: [...new Set(/^\*\*Severity:\*\* ([^\n]*)/m.exec(text)?.[1].match(/\b(critical|warning)\b/g) ?? [])].join(', '),
    };
  });
}

/** The runbook by its id or by the id of an alarm that links it (`memory-critical` → memory-high.md). */
export function readRunbook(id: string, dir = runbooksDir()): string {
  const known = listRunbooks(dir).map((r) => r.id);
  const runbook = known.includes(id) ? id : RUNBOOK_OF.get(id);
  if (runbook === undefined || !known.includes(runbook)) {
    throw new UsageError('runbook id', id, `known runbooks are ${known.join(', ')} (or the id of an alarm that links one)`);
  }
  return fs.readFileSync(path.join(dir, `${runbook}.md`), 'utf8');
}
