// A month of a generated water plant, its jp-espa findings with a realistic triage history, two
// agents (one silent) and the previous month's summary: the input every report test starts from.
import { evaluate } from '../../../core/policy/evaluate.js';
import { applyAction, type TrackedFinding, track } from '../../../core/policy/lifecycle.js';
import { loadPolicy } from '../../../core/policy/packs.js';
import { buildSummary, type SummaryInput } from '../../../core/report/build.js';
import { periodEndingAt } from '../../../core/report/schedule.js';
import { generateInventory } from '../../../scripts/lib/inventory-gen.js';

export const TOKYO_MONTHLY = { cron: '@monthly', timeZone: 'Asia/Tokyo' };

export function sampleInput(over: Partial<SummaryInput> = {}): SummaryInput {
  const inv = generateInventory({ seed: 7, devices: 40, start: '2024-12-31T15:00:00Z', days: 31 });
  const policy = loadPolicy('jp-espa,ot-baseline');
  const period = periodEndingAt(TOKYO_MONTHLY, new Date('2025-01-31T15:00:00Z'));
  let findings: TrackedFinding[] = evaluate(policy, {
    devices: inv.devices,
    connections: inv.connections,
  }).map((f) => track(f, new Date(f.firstSeen)));
  // Triage: one acknowledged then resolved, one waived until mid-February, one waived long ago and expiring.
  findings = findings.map((f, i) => {
    if (i === 0) {
      const a = applyAction(f, { type: 'acknowledge', by: 'aiko' }, new Date('2025-01-20T01:00:00Z'));
      return applyAction(
        a,
        { type: 'resolve', by: 'ken', note: 'replaced' },
        new Date('2025-01-25T01:00:00Z'),
      );
    }
    if (i === 1)
      return applyAction(
        f,
        {
          type: 'waive',
          by: 'aiko',
          reason: 'vendor support contract under review',
          approver: 'plant manager',
          until: '2025-02-15T00:00:00Z',
        },
        new Date('2025-01-22T00:00:00Z'),
      );
    return f;
  });
  const previous = buildSummary({
    ...base(),
    period: periodEndingAt(TOKYO_MONTHLY, new Date('2024-12-31T15:00:00Z')),
    devices: generateInventory({ seed: 3, devices: 30, start: '2024-11-30T15:00:00Z', days: 31 }).devices,
    connections: [],
    findings: [],
    previous: null,
  });
  return {
    ...base(),
    period,
    devices: inv.devices,
    connections: inv.connections,
    findings,
    previous,
    ...over,
  };

  function base(): Omit<SummaryInput, 'period' | 'devices' | 'connections' | 'findings' | 'previous'> {
    return {
      operator: { id: 'kansai-water', name: 'Kansai Water Works', sector: 'water', homeCountry: 'JP' },
      generatedAt: new Date('2025-01-31T15:05:00Z'),
      generatorVersion: '0.1.0',
      policy: policy.sources,
      sites: [{ id: 'osaka-1', name: 'Osaka purification plant' }],
      agents: [
        {
          id: 'agent-osaka-a',
          site: 'osaka-1',
          lastSeen: '2025-01-31T14:58:00Z',
          // Down for two and a half days mid-month.
          activity: [
            { from: '2024-12-20T00:00:00Z', to: '2025-01-10T00:00:00Z' },
            { from: '2025-01-12T12:00:00Z', to: '2025-01-31T14:58:00Z' },
          ],
        },
        {
          id: 'agent-osaka-b',
          site: 'osaka-1',
          lastSeen: '2025-01-27T03:00:00Z',
          activity: [{ from: '2024-12-20T00:00:00Z', to: '2025-01-27T03:00:00Z' }],
        },
      ],
    };
  }
}

export const SCRIPT = '<script>alert(1)</script>';

/** A summary whose wire text (banner-derived model, vendor, message, names, site) carries markup. */
export function hostileSummary() {
  const input = sampleInput();
  input.devices = input.devices.map((d, i) =>
    i === 0
      ? {
          ...d,
          watchlists: ['ndaa-889'],
          vendor: `Evil"><img src=x onerror=alert(2)>`,
          model: `Apache ${SCRIPT}`,
        }
      : d,
  );
  input.connections = input.connections.map((c, i) =>
    i === 0 ? { ...c, country: 'CN', names: [`${SCRIPT}.example`], asOrg: `</td>${SCRIPT}` } : c,
  );
  input.findings = input.findings.map((f, i) => (i === 3 ? { ...f, message: `banner ${SCRIPT}` } : f));
  input.operator = { ...input.operator, name: `Kansai ${SCRIPT} Water` };
  return buildSummary(input);
}
