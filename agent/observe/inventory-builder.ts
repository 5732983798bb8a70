// Endpoints, facts and connections → the inventory document of `analyze --json` (DESIGN.md §4):
// devices with their evidence and identity, connections with their geography and names.
import type { GeoLookup, RemoteFacts } from '../../core/geo/contracts.js';
import type { EvidenceFact, Identifier } from '../../core/identify/contracts.js';
import {
  type ConnectionRecord,
  type DeviceRecord,
  emptyIdentity,
  type ObservationSummary,
} from '../../core/inventory.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import type { ConnectionTable } from './connection-table.js';
import { assignDevices } from './device-assignment.js';
import {
  type FactMaker,
  type FactMap,
  keyOrder,
  mergedFacts,
  orderedFacts,
  valuesOf,
} from './device-facts.js';
import type { Endpoint, EvidenceStore } from './evidence-store.js';
import type { FactRows } from './fact-rows.js';

/** Keys whose values are names people use for a device. */
export const NAME_KEYS: readonly ObservationKey[] = [
  'dhcp.hostname',
  'dhcp.fqdn',
  'dhcpv6.fqdn',
  'mdns.name',
  'nbns.name',
  'llmnr.name',
  'lldp.sys_name',
  'snmp.sys_name',
  'cdp.device_id',
  'profinet.name_of_station',
];

export interface BuildOptions {
  identifier: Identifier | null;
  geo: GeoLookup | null;
  /**
   * Each device's observation list (default true). Without it devices carry `observations: []`:
   * for output that prints no observations (the text table), which then builds none of the bench
   * capture's 73 k summaries. Identities are the same either way.
   */
  observations?: boolean;
}

export interface BuiltInventory {
  devices: DeviceRecord[];
  connections: ConnectionRecord[];
  /** MACs judged to be routers forwarding other stations (their forwarded addresses are devices by IP). */
  routers: string[];
}

/**
 * Date-time heads ("2024-05-01T12:00:00") by second. Keyed by the second less EPOCH_SECOND so that
 * the keys of this century are small integers (Smis): a raw 1.7e9 is a heap number, allocated per
 * Math.floor and slower to hash (the bench inventory's 147 k calls: ~35 → ~15 ms).
 */
const secondText = new Map<number, string>();
const EPOCH_SECOND = 1_500_000_000;
/** ".000Z" … ".999Z": one concatenation per call instead of a template of three parts. */
const MILLI_TEXT = Array.from({ length: 1000 }, (_, m) => `.${String(m).padStart(3, '0')}Z`);
let lastMs = Number.NaN;
let lastText = '';

/** ISO 8601 with milliseconds; the date-time part is cached per second (inventories repeat seconds a lot). */
export function iso(ms: number): string {
  // Consecutive calls often ask for the same time (a fact's first and last, a device's facts).
  if (ms === lastMs) return lastText;
  const t = Number.isFinite(ms) ? ms : 0;
  const sec = Math.floor(t / 1000);
  let head = secondText.get(sec - EPOCH_SECOND);
  if (head === undefined) {
    head = new Date(sec * 1000).toISOString().slice(0, 19);
    if (secondText.size > 100_000) secondText.clear();
    secondText.set(sec - EPOCH_SECOND, head);
  }
  const milli = Math.floor(t - sec * 1000);
  // Float error on a huge time can put milli just outside 0..999: padded as before the table then.
  const tail = MILLI_TEXT[milli] ?? `.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  lastMs = ms;
  lastText = head + tail;
  return lastText;
}

export function buildInventory(
  store: EvidenceStore,
  connections: ConnectionTable | null,
  opts: BuildOptions,
): BuiltInventory {
  const { deviceOf, addresses, routers } = assignDevices(store);
  // Endpoints by device: most devices are one or two endpoints ((mac, ip) and (mac, no ip)), whose
  // facts are read where they are; only keys present on several endpoints are merged into copies.
  const byDevice = new Map<string, Endpoint[]>();
  for (const ep of store.endpoints) {
    const key = deviceOf[ep.id];
    if (!key) continue;
    const list = byDevice.get(key);
    if (list) list.push(ep);
    else byDevice.set(key, [ep]);
  }

  const rows = store.rows;
  const identifier = opts.identifier;
  const withObservations = opts.observations ?? true;
  const allKeys = keyOrder(store, null);
  const readKeys = identifier?.keys ? keyOrder(store, identifier.keys) : allKeys;
  const devices: DeviceRecord[] = [];
  for (const [id, eps] of byDevice) {
    const mac = id.startsWith('mac:') ? id.slice(4) : null;
    const facts = mergedFacts(store, eps);
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const ep of eps) {
      if (ep.first < first) first = ep.first;
      if (ep.last > last) last = ep.last;
    }
    // Without the list, identification gets only the facts it reads, as small objects of three fields.
    const observations = withObservations ? orderedFacts(rows, facts, allKeys, summary) : [];
    const identity = identifier
      ? identifier.identify({
          mac,
          observations: withObservations ? observations : orderedFacts(rows, facts, readKeys, evidenceFact),
        })
      : emptyIdentity(mac);
    // Fields listed, not spread: a spread in the middle of a literal copies through the runtime per device.
    devices.push({
      id,
      mac,
      ips: sortAddresses(addresses.get(id)),
      hostnames: hostnames(rows, facts),
      vendor: identity.vendor,
      vendorCountry: identity.vendorCountry,
      vendorParent: identity.vendorParent,
      watchlists: identity.watchlists,
      registrant: identity.registrant,
      registrantCountry: identity.registrantCountry,
      randomizedMac: identity.randomizedMac,
      class: identity.class,
      model: identity.model,
      firmware: identity.firmware,
      os: identity.os,
      confidence: identity.confidence,
      reasons: identity.reasons,
      vlans: vlans(rows, facts),
      services: textValues(rows, facts, 'net.service').sort(),
      roles: textValues(rows, facts, 'ot.role').sort(),
      firstSeen: iso(first),
      lastSeen: iso(last),
      observations,
    });
  }
  devices.sort((a, b) => (a.id < b.id ? -1 : 1));
  const connectionList = connections
    ? connectionRecords(connections, deviceOf, byDevice, store, opts.geo)
    : [];
  return { devices, connections: connectionList, routers: [...routers].sort() };
}

/** One entry of a device's observation list; a fact seen once (most of them) has one time string for both ends. */
const summary: FactMaker<ObservationSummary> = (key, value, source, count, first, last) => {
  const firstSeen = iso(first);
  const lastSeen = last === first ? firstSeen : iso(last);
  return { key, value, source, count, firstSeen, lastSeen };
};

/** What identification reads of a fact. */
const evidenceFact: FactMaker<EvidenceFact> = (key, value, source) => ({ key, value, source });

function textValues(rows: FactRows, facts: FactMap, key: ObservationKey): string[] {
  const of = facts.get(key);
  return of === undefined ? [] : valuesOf(rows, of).map(String);
}

/** The names people use for the device, sorted; no set is made for the many devices without one. */
function hostnames(rows: FactRows, facts: FactMap): string[] {
  let names: Set<string> | null = null;
  for (const k of NAME_KEYS) {
    const of = facts.get(k);
    if (of === undefined) continue;
    names ??= new Set();
    for (const v of valuesOf(rows, of)) names.add(String(v));
  }
  return names === null ? [] : Array.from(names).sort();
}

/** Outer VLAN ids ("100" of a "100.200" stack), distinct, in numeric order. */
function vlans(rows: FactRows, facts: FactMap): number[] {
  const of = facts.get('net.vlan');
  if (of === undefined) return [];
  const ids = new Set<number>();
  for (const v of valuesOf(rows, of)) ids.add(Number(String(v).split('.')[0]));
  return ids.size === 1 ? Array.from(ids) : Array.from(ids).sort((a, b) => a - b);
}

/**
 * Connection rows by device, with their geography and names. A row is one endpoint's; only a device
 * of several endpoints can have two rows for one remote service, so only those rows are merged by
 * key (no key string is made for the others). Records keep the rows' order, which the sort's ties keep.
 */
function connectionRecords(
  table: ConnectionTable,
  deviceOf: readonly (string | undefined)[],
  byDevice: ReadonlyMap<string, readonly Endpoint[]>,
  store: EvidenceStore,
  geo: GeoLookup | null,
): ConnectionRecord[] {
  const list: ConnectionRecord[] = [];
  const merged = new Map<string, ConnectionRecord>();
  // One lookup per remote address: many devices talk to the same few (the bench capture: 7,290 rows,
  // 9 addresses), and each lookup walks the country MMDB and decodes its record (~85 ms in all).
  const geoOf = new Map<string, RemoteFacts | undefined>();
  // Sorted names per remote address, copied for each record (records do not share arrays).
  const namesOf = new Map<string, string[]>();
  for (const c of table.rows.values()) {
    const device = deviceOf[c.endpoint];
    if (!device) continue;
    let key: string | null = null;
    if (byDevice.get(device)!.length > 1) {
      key = `${device}|${c.remoteIp}|${c.remotePort}|${c.localPort}|${c.proto}|${c.direction}`;
      const have = merged.get(key);
      if (have) {
        have.packets += c.packets;
        have.bytes += c.bytes;
        if (iso(c.first) < have.firstSeen) have.firstSeen = iso(c.first);
        if (iso(c.last) > have.lastSeen) have.lastSeen = iso(c.last);
        continue;
      }
    }
    let facts = geoOf.get(c.remoteIp);
    if (facts === undefined && !geoOf.has(c.remoteIp)) {
      facts = geo?.lookup(c.remoteIp);
      geoOf.set(c.remoteIp, facts);
    }
    let names = namesOf.get(c.remoteIp);
    if (names === undefined) {
      names = [...(store.names.get(c.remoteIp) ?? [])].sort();
      namesOf.set(c.remoteIp, names);
    }
    const record: ConnectionRecord = {
      device,
      remoteIp: c.remoteIp,
      remotePort: c.remotePort,
      localPort: c.localPort,
      direction: c.direction,
      proto: c.proto,
      country: facts?.country ?? null,
      asn: facts?.asn ?? null,
      asOrg: facts?.asOrg ?? null,
      provider: facts?.provider ?? null,
      providerKind: facts?.providerKind ?? null,
      names: names.length ? names.slice() : [],
      packets: c.packets,
      bytes: c.bytes,
      firstSeen: iso(c.first),
      lastSeen: iso(c.last),
    };
    list.push(record);
    if (key !== null) merged.set(key, record);
  }
  return list.sort((a, b) =>
    a.device < b.device
      ? -1
      : a.device > b.device
        ? 1
        : a.remoteIp < b.remoteIp
          ? -1
          : a.remoteIp > b.remoteIp
            ? 1
            : (a.remotePort ?? 0) - (b.remotePort ?? 0),
  );
}

/** IPv4 first in numeric order, then IPv6 as text. */
function sortAddresses(set: ReadonlySet<string> | undefined): string[] {
  if (set === undefined) return [];
  const ips = Array.from(set);
  if (ips.length === 1) return ips;
  const v4 = ips.filter((ip) => !ip.includes(':'));
  // Numeric keys made once per address, not twice per comparison.
  const keyOf = new Map(v4.map((ip) => [ip, num(ip)]));
  v4.sort((a, b) => keyOf.get(a)! - keyOf.get(b)!);
  return [...v4, ...ips.filter((ip) => ip.includes(':')).sort()];
}

function num(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}
