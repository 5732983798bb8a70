// Builds the regulator's summary for one operator and period from plain inputs: sites, agents,
// devices, connections, tracked findings and the previous period's summary. Pure and deterministic:
// every list is sorted, nothing reads the clock (generatedAt is an input).
import type { ConnectionRecord, DeviceRecord, FindingStatus, Severity } from '../inventory.js';
import type { TrackedFinding } from '../policy/lifecycle.js';
import { type AgentInput, coverage } from './coverage.js';
import type { Period } from './schedule.js';
import { SUMMARY_SCHEMA_ID, type Summary } from './schema.js';

export interface SummaryInput {
  operator: { id: string; name: string; sector: string | null; homeCountry: string | null };
  period: Period;
  generatedAt: Date;
  generatorVersion: string;
  /** Packs and files the findings came from. */
  policy: string[];
  sites: { id: string; name: string }[];
  /** null when there are no agents (a summary made offline from a capture). */
  agents: AgentInput[] | null;
  /** Devices, each with the site it was seen at (one site: may be left out). */
  devices: (DeviceRecord & { site?: string | null })[];
  connections: ConnectionRecord[];
  findings: TrackedFinding[];
  previous: Summary | null;
  options?: {
    /** An agent is reporting when seen within this many hours before the period end (default 24). */
    coverageWindowHours?: number;
    /** Agent silences listed from this many hours (default 1); shorter ones only lower the uptime. */
    silenceHours?: number;
    /** Waivers ending within this many days after the period end are listed (default 30). */
    waiverHorizonDays?: number;
    /** Foreign connections listed one by one, largest first (default 50). */
    topConnections?: number;
    /** Open findings listed one by one, most severe first (default 200). */
    openFindings?: number;
  };
}

const DAY = 86_400_000;
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Counts by key, sorted by count (descending) then key, with a stable string form of null. */
function tally<K>(items: Iterable<K>): Map<K, number> {
  const m = new Map<K, number>();
  for (const k of items) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function byCountThenKey<T extends { count: number }>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => b.count - a.count || key(a).localeCompare(key(b));
}

const ck = (c: string | null) => c ?? '~';

/** Instants are compared as numbers: "…00Z" and "…00.000Z" are the same time but sort apart as text. */
const ms = (iso: string) => Date.parse(iso);

function inPeriod(firstSeen: string, lastSeen: string, p: Period): boolean {
  return ms(firstSeen) < ms(p.end) && ms(lastSeen) >= ms(p.start);
}

/** A finding's status at an instant, replaying its history; null if it did not exist yet. */
export function statusAt(f: TrackedFinding, at: string): FindingStatus | null {
  let status: FindingStatus | null = null;
  const t = ms(at);
  for (const h of f.history) if (ms(h.at) < t) status = h.to;
  return status;
}

export function buildSummary(input: SummaryInput): Summary {
  const { period, operator } = input;
  const opts = input.options ?? {};
  const home = operator.homeCountry;
  const onlySite = input.sites.length === 1 ? input.sites[0]!.id : null;
  const devices = input.devices.filter((d) => inPeriod(d.firstSeen, d.lastSeen, period));
  const siteOf = (d: { site?: string | null }) => d.site ?? onlySite;
  const connections = input.connections.filter((c) => inPeriod(c.firstSeen, c.lastSeen, period));

  const byClassCountry = [
    ...tally(devices.map((d) => `${d.class ?? 'unknown'}\u0000${d.vendorCountry ?? ''}`)),
  ]
    .map(([k, count]) => {
      const [cls, country] = k.split('\u0000') as [string, string];
      return { class: cls, vendorCountry: country || null, count };
    })
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.class.localeCompare(b.class) ||
        ck(a.vendorCountry).localeCompare(ck(b.vendorCountry)),
    );
  const byVendorCountry = [...tally(devices.map((d) => d.vendorCountry))]
    .map(([country, count]) => ({
      country,
      count,
      foreign: country === null || home === null ? null : country !== home,
    }))
    .sort(byCountThenKey((x) => ck(x.country)));
  const byClass = [...tally(devices.map((d) => d.class ?? 'unknown'))]
    .map(([cls, count]) => ({ class: cls, count }))
    .sort(byCountThenKey((x) => x.class));

  const listed = devices.filter((d) => d.watchlists.length > 0);
  const watchlisted = {
    total: listed.length,
    byList: [...tally(listed.flatMap((d) => [...new Set(d.watchlists)]))]
      .map(([list, count]) => ({ list, count }))
      .sort(byCountThenKey((x) => x.list)),
    devices: listed
      .map((d) => ({
        device: d.id,
        site: siteOf(d),
        vendor: d.vendor,
        vendorCountry: d.vendorCountry,
        class: d.class,
        model: d.model,
        firmware: d.firmware,
        watchlists: [...d.watchlists].sort(),
        firstSeen: d.firstSeen,
        lastSeen: d.lastSeen,
      }))
      .sort((a, b) => ck(a.vendor).localeCompare(ck(b.vendor)) || a.device.localeCompare(b.device)),
  };

  const foreign = connections.filter((c) => c.country !== null && home !== null && c.country !== home);
  const countries = new Map<string, { connections: number; devices: Set<string>; bytes: number }>();
  const kinds = new Map<string, { connections: number; bytes: number }>();
  for (const c of foreign) {
    const e = countries.get(c.country!) ?? { connections: 0, devices: new Set(), bytes: 0 };
    e.connections++;
    e.devices.add(c.device);
    e.bytes += c.bytes;
    countries.set(c.country!, e);
    const kind = c.providerKind ?? 'unknown';
    const k = kinds.get(kind) ?? { connections: 0, bytes: 0 };
    k.connections++;
    k.bytes += c.bytes;
    kinds.set(kind, k);
  }
  const foreignConnections = {
    total: foreign.length,
    unknownCountry: home === null ? connections.length : connections.filter((c) => c.country === null).length,
    devices: new Set(foreign.map((c) => c.device)).size,
    bytes: foreign.reduce((n, c) => n + c.bytes, 0),
    byCountry: [...countries]
      .map(([country, e]) => ({
        country,
        connections: e.connections,
        devices: e.devices.size,
        bytes: e.bytes,
      }))
      .sort(
        (a, b) => b.connections - a.connections || b.bytes - a.bytes || a.country.localeCompare(b.country),
      ),
    byProviderKind: [...kinds]
      .map(([kind, e]) => ({ kind, connections: e.connections, bytes: e.bytes }))
      .sort((a, b) => b.connections - a.connections || a.kind.localeCompare(b.kind)),
    top: [...foreign]
      .sort(
        (a, b) =>
          b.bytes - a.bytes ||
          a.device.localeCompare(b.device) ||
          a.remoteIp.localeCompare(b.remoteIp) ||
          (a.remotePort ?? -1) - (b.remotePort ?? -1),
      )
      .slice(0, opts.topConnections ?? 50)
      .map((c) => ({
        device: c.device,
        remoteIp: c.remoteIp,
        direction: c.direction ?? 'outbound',
        remotePort: c.remotePort,
        localPort: c.localPort ?? null,
        proto: c.proto,
        country: c.country!,
        asn: c.asn,
        asOrg: c.asOrg,
        provider: c.provider,
        providerKind: c.providerKind,
        names: [...c.names].sort().slice(0, 10),
        bytes: c.bytes,
      })),
  };

  const findings = summariseFindings(input.findings, period, opts.openFindings ?? 200);
  const horizon = new Date(Date.parse(period.end) + (opts.waiverHorizonDays ?? 30) * DAY).toISOString();
  const waiversExpiring = input.findings
    .filter(
      (f) =>
        f.waiver &&
        statusAt(f, period.end) === 'waived' &&
        ms(f.waiver.until) >= ms(period.end) &&
        ms(f.waiver.until) <= ms(horizon),
    )
    .map((f) => ({
      finding: f.id,
      rule: f.rule,
      subject: f.subject.id,
      until: f.waiver!.until,
      daysLeft: Math.max(0, Math.floor((Date.parse(f.waiver!.until) - Date.parse(period.end)) / DAY)),
      approver: f.waiver!.approver,
      reason: f.waiver!.reason,
    }))
    .sort((a, b) => a.until.localeCompare(b.until) || a.finding.localeCompare(b.finding));

  const summary: Summary = {
    schema: SUMMARY_SCHEMA_ID,
    generatedAt: input.generatedAt.toISOString(),
    generator: { name: 'originmap', version: input.generatorVersion },
    operator: { ...operator },
    period: { ...period },
    policy: { packs: [...input.policy] },
    sites: input.sites
      .map((s) => ({
        id: s.id,
        name: s.name,
        devices: devices.filter((d) => siteOf(d) === s.id).length,
        agents: input.agents?.filter((a) => a.site === s.id).length ?? 0,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    coverage:
      input.agents === null
        ? null
        : coverage(input.agents, input.sites, period, {
            windowHours: opts.coverageWindowHours ?? 24,
            silenceHours: opts.silenceHours ?? 1,
          }),
    devices: {
      total: devices.length,
      unknownVendorCountry: devices.filter((d) => d.vendorCountry === null).length,
      byClassCountry,
      byVendorCountry,
      byClass,
    },
    watchlisted,
    foreignConnections,
    findings,
    waiversExpiring,
    changes: null,
  };
  summary.changes = input.previous ? changes(input.previous, summary) : null;
  return summary;
}

function summariseFindings(
  all: readonly TrackedFinding[],
  period: Period,
  maxOpen: number,
): Summary['findings'] {
  const [start, end] = [ms(period.start), ms(period.end)];
  const within = (at: string) => ms(at) >= start && ms(at) < end;
  const rules = new Map<string, Summary['findings']['byRule'][number]>();
  let opened = 0;
  let resolved = 0;
  let waived = 0;
  let reopened = 0;
  const open: Summary['findings']['open'] = [];
  const openBySeverity = new Map<Severity, number>();
  for (const f of all) {
    const r = rules.get(f.rule) ?? {
      rule: f.rule,
      severity: f.severity,
      open: 0,
      opened: 0,
      resolved: 0,
      waived: 0,
    };
    for (const h of f.history) {
      if (!within(h.at)) continue;
      if (h.from === null) {
        opened++;
        r.opened++;
      } else if (h.to === 'resolved') {
        resolved++;
        r.resolved++;
      } else if (h.to === 'waived') {
        waived++;
        r.waived++;
      } else if (h.to === 'open') reopened++;
    }
    const status = statusAt(f, period.end);
    if (status === 'open' || status === 'acknowledged') {
      r.open++;
      openBySeverity.set(f.severity, (openBySeverity.get(f.severity) ?? 0) + 1);
      open.push({
        id: f.id,
        rule: f.rule,
        severity: f.severity,
        status,
        subject: f.subject.id,
        message: f.message,
        firstSeen: f.firstSeen,
      });
    }
    if (status !== null) rules.set(f.rule, r);
  }
  const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);
  return {
    openAtEnd: open.length,
    opened,
    resolved,
    waived,
    reopened,
    bySeverity: SEVERITY_ORDER.map((severity) => ({ severity, open: openBySeverity.get(severity) ?? 0 })),
    byRule: [...rules.values()].sort(
      (a, b) => rank(a.severity) - rank(b.severity) || a.rule.localeCompare(b.rule),
    ),
    open: open
      .sort(
        (a, b) =>
          rank(a.severity) - rank(b.severity) ||
          a.rule.localeCompare(b.rule) ||
          a.subject.localeCompare(b.subject),
      )
      .slice(0, maxOpen),
  };
}

function changes(prev: Summary, cur: Summary): NonNullable<Summary['changes']> {
  const countries = (s: Summary) =>
    new Set(s.devices.byVendorCountry.map((x) => x.country).filter((c): c is string => c !== null));
  const foreignCountries = (s: Summary) => new Set(s.foreignConnections.byCountry.map((x) => x.country));
  const [pc, cc] = [countries(prev), countries(cur)];
  const key = (x: { class: string; vendorCountry: string | null }) =>
    `${x.class}\u0000${x.vendorCountry ?? ''}`;
  const pm = new Map(prev.devices.byClassCountry.map((x) => [key(x), x]));
  const cm = new Map(cur.devices.byClassCountry.map((x) => [key(x), x]));
  const byClassCountry = [...new Set([...pm.keys(), ...cm.keys()])]
    .map((k) => {
      const x = (cm.get(k) ?? pm.get(k))!;
      return {
        class: x.class,
        vendorCountry: x.vendorCountry,
        previous: pm.get(k)?.count ?? 0,
        current: cm.get(k)?.count ?? 0,
      };
    })
    .filter((x) => x.previous !== x.current)
    .sort(
      (a, b) =>
        Math.abs(b.current - b.previous) - Math.abs(a.current - a.previous) ||
        a.class.localeCompare(b.class) ||
        ck(a.vendorCountry).localeCompare(ck(b.vendorCountry)),
    );
  return {
    previousPeriod: { ...prev.period },
    devices: { previous: prev.devices.total, current: cur.devices.total },
    watchlisted: { previous: prev.watchlisted.total, current: cur.watchlisted.total },
    foreignConnections: { previous: prev.foreignConnections.total, current: cur.foreignConnections.total },
    openFindings: { previous: prev.findings.openAtEnd, current: cur.findings.openAtEnd },
    newVendorCountries: [...cc].filter((c) => !pc.has(c)).sort(),
    goneVendorCountries: [...pc].filter((c) => !cc.has(c)).sort(),
    newForeignCountries: [...foreignCountries(cur)].filter((c) => !foreignCountries(prev).has(c)).sort(),
    byClassCountry,
  };
}
