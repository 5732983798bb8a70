// What one operator's summary for one period is built from, read from the store: its sites, its
// agents with their activity in the period, the devices and connections seen in it, and every
// finding with its whole history (the summary replays them to count the period's changes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import type { SummaryInput } from '../../core/report/build.js';
import type { Period } from '../../core/report/schedule.js';
import type { PolicyService } from '../findings/policy-service.js';
import type { ActivityRepo } from '../repos/activity-repo.js';
import type { FindingRepo } from '../repos/finding-repo.js';
import type { RecordRepo } from '../repos/record-repo.js';
import type { TenancyRepo } from '../repos/tenancy-repo.js';

export type Gathered = Omit<SummaryInput, 'period' | 'generatedAt' | 'previous'>;

export interface GatherDeps {
  tenancy: TenancyRepo;
  policies: PolicyService;
  records: RecordRepo;
  findings: FindingRepo;
  activity: ActivityRepo;
}

let version: string | undefined;

function generatorVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

export function gatherSummary(d: GatherDeps, operatorId: number, period: Period): Gathered {
  const op = d.tenancy.operator(operatorId);
  if (!op) throw new Error(`operator ${operatorId} does not exist`);
  const eff = d.policies.effective(operatorId);
  const config = d.policies.config(operatorId, op.country);
  // What did not exist yet during the period is not part of its report.
  const sites = d.tenancy.sites(operatorId).filter((s) => s.createdAt < period.end);
  // Sites appear under their names (unique within an operator): what a regulator reads.
  const siteName = new Map(d.tenancy.sites(operatorId).map((s) => [s.id, s.name]));
  const siteOf = (id: number) => siteName.get(id) ?? String(id);
  const agents = d.tenancy
    .agents({ operatorId })
    .filter((a) => a.createdAt < period.end)
    .map((a) => {
      const activity = d.activity.spans(a.id, period.start, period.end);
      // Agents heard from before activity was recorded (an older collector): their last heartbeat.
      const recorded = d.activity.lastSeenBefore(a.id, period.end);
      const legacy = a.lastSeenAt !== null && a.lastSeenAt < period.end ? a.lastSeenAt : null;
      return {
        id: a.name,
        site: siteOf(a.siteId),
        lastSeen: recorded ?? legacy,
        since: a.createdAt,
        activity,
      };
    });
  return {
    operator: {
      id: String(op.id),
      name: op.name,
      sector: op.sector,
      homeCountry: eff?.ok ? eff.homeCountry : (config.homeCountry ?? op.country),
    },
    generatorVersion: generatorVersion(),
    policy: eff?.ok ? eff.policy.sources : config.packs,
    sites: sites.map((s) => ({ id: s.name, name: s.name })),
    agents,
    devices: d.records
      .devicesInPeriod(operatorId, period.start, period.end)
      .map((x) => ({ ...x.record, site: siteOf(x.siteId) })),
    connections: d.records.connectionsInPeriod(operatorId, period.start, period.end),
    findings: d.findings.withHistory(operatorId),
  };
}
