import * as fs from 'fs';
import * as path from 'path';
import { AlarmId, CacheMetric, LoadProfile } from '../../lib';
import { CACHE_METRICS } from '../../lib/catalog/metrics';
import { ALARM_CATALOG } from '../../lib/catalog/alarms';
import { BUILT_IN_WORKLOADS } from '../../lib/catalog/workloads';

/** Every alarm the toolkit creates: the cache alarms, the SLO check's, the semantic cache's and the vector indexes'. */
const ALARMS = ALARM_CATALOG;

const dir = path.join(__dirname, '..', '..', 'runbooks');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');

describe('runbooks', () => {
  test('every catalog alarm has runbooks/<id>.md', () => {
    const missing = ALARMS.filter((a) => !files.includes(`${a.runbook}.md`)).map((a) => a.id);
    expect(missing).toEqual([]);
  });

  test('every runbook belongs to a catalog alarm', () => {
    const orphans = files.filter((f) => !ALARMS.some((a) => `${a.runbook}.md` === f));
    expect(orphans).toEqual([]);
  });

  test('the index lists every alarm with its severity and a link to its runbook', () => {
    const index = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const a of ALARMS) {
      expect(index).toMatch(new RegExp(`^\\| ${a.id} \\| ${a.severity} \\| .* \\| \\[${a.runbook}\\.md\\]\\(${a.runbook}\\.md\\) \\|$`, 'm'));
    }
  });

  test.each(ALARMS.map((a) => [a.id, a.runbook, a.severity]))('%s runbook has the sections an on-call engineer needs', (_id, runbook, severity) => {
    const text = fs.readFileSync(path.join(dir, `${runbook}.md`), 'utf8');
    expect(text.startsWith(`# ${runbook}\n`)).toBe(true);
    // A runbook shared by a warning and its critical tier names both on its severity line.
    expect(text).toMatch(new RegExp(`^\\*\\*Severity:\\*\\* .*\\b${severity}\\b`, 'm'));
    for (const section of ['## What fired', '## Confirm', '## Mitigate', '## Escalate']) expect(text).toContain(section);
    expect(text).toMatch(/```sh\n\s*(#.*\n\s*)?(aws|redis-cli|for) /);
  });
});

describe('the public names of the catalog', () => {
  test('AlarmId names exactly the alarm ids of the catalog, the SLO alarms and the semantic cache\'s', () => {
    const constants = Object.entries(AlarmId).filter(([k]) => /^[A-Z_]+$/.test(k)).map(([, v]) => v as string);
    expect(constants.sort()).toEqual(ALARMS.map((a) => a.id).sort());
  });

  test('CacheMetric names exactly the metrics of the catalog that the toolkit reads', () => {
    const constants = Object.entries(CacheMetric).filter(([k]) => /^[A-Z_]+$/.test(k)).map(([, v]) => v as string);
    expect(constants.sort()).toEqual(CACHE_METRICS.filter((m) => !m.reference).map((m) => m.name).sort());
  });

  test('LoadProfile names exactly the load generator\'s profiles', () => {
    expect(Object.values(LoadProfile).sort()).toEqual(BUILT_IN_WORKLOADS.map((w) => w.name).sort());
  });
});
