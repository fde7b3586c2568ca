import { IConstruct } from 'constructs';
import { invalid } from './validation';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** ElastiCache's minimum length for both the snapshot and the maintenance window. */
const MIN_WINDOW_MINUTES = 60;

/** A window as [start, end) minutes on a circle of the given length (a day or a week). */
interface Window { readonly start: number; readonly end: number; readonly circle: number }

function clock(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function length(w: Window): number {
  return (w.end - w.start + w.circle) % w.circle;
}

/** Parses `hh24:mi-hh24:mi` (UTC), at least 60 minutes long. */
export function parseSnapshotWindow(scope: IConstruct, prop: string, text: string): Window {
  const [from, to, extra] = text.split('-');
  const start = clock(from ?? '');
  const end = clock(to ?? '');
  if (start === undefined || end === undefined || extra !== undefined) {
    invalid(scope, prop, text, 'allowed is hh24:mi-hh24:mi in UTC, for example "03:00-04:00"');
  }
  const window = { start, end, circle: DAY_MINUTES };
  if (length(window) < MIN_WINDOW_MINUTES) invalid(scope, prop, text, 'the window must be at least 60 minutes long');
  return window;
}

/** Parses `ddd:hh24:mi-ddd:hh24:mi` (UTC), at least 60 minutes long. */
export function parseMaintenanceWindow(scope: IConstruct, prop: string, text: string): Window {
  const m = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(text.toLowerCase());
  const startDay = m ? DAYS.indexOf(m[1]) : -1;
  const endDay = m ? DAYS.indexOf(m[3]) : -1;
  const startClock = m ? clock(m[2]) : undefined;
  const endClock = m ? clock(m[4]) : undefined;
  if (startDay < 0 || endDay < 0 || startClock === undefined || endClock === undefined) {
    invalid(scope, prop, text, 'allowed is ddd:hh24:mi-ddd:hh24:mi in UTC with days sun..sat, for example "sun:05:00-sun:06:00"');
  }
  const window = { start: startDay * DAY_MINUTES + startClock, end: endDay * DAY_MINUTES + endClock, circle: WEEK_MINUTES };
  if (length(window) < MIN_WINDOW_MINUTES) invalid(scope, prop, text, 'the window must be at least 60 minutes long');
  return window;
}

/** Splits a window into non-wrapping week intervals; a daily window repeats on each of the 7 days. */
function weekIntervals(w: Window): Array<[number, number]> {
  const repeats = w.circle === DAY_MINUTES ? 7 : 1;
  const out: Array<[number, number]> = [];
  for (let day = 0; day < repeats; day++) {
    const start = w.start + day * w.circle;
    const end = start + length(w);
    if (end <= WEEK_MINUTES) out.push([start, end]);
    else out.push([start, WEEK_MINUTES], [0, end - WEEK_MINUTES]);
  }
  return out;
}

/** True when the daily snapshot window and the weekly maintenance window share any minute. */
export function windowsOverlap(snapshot: Window, maintenance: Window): boolean {
  const a = weekIntervals(snapshot);
  const b = weekIntervals(maintenance);
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
