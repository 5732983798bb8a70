// Endpoints, facts and connections → the inventory document of `analyze --json` (DESIGN.md §4):
// devices with their evidence and identity, connections with their geography and names.
import type { GeoLookup } from '../../core/geo/contracts.js';
import type { EvidenceFact, Identifier } from '../../core/identify/contracts.js';
import {
  type ConnectionRecord,
  type DeviceRecord,
  emptyIdentity,
  type ObservationSummary,
} from '../../core/inventory.js';
import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { connectionRecords } from './connection-records.js';
import type { ConnectionTable } from './connection-table.js';
import { assignDevices } from './device-assignment.js';
import { DeviceFacts, type FactMaker, keyNumbers, keyOrder, orderedFacts } from './device-facts.js';
import type { Endpoint, EvidenceStore } from './evidence-store.js';
import { iso } from './iso-time.js';

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
  // Devices are made in the order they were first seen (sorted by id, they come a maker's OUI at a
  // time, and V8 compiles the loop on the first makers' devices only, then throws that code away).
  const ids = Array.from(byDevice.keys());

  const identifier = opts.identifier;
  const withObservations = opts.observations ?? true;
  const allKeys = keyOrder(store, null);
  const readKeys = identifier?.keys ? keyOrder(store, identifier.keys) : allKeys;
  const special: SpecialKeys = {
    names: keyNumbers(store, NAME_KEYS),
    vlan: store.keyNumber('net.vlan'),
    service: store.keyNumber('net.service'),
    role: store.keyNumber('ot.role'),
  };
  const facts = new DeviceFacts(store);
  const devices: DeviceRecord[] = [];
  for (let d = 0; d < ids.length; d++) {
    const id = ids[d]!;
    const eps = byDevice.get(id)!;
    const mac = id.startsWith('mac:') ? id.slice(4) : null;
    facts.load(eps);
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (let e = 0; e < eps.length; e++) {
      const ep = eps[e]!;
      if (ep.first < first) first = ep.first;
      if (ep.last > last) last = ep.last;
    }
    // Without the list, identification gets only the facts it reads, as small objects of three fields.
    const observations = withObservations ? orderedFacts(facts, allKeys, summary) : [];
    const identity = identifier
      ? identifier.identify({
          mac,
          observations: withObservations ? observations : orderedFacts(facts, readKeys, evidenceFact),
        })
      : emptyIdentity(mac);
    // Fields listed, not spread: a spread in the middle of a literal copies through the runtime per device.
    devices.push({
      id,
      mac,
      ips: sortAddresses(addresses.get(id)),
      hostnames: hostnames(facts, special.names),
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
      vlans: vlans(facts, special.vlan),
      services: sortedTexts(facts, special.service),
      roles: sortedTexts(facts, special.role),
      firstSeen: iso(first),
      lastSeen: iso(last),
      observations,
    });
  }
  const connectionList = connections ? connectionRecords(connections, deviceOf, store, opts.geo) : [];
  return { devices: byId(devices, ids), connections: connectionList, routers: [...routers].sort() };
}

/**
 * The devices (made in the order of `ids`) in the order of their ids: the ids sorted by the built-in
 * comparison of strings, not a comparator called ~50 k times.
 */
function byId(devices: readonly DeviceRecord[], ids: readonly string[]): DeviceRecord[] {
  const of = new Map<string, DeviceRecord>();
  for (let d = 0; d < devices.length; d++) of.set(ids[d]!, devices[d]!);
  const sorted = ids.slice().sort();
  const out: DeviceRecord[] = [];
  for (let d = 0; d < sorted.length; d++) out.push(of.get(sorted[d]!)!);
  return out;
}

/** The numbers of the keys a device record lists apart (-1: the store has none). */
interface SpecialKeys {
  names: readonly number[];
  vlan: number;
  service: number;
  role: number;
}

/** One entry of a device's observation list; a fact seen once (most of them) has one time string for both ends. */
const summary: FactMaker<ObservationSummary> = (key, value, source, count, first, last) => {
  const firstSeen = iso(first);
  const lastSeen = last === first ? firstSeen : iso(last);
  return { key, value, source, count, firstSeen, lastSeen };
};

/** What identification reads of a fact. */
const evidenceFact: FactMaker<EvidenceFact> = (key, value, source) => ({ key, value, source });

/** A key's values as text, sorted (by code unit, as Array.prototype.sort does). */
function sortedTexts(facts: DeviceFacts, key: number): string[] {
  const out: string[] = [];
  if (key >= 0) facts.texts(key, out);
  return out.length > 1 ? out.sort() : out;
}

/** The names people use for the device, distinct and sorted. */
function hostnames(facts: DeviceFacts, keys: readonly number[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < keys.length; i++) facts.texts(keys[i]!, names);
  if (names.length < 2) return names;
  // Sorted, a name under two keys (or as 5 and "5") is next to itself: kept once.
  names.sort();
  let kept = 1;
  for (let i = 1; i < names.length; i++) if (names[i] !== names[kept - 1]) names[kept++] = names[i]!;
  names.length = kept;
  return names;
}

/** Distinct outer VLAN ids found by a scan of the list; past this many, by a Set. */
const FEW_VLANS = 16;

/** Outer VLAN ids ("100" of a "100.200" stack), distinct, in numeric order. */
function vlans(facts: DeviceFacts, key: number): number[] {
  const tags: ObservationValue[] = [];
  if (key >= 0) facts.values(key, tags);
  const ids: number[] = [];
  // A device has a tag or two; one with thousands of endpoints on thousands of VLANs (a hostile
  // capture can make it) would make a scan per tag quadratic, so a Set takes over past FEW_VLANS.
  let seen: Set<number> | null = null;
  for (let i = 0; i < tags.length; i++) {
    const id = outerVlan(tags[i]!);
    if (seen !== null) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
      // includes() compares as a Set does (NaN equals NaN).
    } else if (!ids.includes(id)) {
      ids.push(id);
      if (ids.length > FEW_VLANS) seen = new Set(ids);
    }
  }
  return ids.length > 1 ? ids.sort(byNumber) : ids;
}

function byNumber(a: number, b: number): number {
  return a - b;
}

/** The first id of a VLAN stack's text ("100.200" → 100), as Number() reads it. */
function outerVlan(v: ObservationValue): number {
  // A single tag is recorded as its number: an integer's text has no dot, and reads back as itself
  // (+ 0: -0 reads back as 0). No text is made and parsed for the ~9 k tags of the bench capture.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v + 0;
  const text = String(v);
  const dot = text.indexOf('.');
  return Number(dot < 0 ? text : text.slice(0, dot));
}

/** IPv4 first in numeric order, then IPv6 as text. */
function sortAddresses(set: ReadonlySet<string> | undefined): string[] {
  if (set === undefined) return [];
  if (set.size === 1) return [set.values().next().value!];
  const ips = Array.from(set);
  const v4 = ips.filter((ip) => !ip.includes(':'));
  // Numeric keys made once per address, not twice per comparison.
  const keyOf = new Map(v4.map((ip) => [ip, num(ip)]));
  v4.sort((a, b) => keyOf.get(a)! - keyOf.get(b)!);
  return [...v4, ...ips.filter((ip) => ip.includes(':')).sort()];
}

function num(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}
