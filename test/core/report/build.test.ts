// Regulator summary builder: counts, foreign connections, findings over time, coverage, changes, CSV.
import { describe, expect, it } from 'vitest';
import { buildSummary, statusAt } from '../../../core/report/build.js';
import { csvTables } from '../../../core/report/csv.js';
import { summaryProblems } from '../../../core/report/schema.js';
import { sampleInput } from './sample.js';

describe('regulator summary', () => {
  const input = sampleInput();
  const s = buildSummary(input);

  it('conforms to the versioned schema and is deterministic', () => {
    expect(summaryProblems(s)).toEqual([]);
    expect(s.schema).toBe('originmap.summary/1');
    expect(buildSummary(sampleInput())).toEqual(s);
    expect(summaryProblems({ ...s, extra: 1 })).not.toEqual([]);
    expect(summaryProblems({ ...s, schema: 'originmap.summary/2' })[0]).toMatch(/^\/schema: /);
  });

  it('counts devices by class and vendor country, and knows which are foreign', () => {
    const inPeriod = input.devices.filter((d) => d.firstSeen < s.period.end && d.lastSeen >= s.period.start);
    expect(s.devices.total).toBe(inPeriod.length);
    expect(s.devices.byClassCountry.reduce((n, x) => n + x.count, 0)).toBe(inPeriod.length);
    const siemensPlc = inPeriod.filter((d) => d.class === 'plc' && d.vendorCountry === 'DE').length;
    expect(s.devices.byClassCountry.find((x) => x.class === 'plc' && x.vendorCountry === 'DE')?.count).toBe(
      siemensPlc,
    );
    expect(s.devices.byVendorCountry.find((x) => x.country === 'JP')?.foreign).toBe(false);
    expect(s.devices.byVendorCountry.find((x) => x.country === 'DE')?.foreign).toBe(true);
    expect(s.devices.byVendorCountry.find((x) => x.country === null)?.foreign).toBeNull();
    expect(s.sites).toEqual([
      { id: 'osaka-1', name: 'Osaka purification plant', devices: inPeriod.length, agents: 2 },
    ]);
  });

  it('lists watch-listed devices and foreign connections by country and provider kind', () => {
    expect(s.watchlisted.total).toBe(input.devices.filter((d) => d.watchlists.length).length);
    expect(s.watchlisted.devices.every((d) => d.watchlists.length > 0)).toBe(true);
    const foreign = input.connections.filter((c) => c.country && c.country !== 'JP');
    expect(s.foreignConnections.total).toBe(foreign.length);
    expect(s.foreignConnections.byCountry.reduce((n, x) => n + x.connections, 0)).toBe(foreign.length);
    expect(s.foreignConnections.byCountry.some((x) => x.country === 'JP')).toBe(false);
    expect(s.foreignConnections.byProviderKind.reduce((n, x) => n + x.connections, 0)).toBe(foreign.length);
  });

  it('counts findings opened, resolved and waived in the period, and open at its end', () => {
    expect(s.findings.opened).toBe(input.findings.length);
    expect(s.findings.resolved).toBe(1);
    expect(s.findings.waived).toBe(1);
    expect(s.findings.openAtEnd).toBe(input.findings.length - 2);
    expect(s.findings.bySeverity.reduce((n, x) => n + x.open, 0)).toBe(s.findings.openAtEnd);
    expect(statusAt(input.findings[0]!, '2025-01-21T00:00:00Z')).toBe('acknowledged');
    expect(statusAt(input.findings[0]!, s.period.end)).toBe('resolved');
    expect(s.waiversExpiring).toEqual([
      expect.objectContaining({
        finding: input.findings[1]!.id,
        until: '2025-02-15T00:00:00.000Z',
        daysLeft: 14,
        approver: 'plant manager',
      }),
    ]);
  });

  it('reports agent coverage and gaps, or null when made offline', () => {
    expect(s.coverage).toMatchObject({
      agentsTotal: 2,
      agentsReporting: 1,
      gaps: [{ agent: 'agent-osaka-b', site: 'osaka-1', lastSeen: '2025-01-27T03:00:00Z', silentHours: 108 }],
      sitesWithoutReportingAgent: [],
      silenceHours: 1,
      // Period 2024-12-31T15:00Z – 2025-01-31T15:00Z (744 h): a was silent 60 h, b since the 27th.
      silences: [
        {
          agent: 'agent-osaka-a',
          site: 'osaka-1',
          from: '2025-01-10T00:00:00.000Z',
          to: '2025-01-12T12:00:00.000Z',
          hours: 60,
        },
        { agent: 'agent-osaka-b', site: 'osaka-1', from: '2025-01-27T03:00:00.000Z', to: null, hours: 108 },
      ],
    });
    expect(s.coverage!.agents.map((a) => a.uptime)).toEqual([
      Math.round(((744 - 60 - 2 / 60) / 744) * 10_000) / 10_000,
      Math.round(((744 - 108) / 744) * 10_000) / 10_000,
    ]);
    expect(csvTables(s)['agent-silences.csv']).toContain(
      'agent-osaka-b,osaka-1,2025-01-27T03:00:00.000Z,,108',
    );
    expect(buildSummary(sampleInput({ agents: null })).coverage).toBeNull();
  });

  it('compares with the previous period', () => {
    expect(s.changes?.previousPeriod.label).toBe('2024-12');
    expect(s.changes?.devices).toEqual({ previous: input.previous!.devices.total, current: s.devices.total });
    expect(s.changes?.newForeignCountries.length).toBe(s.foreignConnections.byCountry.length);
    expect(buildSummary(sampleInput({ previous: null })).changes).toBeNull();
  });

  it('writes CSV tables that keep wire text as data, never as a formula', () => {
    const evil = sampleInput();
    evil.devices = evil.devices.map((d, i) =>
      i === 0 ? { ...d, watchlists: ['ndaa-889'], model: '=HYPERLINK("http://x","y"), "quoted"' } : d,
    );
    const t = csvTables(buildSummary(evil));
    const line = t['watchlisted-devices.csv']!.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""y""), ""quoted"""`);
    expect(Object.keys(t)).toContain('agents.csv');
    expect(t['devices-by-class-country.csv']!.startsWith('class,vendor_country,count\r\n')).toBe(true);
    expect(csvTables(s, { bom: true })['agents.csv']!.startsWith('\ufeffagent,')).toBe(true);
  });

  it('compares instants as times, not as text (offsets and fractions)', () => {
    const base = sampleInput();
    const at = (t: string) => ({ ...base.devices[0]!, firstSeen: t, lastSeen: t });
    const total = (t: string) => buildSummary({ ...base, devices: [at(t)], connections: [] }).devices.total;
    // 23:00 in Tokyo on Jan 31 is 14:00 UTC, inside a period ending at 15:00 UTC (text order says otherwise).
    expect(total('2025-01-31T23:00:00+09:00')).toBe(1);
    expect(total('2025-02-01T00:00:00+09:00')).toBe(0);
    expect(total('2025-01-31T15:00:00Z')).toBe(0);
    expect(total('2024-12-31T15:00:00Z')).toBe(1);
  });
});
