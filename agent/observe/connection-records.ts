// The inventory's connections: the connection table's rows by device, each with the geography
// and the names of its remote address, in the order of the devices, then of remote address and port.
import type { GeoLookup, RemoteFacts } from '../../core/geo/contracts.js';
import type { ConnectionRecord } from '../../core/inventory.js';
import type { ConnectionTable } from './connection-table.js';
import type { EvidenceStore } from './evidence-store.js';
import { iso } from './iso-time.js';

/**
 * Connection rows by device (`deviceOf` gives each endpoint's), with their geography and names. A
 * row is one endpoint's: only a device with rows of several endpoints can have two rows for one
 * remote service, so only those rows are merged by key (no key string is made for the others).
 * Records keep the rows' order, which the sort's ties keep.
 */
export function connectionRecords(
  table: ConnectionTable,
  deviceOf: readonly (string | undefined)[],
  store: EvidenceStore,
  geo: GeoLookup | null,
): ConnectionRecord[] {
  const merging = devicesOfSeveralEndpoints(table, deviceOf);
  const list: ConnectionRecord[] = [];
  const merged = new Map<string, ConnectionRecord>();
  // One lookup per remote address: many devices talk to the same few (the bench capture: 7,300 rows,
  // 9 addresses), and each lookup walks the country MMDB and decodes its record (~85 ms in all).
  const geoOf = new Map<string, RemoteFacts | undefined>();
  // Sorted names per remote address, copied for each record (records do not share arrays).
  const namesOf = new Map<string, string[]>();
  for (const c of table.rows.values()) {
    const device = deviceOf[c.endpoint];
    if (!device) continue;
    let key: string | null = null;
    if (merging.has(device)) {
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

/**
 * The devices with rows of more than one endpoint: the only ones whose rows may need merging. A
 * device of two endpoints ((mac, ip) and (mac, no ip)) has rows of one, its address's (the bench
 * capture: 3,351 devices of two endpoints, none with rows of both).
 */
function devicesOfSeveralEndpoints(
  table: ConnectionTable,
  deviceOf: readonly (string | undefined)[],
): Set<string> {
  const several = new Set<string>();
  const endpointOf = new Map<string, number>();
  for (const c of table.rows.values()) {
    const device = deviceOf[c.endpoint];
    if (!device) continue;
    const seen = endpointOf.get(device);
    if (seen === undefined) endpointOf.set(device, c.endpoint);
    else if (seen !== c.endpoint) several.add(device);
  }
  return several;
}
