// Report schedules: which reporting periods are due at a given time. A period runs from one firing
// of the operator's cron to the next; the report for it is due once the period has ended.
// Pure over an injected Clock, so tests (and the collector's scheduler) decide what "now" is.
import type { Clock } from '../clock.js';
import { type Cron, CronError, checkTimeZone, nextRun, parseCron, previousRun, wallOf } from './cron.js';

export interface ReportSchedule {
  /** Five-field cron or a macro (@monthly…). */
  cron: string;
  /** IANA zone the cron reads in, e.g. "Asia/Tokyo". */
  timeZone: string;
}

/** Monthly by default: periods are calendar months in the operator's zone. */
export const DEFAULT_SCHEDULE: ReportSchedule = { cron: '@monthly', timeZone: 'UTC' };

export interface Period {
  /** ISO instants; start inclusive, end exclusive. */
  start: string;
  end: string;
  /** "2025-01" for a calendar month in the zone, else "2025-01-06/2025-01-13" (zone dates). */
  label: string;
  timeZone: string;
}

/** Longest catch-up after downtime: older periods are not produced automatically. */
export const MAX_CATCH_UP = 12;

export function checkSchedule(schedule: ReportSchedule): Cron {
  checkTimeZone(schedule.timeZone);
  return parseCron(schedule.cron);
}

/** The period that ends at `end` (a firing time): it starts at the firing before. */
export function periodEndingAt(schedule: ReportSchedule, end: Date): Period {
  const cron = checkSchedule(schedule);
  const start = previousRun(cron, new Date(end.getTime() - 1), schedule.timeZone);
  if (!start) throw new CronError(`cron '${schedule.cron}' has no firing before ${end.toISOString()}`);
  return makePeriod(start, end, schedule.timeZone);
}

/** The last complete period at `now` (for a report made by hand: "last month"). */
export function lastCompletePeriod(schedule: ReportSchedule, now: Date): Period {
  const cron = checkSchedule(schedule);
  const end = previousRun(cron, now, schedule.timeZone);
  if (!end) throw new CronError(`cron '${schedule.cron}' has not fired before ${now.toISOString()}`);
  return periodEndingAt(schedule, end);
}

/**
 * Periods whose reports are due now and not yet made, oldest first. `lastEnd` is the end of the
 * last period reported (null: never reported, so only the latest complete period is due).
 */
export function duePeriods(schedule: ReportSchedule, lastEnd: Date | null, clock: Clock): Period[] {
  const cron = checkSchedule(schedule);
  const now = clock.now();
  if (lastEnd === null) {
    const end = previousRun(cron, now, schedule.timeZone);
    return end ? [periodEndingAt(schedule, end)] : [];
  }
  const out: Period[] = [];
  let start = lastEnd;
  for (;;) {
    const end = nextRun(cron, start, schedule.timeZone);
    if (!end || end.getTime() > now.getTime()) break;
    out.push(makePeriod(start, end, schedule.timeZone));
    start = end;
  }
  return out.slice(-MAX_CATCH_UP);
}

function makePeriod(start: Date, end: Date, timeZone: string): Period {
  const ws = new Date(wallOf(start.getTime(), timeZone));
  const we = new Date(wallOf(end.getTime(), timeZone));
  const ymd = (d: Date) => d.toISOString().slice(0, 10);
  const midnight = (d: Date) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  const month =
    midnight(ws) &&
    midnight(we) &&
    ws.getUTCDate() === 1 &&
    we.getUTCDate() === 1 &&
    we.getUTCFullYear() * 12 + we.getUTCMonth() - (ws.getUTCFullYear() * 12 + ws.getUTCMonth()) === 1;
  return {
    start: start.toISOString(),
    end: end.toISOString(),
    label: month ? ymd(ws).slice(0, 7) : `${ymd(ws)}/${ymd(we)}`,
    timeZone,
  };
}
