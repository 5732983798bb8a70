// The engine's evidence → the device part of a batch, for a long-running agent. A device is sent
// when it changed: it is new, it has a fact never reported, or (at most every refresh interval) its
// counts grew or it was seen again. Counts on the wire are deltas since the last report (core/wire.ts),
// so a fact's `sent` mark (FactRows.sent) moves only once the batch is safely in the spool (commit()).

import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import type { WireConnection, WireDevice } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import type { ConnectionAgg } from '../observe/connection-table.js';
import { assignDevices } from '../observe/device-assignment.js';
import type { Endpoint, EvidenceStore } from '../observe/evidence-store.js';
import type { FactRows } from '../observe/fact-rows.js';
import { NAME_KEYS } from '../observe/inventory-builder.js';
import { iso } from '../observe/iso-time.js';

const ROLE = /^[a-z0-9_.-]{1,32}:(server|client)$/;
const SERVICE = /^(tcp|udp)\/\d{1,5}$/;
const IP = /^[0-9A-Fa-f.:]{2,45}$/;

export interface DeviceDeltas {
  /** Devices that changed (built by chunks() or devices). */
  changed: number;
  /**
   * The changed devices in wire form, built `size` at a time: a snapshot of thousands of devices
   * never holds all of them in memory at once (the agent's peak memory is set by its snapshots).
   */
  chunks(size: number): Generator<WireDevice[]>;
  /** All of them at once (tests, small inventories). */
  readonly devices: WireDevice[];
  /** Device key of each endpoint (for the connections drained at the same moment). */
  deviceOf: (string | undefined)[];
  /** Values left out because the wire cannot carry them (too long, malformed): counted, not sent. */
  readonly unsendable: number;
  /** Marks everything included as reported. Call only after the spool write succeeded, before any eviction (freed rows are reused). */
  commit(): void;
}

export function collectDeviceDeltas(store: EvidenceStore, opts: { refreshDue: boolean }): DeviceDeltas {
  const endpoints = store.endpoints;
  const { deviceOf, addresses } = assignDevices(store);
  const rows = store.rows;
  const changed = new Set<string>();
  const byDevice = new Map<string, Endpoint[]>();
  for (const ep of endpoints) {
    const key = deviceOf[ep.id];
    if (!key || (ep.last === 0 && ep.firstKey < 0)) continue;
    const list = byDevice.get(key);
    if (list) list.push(ep);
    else byDevice.set(key, [ep]);
    if (changed.has(key)) continue;
    if (
      ep.reported === 0 ||
      hasNew(rows, ep) ||
      (opts.refreshDue && (ep.last > ep.reported || hasGrown(rows, ep)))
    )
      changed.add(key);
  }

  const marks: { row: number; count: number }[] = [];
  const seenMarks: { ep: Endpoint; last: number }[] = [];
  let unsendable = 0;
  const build = (key: string): WireDevice => {
    const eps = byDevice.get(key)!;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    const deltas = new Map<
      string,
      { key: ObservationKey; value: ObservationValue; row: number; delta: number; parts: number[] }
    >();
    const all = new Map<ObservationKey, Set<ObservationValue>>();
    for (const ep of eps) {
      first = Math.min(first, ep.first);
      last = Math.max(last, ep.last);
      seenMarks.push({ ep, last: ep.last });
      for (let head = ep.firstKey; head >= 0; head = rows.nextKey(head)) {
        const k = store.keyOf(head);
        let set = all.get(k);
        if (!set) {
          set = new Set();
          all.set(k, set);
        }
        for (let r = head; r >= 0; r = rows.next(r)) {
          const v = rows.value(r);
          set.add(v);
          const count = rows.count(r);
          const sent = rows.sent(r);
          if (count <= sent) continue;
          const id = `${k}\u0000${typeof v}\u0000${v}\u0000${rows.source(r)}`;
          const d = deltas.get(id);
          if (d) {
            d.delta += count - sent;
            d.parts.push(r);
          } else deltas.set(id, { key: k, value: v, row: r, delta: count - sent, parts: [r] });
        }
      }
    }
    const observations: WireDevice['observations'] = [];
    const ordered = [...deltas.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const d of ordered) {
      if (observations.length >= WIRE_LIMITS.evidencePerDevice) break; // the rest go next time
      const value = d.value;
      if (typeof value === 'string' ? value.length > WIRE_LIMITS.text : !Number.isFinite(value)) {
        unsendable++;
        for (const r of d.parts) marks.push({ row: r, count: rows.count(r) });
        continue;
      }
      let f0 = Number.POSITIVE_INFINITY;
      let l0 = 0;
      for (const r of d.parts) {
        f0 = Math.min(f0, rows.first(r));
        l0 = Math.max(l0, rows.last(r));
        marks.push({ row: r, count: rows.count(r) });
      }
      observations.push({
        key: d.key,
        value,
        source: rows.source(d.row),
        count: d.delta,
        firstSeen: iso(f0),
        lastSeen: iso(l0),
      });
    }
    const text = (k: ObservationKey) => [...(all.get(k) ?? [])].map(String);
    const keep = <T>(list: T[], ok: (x: T) => boolean, cap: number): T[] => {
      const out = list.filter(ok);
      unsendable += list.length - out.length;
      return out.slice(0, cap);
    };
    const mac = key.startsWith('mac:') ? key.slice(4) : null;
    return {
      id: key,
      mac,
      ips: keep([...(addresses.get(key) ?? [])].sort(), (ip) => IP.test(ip), WIRE_LIMITS.addressesPerDevice),
      hostnames: keep(
        [...new Set(NAME_KEYS.flatMap(text))].sort(),
        (h) => h.length >= 1 && h.length <= WIRE_LIMITS.name,
        WIRE_LIMITS.namesPerDevice,
      ),
      vlans: keep(
        [...new Set(text('net.vlan').map((v) => Number(v.split('.')[0])))].sort((a, b) => a - b),
        (v) => Number.isInteger(v) && v >= 0 && v <= 4095,
        16,
      ),
      services: keep(text('net.service').sort(), (s) => SERVICE.test(s), WIRE_LIMITS.servicesPerDevice),
      roles: keep(text('ot.role').sort(), (r) => ROLE.test(r), 64),
      firstSeen: iso(Number.isFinite(first) ? first : last),
      lastSeen: iso(last),
      observations,
    };
  };
  let built: WireDevice[] | null = null;
  return {
    changed: changed.size,
    *chunks(size: number) {
      // Each pass builds everything anew: what commit() marks is what this pass produced.
      marks.length = 0;
      seenMarks.length = 0;
      unsendable = 0;
      let chunk: WireDevice[] = [];
      for (const key of changed) {
        chunk.push(build(key));
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    },
    get devices() {
      built ??= [...this.chunks(Number.POSITIVE_INFINITY)].flat();
      return built;
    },
    deviceOf,
    get unsendable() {
      return unsendable;
    },
    commit() {
      for (const m of marks) rows.markSent(m.row, m.count);
      for (const s of seenMarks) s.ep.reported = Math.max(s.last, 1);
    },
  };
}

function hasNew(rows: FactRows, ep: Endpoint): boolean {
  for (let head = ep.firstKey; head >= 0; head = rows.nextKey(head))
    for (let r = head; r >= 0; r = rows.next(r)) if (rows.sent(r) === 0) return true;
  return false;
}

function hasGrown(rows: FactRows, ep: Endpoint): boolean {
  for (let head = ep.firstKey; head >= 0; head = rows.nextKey(head))
    for (let r = head; r >= 0; r = rows.next(r)) if (rows.count(r) > rows.sent(r)) return true;
  return false;
}

/** Whether an endpoint may be freed: long unseen and everything about it reported. */
export function fullyReported(store: EvidenceStore, ep: Endpoint): boolean {
  if (ep.reported === 0 || ep.last > ep.reported) return false;
  return !hasGrown(store.rows, ep);
}

/** A drained connection row in wire form (device from the same moment's assignment), or null. */
export function wireConnection(
  row: ConnectionAgg,
  deviceOf: readonly (string | undefined)[],
  names: ReadonlyMap<string, ReadonlySet<string>>,
): WireConnection | null {
  const device = deviceOf[row.endpoint];
  if (!device || !IP.test(row.remoteIp)) return null;
  return {
    device,
    remoteIp: row.remoteIp,
    direction: row.direction,
    remotePort: row.remotePort,
    localPort: row.localPort,
    proto: row.proto,
    // The collector decides geography from its own data.
    country: null,
    asn: null,
    asOrg: null,
    provider: null,
    providerKind: null,
    names: [...(names.get(row.remoteIp) ?? [])]
      .filter((n) => n.length >= 1 && n.length <= WIRE_LIMITS.name)
      .sort()
      .slice(0, WIRE_LIMITS.namesPerConnection),
    packets: row.packets,
    bytes: row.bytes,
    firstSeen: iso(row.first),
    lastSeen: iso(row.last),
  };
}
