// INTERIM: scan observations → the inventory document of DESIGN.md §4 (AnalyzeReport), until the
// passive engine's inventoryFromObservations (agent/observe) lands on main and replaces this file.
// Devices are grouped by MAC (IP where none is seen); identity fields stay null here because deciding
// them is core/identify's job: nothing is guessed.
import type { AnalyzeReport, DeviceRecord, ObservationSummary } from '../../core/inventory.js';
import type { Observation } from '../../core/observation.js';
import type { ScanStats } from './scanner.js';

const NAME_KEYS = new Set(['mdns.name', 'snmp.sys_name', 'dhcp.hostname', 'nbns.name']);

export function scanReport(observations: readonly Observation[], stats: ScanStats): AnalyzeReport {
  // A MAC seen for an IP anywhere in the scan names that IP's device.
  const macOf = new Map<string, string>();
  for (const o of observations) if (o.mac && o.ip) macOf.set(o.ip, o.mac);
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    const mac = o.mac ?? (o.ip ? macOf.get(o.ip) : undefined);
    const id = mac ? `mac:${mac}` : o.ip ? `ip:${o.ip}` : null;
    if (!id) continue;
    const list = groups.get(id);
    if (list) list.push(o);
    else groups.set(id, [o]);
  }
  const devices = [...groups].map(([id, list]) => device(id, list));
  devices.sort((a, b) => (a.ips[0] ?? a.id).localeCompare(b.ips[0] ?? b.id, 'en', { numeric: true }));
  return {
    devices,
    connections: [],
    findings: [],
    stats: {
      files: 0,
      packets: stats.packets,
      bytes: 0,
      skipped: { excluded: stats.excluded, self: stats.skippedSelf },
      anomalies: stats.anomalies,
      flows: 0,
      evictedFlows: 0,
      durationMs: stats.durationMs,
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function device(id: string, list: Observation[]): DeviceRecord {
  const mac = id.startsWith('mac:') ? id.slice(4) : null;
  const ips = [...new Set(list.map((o) => o.ip).filter((x): x is string => !!x))];
  const hostnames = [...new Set(list.filter((o) => NAME_KEYS.has(o.key)).map((o) => String(o.value)))];
  const services = [...new Set(list.filter((o) => o.key === 'net.service').map((o) => String(o.value)))];
  const summaries = new Map<string, ObservationSummary>();
  for (const o of list) {
    const k = `${o.key}\0${typeof o.value}\0${o.value}`;
    const s = summaries.get(k);
    if (s) {
      s.count++;
      if (iso(o.ts) < s.firstSeen) s.firstSeen = iso(o.ts);
      if (iso(o.ts) > s.lastSeen) s.lastSeen = iso(o.ts);
    } else {
      summaries.set(k, {
        key: o.key,
        value: o.value,
        source: o.source,
        count: 1,
        firstSeen: iso(o.ts),
        lastSeen: iso(o.ts),
      });
    }
  }
  const times = list.map((o) => o.ts);
  return {
    id,
    mac,
    ips,
    hostnames,
    vendor: null,
    vendorCountry: null,
    vendorParent: null,
    watchlists: [],
    registrant: null,
    registrantCountry: null,
    // IEEE 802 U/L bit: a locally administered (randomised) address has no registrant.
    randomizedMac: mac !== null && (Number.parseInt(mac.slice(0, 2), 16) & 0x02) !== 0,
    class: null,
    model: null,
    firmware: null,
    os: null,
    confidence: null,
    reasons: [],
    vlans: [],
    services,
    roles: [],
    firstSeen: iso(Math.min(...times)),
    lastSeen: iso(Math.max(...times)),
    observations: [...summaries.values()],
  };
}
