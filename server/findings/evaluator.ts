// Evaluation in the collector: an operator's policy over some devices of one site (the devices of
// a batch, on ingest; a chunk of the site, in a full pass) against what is stored, reconciled with
// the findings already stored for those devices and written back. Runs inside the caller's
// transaction, so findings always match the inventory they were decided from.
import type { DeviceRecord, Finding } from '../../core/inventory.js';
import { evaluate } from '../../core/policy/evaluate.js';
import { OtSegments } from '../../core/policy/facts.js';
import { type Reconciled, reconcile, type TrackedFinding } from '../../core/policy/lifecycle.js';
import type { Policy } from '../../core/policy/types.js';
import type { Metrics } from '../metrics.js';
import type { FindingPlace, FindingRepo, StoredFinding } from '../repos/finding-repo.js';
import type { RecordRepo } from '../repos/record-repo.js';
import type { TenancyRepo } from '../repos/tenancy-repo.js';
import type { EffectivePolicy, PolicyService } from './policy-service.js';

export interface SiteRef {
  operatorId: number;
  siteId: number;
}

/** A device to evaluate: its row id and record; `isNew` devices have no stored findings yet. */
export interface EvaluatedDevice {
  deviceId: number;
  record: DeviceRecord;
  isNew: boolean;
}

export interface Outcome {
  evaluated: number;
  opened: number;
  reopened: number;
  resolved: number;
  /** Set when the operator's stored policy does not load: nothing was evaluated. */
  skipped?: 'no policy' | 'policy invalid';
}

const NONE: Outcome = { evaluated: 0, opened: 0, reopened: 0, resolved: 0 };

export class FindingEvaluator {
  readonly #findings: FindingRepo;
  readonly #records: RecordRepo;
  readonly #policies: PolicyService;
  readonly #tenancy: TenancyRepo;
  readonly #metrics: Metrics;
  /** Where each site's OT devices are, learnt from the store once and then from every batch. */
  readonly #segments = new Map<number, OtSegments>();

  constructor(
    findings: FindingRepo,
    records: RecordRepo,
    policies: PolicyService,
    tenancy: TenancyRepo,
    metrics: Metrics,
  ) {
    this.#findings = findings;
    this.#records = records;
    this.#policies = policies;
    this.#tenancy = tenancy;
    this.#metrics = metrics;
  }

  /**
   * Evaluates the per-device rules for these devices of one site and reconciles their stored
   * findings (complete for them: a finding of theirs that no longer matches is resolved).
   */
  devices(site: SiteRef, devices: readonly EvaluatedDevice[], now: Date): Outcome {
    if (devices.length === 0) return NONE;
    const eff = this.#policies.effective(site.operatorId);
    const skipped = skip(eff);
    if (skipped || !eff?.ok) return { ...NONE, skipped };
    const segments = this.segments(site.siteId);
    for (const d of devices) segments.add(d.record);
    const idOf = new Map(devices.map((d) => [d.record.id, d.deviceId]));
    const known = devices.filter((d) => !d.isNew).map((d) => d.deviceId);
    const records = devices.map((d) => d.record);
    const connections = eff.hasConnectionRules ? this.#records.connectionsOf([...idOf.values()]) : [];
    const fresh = this.#run(eff.local, eff, site, records, connections, segments);
    const existing = this.#findings.ofDevices(known);
    const deviceOf = (f: Finding): number | null => {
      const key = f.subject.kind === 'device' ? f.subject.id : String(f.facts['device.id']);
      return idOf.get(key) ?? null;
    };
    return this.#write(site, existing, fresh, deviceOf, now, devices.length);
  }

  /** Evaluates the rules whose groups span devices over the whole site. */
  siteWide(site: SiteRef, now: Date): Outcome {
    const eff = this.#policies.effective(site.operatorId);
    const skipped = skip(eff);
    if (skipped || !eff?.ok) return { ...NONE, skipped };
    const existing = this.#findings.siteWide(site.siteId);
    if (!eff.siteWide.rules.some((r) => r.enabled) && existing.length === 0) return NONE;
    const connections = this.#records.siteConnections(site.operatorId, site.siteId);
    const devices = this.#records.devices([...new Set(connections.map((c) => c.deviceId))]);
    const fresh = this.#run(
      eff.siteWide,
      eff,
      site,
      devices.map((d) => d.record),
      connections,
      this.segments(site.siteId),
    );
    return this.#write(site, existing, fresh, () => null, now, connections.length);
  }

  /** The site's OT segments (built from the store on first use). */
  segments(siteId: number): OtSegments {
    let s = this.#segments.get(siteId);
    if (!s) {
      s = OtSegments.of(this.#records.otDevices(siteId));
      this.#segments.set(siteId, s);
    }
    return s;
  }

  /** Forgets a site's segments: a full pass rebuilds them (a device may have stopped being OT). */
  resetSegments(siteId: number): void {
    this.#segments.delete(siteId);
  }

  #run(
    policy: Policy,
    eff: Extract<EffectivePolicy, { ok: true }>,
    site: SiteRef,
    devices: DeviceRecord[],
    connections: Parameters<typeof evaluate>[1]['connections'],
    otSegments: OtSegments,
  ): Finding[] {
    const op = this.#tenancy.operator(site.operatorId);
    const s = this.#tenancy.site(site.siteId);
    return evaluate(policy, {
      devices,
      connections,
      context: {
        site: s?.name ?? null,
        sector: op?.sector ?? null,
        homeCountry: eff.homeCountry,
        otNetworks: eff.otNetworks,
        otSegments,
      },
    });
  }

  #write(
    site: SiteRef,
    existing: StoredFinding[],
    fresh: Finding[],
    deviceOf: (f: Finding) => number | null,
    now: Date,
    evaluated: number,
  ): Outcome {
    const before = new Map(existing.map((e) => [e.tracked.id, e]));
    const r: Reconciled = reconcile(
      existing.map((e) => e.tracked),
      fresh,
      now,
      { complete: true },
    );
    const freshById = new Map(fresh.map((f) => [f.id, f]));
    // New findings are written together (many rows per statement), in the order they come.
    const opened: { where: FindingPlace; f: TrackedFinding }[] = [];
    for (const f of r.findings) {
      const old = before.get(f.id);
      const fr = freshById.get(f.id);
      const deviceId = fr ? deviceOf(fr) : (old?.deviceId ?? null);
      const where = { operatorId: site.operatorId, siteId: site.siteId, deviceId };
      if (!old) opened.push({ where, f });
      else if (!unchanged(old, f) || old.deviceId !== deviceId) this.#findings.save(where, f, old);
    }
    this.#findings.insertMany(opened);
    if (r.opened.length) this.#metrics.findings.inc({ change: 'opened' }, r.opened.length);
    if (r.reopened.length) this.#metrics.findings.inc({ change: 'reopened' }, r.reopened.length);
    if (r.resolved.length) this.#metrics.findings.inc({ change: 'resolved' }, r.resolved.length);
    return { evaluated, opened: r.opened.length, reopened: r.reopened.length, resolved: r.resolved.length };
  }
}

function skip(eff: EffectivePolicy | undefined): Outcome['skipped'] {
  if (!eff) return 'no policy';
  return eff.ok ? undefined : 'policy invalid';
}

/** Same object back from reconcile (nothing merged) or the same content and history as stored. */
function unchanged(stored: StoredFinding, b: TrackedFinding): boolean {
  const a = stored.tracked;
  return (
    a === b ||
    (a.history.length === b.history.length &&
      a.status === b.status &&
      a.severity === b.severity &&
      a.message === b.message &&
      a.firstSeen === b.firstSeen &&
      a.lastSeen === b.lastSeen &&
      stored.factsJson === JSON.stringify(b.facts))
  );
}
