// Cron expressions in time zones and report schedules under a controllable clock.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { CronError, nextRun, parseCron, previousRun } from '../../../core/report/cron.js';
import { duePeriods, lastCompletePeriod, periodEndingAt } from '../../../core/report/schedule.js';

const next = (expr: string, after: string, tz = 'UTC') =>
  nextRun(parseCron(expr), new Date(after), tz)?.toISOString() ?? null;
const prev = (expr: string, at: string, tz = 'UTC') =>
  previousRun(parseCron(expr), new Date(at), tz)?.toISOString() ?? null;

describe('cron expressions', () => {
  it('parses fields, lists, ranges, steps, names and macros', () => {
    const c = parseCron('*/15 9-17 1,15 jan-mar mon-fri');
    expect(c.minutes).toEqual([0, 15, 30, 45]);
    expect(c.hours).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([...c.days]).toEqual([1, 15]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('5/20 * * * 7').minutes).toEqual([5, 25, 45]);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect(parseCron('@monthly').minutes).toEqual([0]);
  });

  it('reports every bad field in one message', () => {
    expect(() => parseCron('60 24 0 13 8')).toThrow(
      "bad cron '60 24 0 13 8': minute: '60' is not in 0-59; hour: '24' is not in 0-23; day of month: '0' is not in 1-31; month: '13' is not in 1-12 or JAN…DEC; day of week: '8' is not in 0-7 or SUN…SAT",
    );
    expect(() => parseCron('* * *')).toThrow('cron needs 5 fields');
    expect(() => parseCron('5-1 * * * *')).toThrow('runs backwards');
    expect(() => parseCron('*/0 * * * *')).toThrow('step 0 out of range');
    expect(() => parseCron('@reboot')).toThrow(CronError);
    expect(() => parseCron('0 0 30 2 *')).toThrow('never fires');
  });

  it('finds the next and previous firing in UTC', () => {
    expect(next('@monthly', '2025-01-15T10:00:00Z')).toBe('2025-02-01T00:00:00.000Z');
    expect(next('@monthly', '2025-02-01T00:00:00Z')).toBe('2025-03-01T00:00:00.000Z');
    expect(prev('@monthly', '2025-02-01T00:00:00Z')).toBe('2025-02-01T00:00:00.000Z');
    expect(prev('@monthly', '2025-01-31T23:59:59Z')).toBe('2025-01-01T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2025-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('30 6 * * 1', '2025-01-01T00:00:00Z')).toBe('2025-01-06T06:30:00.000Z');
    // Both day fields restricted: either matches (Vixie cron). 2025-01-03 is a Friday.
    expect(next('0 0 13 * 5', '2025-01-01T00:00:00Z')).toBe('2025-01-03T00:00:00.000Z');
  });

  it('reads the cron in the operator time zone, DST gaps skipped and overlaps fired once', () => {
    // Midnight on the 1st in Tokyo is 15:00 UTC the day before.
    expect(next('@monthly', '2025-01-15T00:00:00Z', 'Asia/Tokyo')).toBe('2025-01-31T15:00:00.000Z');
    // 2025-03-09 02:30 does not exist in New York: that day is skipped.
    expect(next('30 2 * * *', '2025-03-08T12:00:00Z', 'America/New_York')).toBe('2025-03-10T06:30:00.000Z');
    // 2025-11-02 01:30 happens twice in New York: the first (EDT, 05:30 UTC) only.
    expect(next('30 1 * * *', '2025-11-01T12:00:00Z', 'America/New_York')).toBe('2025-11-02T05:30:00.000Z');
    expect(next('30 1 * * *', '2025-11-02T05:30:00Z', 'America/New_York')).toBe('2025-11-03T06:30:00.000Z');
    expect(() => next('@daily', '2025-01-01T00:00:00Z', 'Mars/Olympus')).toThrow(
      "unknown time zone 'Mars/Olympus'",
    );
  });
});

describe('report schedules', () => {
  const tokyo = { cron: '@monthly', timeZone: 'Asia/Tokyo' };

  it('labels calendar months and other periods', () => {
    expect(periodEndingAt(tokyo, new Date('2025-01-31T15:00:00Z'))).toEqual({
      start: '2024-12-31T15:00:00.000Z',
      end: '2025-01-31T15:00:00.000Z',
      label: '2025-01',
      timeZone: 'Asia/Tokyo',
    });
    expect(
      lastCompletePeriod({ cron: '0 0 * * 1', timeZone: 'UTC' }, new Date('2025-01-15T00:00:00Z')).label,
    ).toBe('2025-01-06/2025-01-13');
  });

  it('says which periods are due as a controllable clock moves', () => {
    const clock = new ManualClock('2025-01-20T00:00:00Z');
    expect(duePeriods(tokyo, null, clock).map((p) => p.label)).toEqual(['2024-12']);
    const lastEnd = new Date('2024-12-31T15:00:00Z');
    expect(duePeriods(tokyo, lastEnd, clock)).toEqual([]);
    clock.set('2025-01-31T14:59:59Z');
    expect(duePeriods(tokyo, lastEnd, clock)).toEqual([]);
    clock.set('2025-01-31T15:00:00Z');
    expect(duePeriods(tokyo, lastEnd, clock).map((p) => p.label)).toEqual(['2025-01']);
    // After three months of downtime, each missed period is due, oldest first.
    clock.set('2025-04-10T00:00:00Z');
    expect(duePeriods(tokyo, lastEnd, clock).map((p) => p.label)).toEqual(['2025-01', '2025-02', '2025-03']);
  });
});
