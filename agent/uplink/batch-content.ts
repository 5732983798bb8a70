// What one spooled batch carries (devices, connections, raw observations, all in wire form), how
// contents are cut to the collector's limits, and how unsent contents merge when the spool compacts.
// Device evidence counts and connection packets/bytes are deltas (core/wire.ts): merging two unsent
// deltas adds them, widens the time windows and unites the lists — the same result the collector
// would reach from both, so compaction never loses or doubles a count.
import type { WireConnection, WireDevice, WireObservation } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';

export interface BatchContent {
  devices: WireDevice[];
  connections: WireConnection[];
  observations: WireObservation[];
}

export interface CutLimits {
  maxDevices: number;
  /** JSON characters per batch; the collector inflates at most 32 MiB (server/services.ts). */
  maxChars: number;
}

export const DEFAULT_MAX_BATCH_CHARS = 8 * 1024 * 1024;

/** Splits content into batches within the limits; parts of one device never share a batch. */
export function cutContent(content: BatchContent, limits: CutLimits): BatchContent[] {
  const maxDevices = Math.min(limits.maxDevices, WIRE_LIMITS.devices);
  const out: BatchContent[] = [];
  let cur: BatchContent = { devices: [], connections: [], observations: [] };
  let chars = 0;
  let ids = new Set<string>();
  const flush = () => {
    if (cur.devices.length || cur.connections.length || cur.observations.length) out.push(cur);
    cur = { devices: [], connections: [], observations: [] };
    chars = 0;
    ids = new Set();
  };
  const room = (n: number) => chars + n <= limits.maxChars || chars === 0;
  for (const d of content.devices) {
    const n = JSON.stringify(d).length + 1;
    if (cur.devices.length >= maxDevices || ids.has(d.id) || !room(n)) flush();
    cur.devices.push(d);
    ids.add(d.id);
    chars += n;
  }
  for (const c of content.connections) {
    const n = JSON.stringify(c).length + 1;
    if (cur.connections.length >= WIRE_LIMITS.connections || !room(n)) flush();
    cur.connections.push(c);
    chars += n;
  }
  for (const o of content.observations) {
    const n = JSON.stringify(o).length + 1;
    if (cur.observations.length >= WIRE_LIMITS.observations || !room(n)) flush();
    cur.observations.push(o);
    chars += n;
  }
  flush();
  return out;
}

const evidenceKey = (e: WireDevice['observations'][number]) =>
  `${e.key}\u0000${typeof e.value}\u0000${e.value}\u0000${e.source}`;
export const connectionKey = (c: WireConnection) =>
  `${c.device}|${c.remoteIp}|${c.remotePort}|${c.localPort}|${c.proto}|${c.direction}`;

/**
 * Merges contents, oldest first. A device whose merged evidence exceeds the per-device wire limit
 * is returned as several parts (cutContent puts them in different batches).
 */
export function mergeContents(contents: readonly BatchContent[]): BatchContent {
  const devices = new Map<string, WireDevice>();
  const evidence = new Map<string, Map<string, WireDevice['observations'][number]>>();
  const connections = new Map<string, WireConnection>();
  const observations: WireObservation[] = [];
  for (const content of contents) {
    for (const d of content.devices) {
      const have = devices.get(d.id);
      if (!have) {
        devices.set(d.id, { ...d, observations: [] });
        evidence.set(d.id, new Map());
      } else {
        have.mac = have.mac ?? d.mac;
        have.ips = unite(have.ips, d.ips, WIRE_LIMITS.addressesPerDevice);
        have.hostnames = unite(have.hostnames, d.hostnames, WIRE_LIMITS.namesPerDevice);
        have.vlans = unite(have.vlans, d.vlans, 16);
        have.services = unite(have.services, d.services, WIRE_LIMITS.servicesPerDevice);
        have.roles = unite(have.roles, d.roles, 64);
        if (d.firstSeen < have.firstSeen) have.firstSeen = d.firstSeen;
        if (d.lastSeen > have.lastSeen) have.lastSeen = d.lastSeen;
      }
      const facts = evidence.get(d.id)!;
      for (const e of d.observations) {
        const k = evidenceKey(e);
        const f = facts.get(k);
        if (!f) facts.set(k, { ...e });
        else {
          f.count += e.count;
          if (e.firstSeen < f.firstSeen) f.firstSeen = e.firstSeen;
          if (e.lastSeen > f.lastSeen) f.lastSeen = e.lastSeen;
        }
      }
    }
    for (const c of content.connections) {
      const k = connectionKey(c);
      const have = connections.get(k);
      if (!have) {
        connections.set(k, { ...c, names: [...c.names] });
        continue;
      }
      have.packets += c.packets;
      have.bytes += c.bytes;
      if (c.firstSeen < have.firstSeen) have.firstSeen = c.firstSeen;
      if (c.lastSeen > have.lastSeen) have.lastSeen = c.lastSeen;
      have.names = unite(have.names, c.names, WIRE_LIMITS.namesPerConnection);
      // Geography from the newer report where it has one.
      have.country = c.country ?? have.country;
      have.asn = c.asn ?? have.asn;
      have.asOrg = c.asOrg ?? have.asOrg;
      have.provider = c.provider ?? have.provider;
      have.providerKind = c.providerKind ?? have.providerKind;
    }
    observations.push(...content.observations);
  }
  const parts: WireDevice[] = [];
  const rest: WireDevice[] = [];
  for (const [id, d] of devices) {
    const all = [...evidence.get(id)!.values()];
    const per = WIRE_LIMITS.evidencePerDevice;
    parts.push({ ...d, observations: all.slice(0, per) });
    for (let i = per; i < all.length; i += per) rest.push({ ...d, observations: all.slice(i, i + per) });
  }
  return { devices: [...parts, ...rest], connections: [...connections.values()], observations };
}

/** Union keeping the first `cap` distinct values (newest beyond the cap are dropped, as the wire does). */
function unite<T>(a: readonly T[], b: readonly T[], cap: number): T[] {
  const out = [...a];
  for (const x of b) if (out.length < cap && !out.includes(x)) out.push(x);
  return out;
}

/** Counts in a content: for logs, acks and tests. */
export function contentSize(c: BatchContent): { devices: number; connections: number; observations: number } {
  return {
    devices: c.devices.length,
    connections: c.connections.length,
    observations: c.observations.length,
  };
}
