// Five-field cron expressions (minute hour day-of-month month day-of-week, as in Vixie cron and
// POSIX crontab) and the next/previous time they fire in an IANA time zone. Pure: time comes in.
// Day-of-month and day-of-week combine as in Vixie cron: when both are restricted, either matches.
// Wall-clock times that a DST change skips do not fire; times it repeats fire once, the first time.

export class CronError extends Error {
  override readonly name = 'CronError';
}

export interface Cron {
  readonly text: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  // 7 is Sunday too, as in Vixie cron.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

export function parseCron(input: string): Cron {
  const text = input.trim();
  if (text.length > 200) throw new CronError('cron expression longer than 200 characters');
  const expanded = MACROS[text.toLowerCase()] ?? text;
  if (expanded.startsWith('@'))
    throw new CronError(`unknown cron macro '${text}' (known: ${Object.keys(MACROS).join(', ')})`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(
      `cron needs 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in '${text}'`,
    );
  const errors: string[] = [];
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!, errors));
  if (errors.length) throw new CronError(`bad cron '${text}': ${errors.join('; ')}`);
  const weekdays = new Set([...sets[4]!].map((d) => d % 7));
  const cron: Cron = {
    text,
    minutes: [...sets[0]!].sort((a, b) => a - b),
    hours: [...sets[1]!].sort((a, b) => a - b),
    days: sets[2]!,
    months: sets[3]!,
    weekdays,
    anyDay: parts[2]!.startsWith('*'),
    anyWeekday: parts[4]!.startsWith('*'),
  };
  // Day 31 in April only, February 30…: refuse rather than never report.
  if (
    !cron.anyDay &&
    cron.anyWeekday &&
    ![...cron.months].some((m) => [...cron.days].some((d) => d <= MONTH_DAYS[m - 1]!))
  )
    throw new CronError(`cron '${text}' never fires (no selected month has the selected days)`);
  return cron;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseField(text: string, def: FieldDef, errors: string[]): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) {
      errors.push(`${def.name}: cannot read '${item}'`);
      continue;
    }
    const [, range, stepText] = m;
    let lo = def.min;
    let hi = def.max;
    if (range !== '*') {
      const [a, b] = range!.split('-');
      const from = value(a!, def, errors);
      const to = b === undefined ? (stepText ? def.max : from) : value(b, def, errors);
      if (from === null || to === null) continue;
      if (from > to) {
        errors.push(`${def.name}: range ${range} runs backwards`);
        continue;
      }
      lo = from;
      hi = to;
    }
    const step = stepText ? Number(stepText) : 1;
    if (step < 1 || step > def.max - def.min + 1) {
      errors.push(`${def.name}: step ${stepText} out of range`);
      continue;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, def: FieldDef, errors: string[]): number | null {
  const named = def.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (def.namesFrom ?? 0);
  if (!/^\d{1,2}$/.test(text) || Number(text) < def.min || Number(text) > def.max) {
    errors.push(
      `${def.name}: '${text}' is not in ${def.min}-${def.max}${def.names ? ` or ${def.names[0]}…${def.names.at(-1)}` : ''}`,
    );
    return null;
  }
  return Number(text);
}

// ---- wall clock in a time zone ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new CronError(`unknown time zone '${timeZone}'`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Checks an IANA zone name ("Asia/Tokyo", "UTC"); throws CronError when the runtime does not know it. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The wall-clock time of an instant in a zone, as if it were UTC (ms, whole seconds). */
export function wallOf(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return ms - (((ms % 1000) + 1000) % 1000);
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The instants whose wall-clock time is `wall` (none in a DST gap, two in a DST overlap), ascending. */
export function instantsOf(wall: number, timeZone: string): number[] {
  if (timeZone === 'UTC') return [wall];
  const offsets = new Set([-86_400_000, 0, 86_400_000].map((d) => wallOf(wall + d, timeZone) - (wall + d)));
  return [...offsets]
    .map((o) => wall - o)
    .filter((t) => wallOf(t, timeZone) === wall)
    .sort((a, b) => a - b);
}

function dayMatches(cron: Cron, y: number, m: number, d: number): boolean {
  if (!cron.months.has(m)) return false;
  const dom = cron.days.has(d);
  const dow = cron.weekdays.has(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  if (cron.anyDay && cron.anyWeekday) return true;
  if (cron.anyDay) return dow;
  if (cron.anyWeekday) return dom;
  return dom || dow;
}

/** Enough days to reach any Feb 29 that a weekday restriction allows (28-year calendar cycle). */
const SEARCH_DAYS = 366 * 29;

/** The first time strictly after `after` at which the cron fires, or null if it never does. */
export function nextRun(cron: Cron, after: Date, timeZone = 'UTC'): Date | null {
  const t = after.getTime();
  const start = wallOf(t, timeZone);
  const day0 =
    Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), new Date(start).getUTCDate()) -
    86_400_000;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = new Date(day0 + i * 86_400_000);
    if (!dayMatches(cron, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate())) continue;
    for (const h of cron.hours)
      for (const m of cron.minutes) {
        const wall = day.getTime() + h * 3_600_000 + m * 60_000;
        if (wall < start - 86_400_000) continue;
        const first = instantsOf(wall, timeZone)[0];
        if (first !== undefined && first > t) return new Date(first);
      }
  }
  return null;
}

/** The last time at or before `atOrBefore` at which the cron fired, or null if none in 29 years. */
export function previousRun(cron: Cron, atOrBefore: Date, timeZone = 'UTC'): Date | null {
  const t = atOrBefore.getTime();
  const start = wallOf(t, timeZone);
  const day0 =
    Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), new Date(start).getUTCDate()) +
    86_400_000;
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = new Date(day0 - i * 86_400_000);
    if (!dayMatches(cron, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate())) continue;
    for (let hi = cron.hours.length - 1; hi >= 0; hi--)
      for (let mi = cron.minutes.length - 1; mi >= 0; mi--) {
        const wall = day.getTime() + cron.hours[hi]! * 3_600_000 + cron.minutes[mi]! * 60_000;
        if (wall > start + 86_400_000) continue;
        const first = instantsOf(wall, timeZone)[0];
        if (first !== undefined && first <= t) return new Date(first);
      }
  }
  return null;
}
