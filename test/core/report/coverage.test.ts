// Agent coverage from activity spans: uptime over the period (from set-up), silences inside it,
// clipping at both ends, overlapping and unsorted spans, and no history at all.
import { describe, expect, it } from 'vitest';
import { activityIn, coverage } from '../../../core/report/coverage.js';

const period = { start: '2025-01-01T00:00:00.000Z', end: '2025-01-02T00:00:00.000Z' };
const full = { ...period, label: '2025-01-01/2025-01-02', timeZone: 'UTC' };
const at = (h: number, m = 0) => new Date(Date.UTC(2025, 0, 1, h, m)).toISOString();

describe('agent coverage', () => {
  it('measures uptime and the silences between activity spans, clipped to the period', () => {
    const r = activityIn(
      {
        activity: [
          { from: '2024-12-31T20:00:00.000Z', to: at(6) },
          { from: at(10), to: at(12) },
          { from: at(11), to: at(13) }, // overlaps the one before
          { from: at(8), to: at(9) }, // out of order
        ],
      },
      period,
    );
    expect(r.uptime).toBe(Math.round((10 / 24) * 10_000) / 10_000);
    expect(
      r.silences.map(([a, b]) => [new Date(a).toISOString(), b === null ? null : new Date(b).toISOString()]),
    ).toEqual([
      [at(6), at(8)],
      [at(9), at(10)],
      [at(13), null],
    ]);
  });

  it('counts only from the set-up, and has no uptime for an agent set up after the period', () => {
    expect(activityIn({ since: at(12), activity: [{ from: at(12), to: at(18) }] }, period).uptime).toBe(0.5);
    expect(activityIn({ since: '2025-02-01T00:00:00Z', activity: [] }, period)).toEqual({
      uptime: null,
      silences: [],
    });
    expect(activityIn({ activity: [] }, period)).toEqual({
      uptime: 0,
      silences: [[Date.parse(period.start), null]],
    });
  });

  it('lists silences from silenceHours on, and leaves uptime null without a history', () => {
    const c = coverage(
      [
        {
          id: 'b',
          site: 's1',
          lastSeen: at(23, 30),
          activity: [
            { from: at(0), to: at(5) },
            { from: at(5, 30), to: at(23, 30) },
          ],
        },
        { id: 'a', site: 's1', lastSeen: at(3), activity: [{ from: at(0), to: at(3) }] },
        { id: 'c', site: 's2', lastSeen: null },
      ],
      [{ id: 's1' }, { id: 's2' }],
      full,
      { windowHours: 2, silenceHours: 1 },
    );
    expect(c.agents.map((a) => [a.id, a.reporting, a.uptime])).toEqual([
      ['a', false, 0.125],
      ['b', true, Math.round((23 / 24) * 10_000) / 10_000],
      ['c', false, null],
    ]);
    // b's half hour at 05:00 is below the threshold; a has been silent since 03:00.
    expect(c.silences).toEqual([{ agent: 'a', site: 's1', from: at(3), to: null, hours: 21 }]);
    expect(c.sitesWithoutReportingAgent).toEqual(['s2']);
    expect(c.silenceHours).toBe(1);
  });
});
