// Pure steps of ingest: check a batch beyond its schema (all or nothing), fold raw observations
// into devices, and merge what a batch says about a device into what is stored.
import type { Identity, ObservationSummary } from '../../core/inventory.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../core/net/ip.js';
import { isObservationKey } from '../../core/observation-keys.js';
import type { Batch, WireConnection } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import { ApiError } from '../errors.js';
import type { SeenFacts } from '../repos/ingest-repo.js';

/** Caps on what one device accumulates across batches (a hostile agent cannot grow a row forever). */
export const DEVICE_CAPS = { evidence: 2_000, ips: 64, hostnames: 64, vlans: 16, services: 256, roles: 64 };
const SEARCH_MAX = 4_096;
const NAMES_PER_CONNECTION = 32;

/** A device as a batch describes it: the seen facts (the search text is made when merged with the stored device, mergeSeen), its evidence. */
export interface PendingDevice extends Omit<SeenFacts, 'search'> {
  key: string;
  evidence: ObservationSummary[];
}

export interface PreparedBatch {
  devices: Map<string, PendingDevice>;
  connections: WireConnection[];
  unknownKeys: number;
}

function invalid(detail: string): ApiError {
  return new ApiError('OM_ERR_INGEST_INVALID', [detail]);
}

/** Canonical text of an IPv4/IPv6 address, or null. */
export function canonicalIp(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return formatIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 && !text.includes('%') ? formatIpv6(v6) : null;
}

// Canonical Date#toISOString text: taken as is (the common case, ~20 per device) without Date.parse.
const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function iso(text: string, where: string): string {
  if (CANONICAL_ISO.test(text)) return text;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(`${where}: not a valid time`);
  const out = new Date(ms).toISOString();
  // Date.parse rolls "02-30" over into March: a day that does not exist is refused, not moved.
  if (
    text.slice(0, 10) !== out.slice(0, 10) &&
    /^\d{4}-\d{2}-\d{2}T/.test(text) &&
    !/[+-]\d{2}:?\d{2}$/.test(text)
  ) {
    throw invalid(`${where}: not a valid time`);
  }
  return out;
}

function window(first: string, last: string, where: string): [string, string] {
  const a = iso(first, `${where}/firstSeen`);
  const b = iso(last, `${where}/lastSeen`);
  if (a > b) throw invalid(`${where}: firstSeen is after lastSeen`);
  return [a, b];
}

function deviceKey(id: string, where: string): string {
  if (id.startsWith('mac:')) return id;
  const ip = canonicalIp(id.slice(3));
  if (!ip) throw invalid(`${where}: "${id}" is not a device key`);
  return `ip:${ip}`;
}

/** Checks what the schema cannot and reshapes the batch per device. Throws before any write. */
export function prepareBatch(batch: Batch): PreparedBatch {
  const devices = new Map<string, PendingDevice>();
  let unknownKeys = 0;
  batch.devices.forEach((d, i) => {
    const where = `/devices/${i}`;
    const key = deviceKey(d.id, where);
    if (devices.has(key)) throw invalid(`${where}: device ${key} appears twice in the batch`);
    if (key.startsWith('mac:') && d.mac !== key.slice(4)) throw invalid(`${where}: mac does not match id`);
    const [firstSeen, lastSeen] = window(d.firstSeen, d.lastSeen, where);
    const ips = d.ips.map((ip, j) => canonicalIp(ip) ?? throwInvalid(`${where}/ips/${j}: not an IP address`));
    const evidence: ObservationSummary[] = [];
    d.observations.forEach((o, j) => {
      if (!isObservationKey(o.key)) {
        unknownKeys++;
        return;
      }
      const [f, l] = window(o.firstSeen, o.lastSeen, `${where}/observations/${j}`);
      evidence.push({
        key: o.key,
        value: o.value,
        source: o.source,
        count: o.count,
        firstSeen: f,
        lastSeen: l,
      });
    });
    devices.set(key, {
      key,
      mac: d.mac,
      ips,
      hostnames: d.hostnames,
      vlans: d.vlans,
      services: d.services,
      roles: d.roles,
      firstSeen,
      lastSeen,
      // Repeats inside the batch are merged with the stored evidence, in one pass, when written.
      evidence,
    });
  });

  // Raw observations: fold each into its device (by MAC, else by IP) as a one-count summary.
  batch.observations.forEach((o, i) => {
    const where = `/observations/${i}`;
    const ip = o.ip === undefined ? null : canonicalIp(o.ip);
    if (o.ip !== undefined && ip === null) throw invalid(`${where}/ip: not an IP address`);
    const key = o.mac ? `mac:${o.mac}` : ip ? `ip:${ip}` : throwInvalid(`${where}: neither mac nor ip`);
    if (!isObservationKey(o.key)) {
      unknownKeys++;
      return;
    }
    const at = iso(new Date(o.ts).toISOString(), `${where}/ts`);
    let d = devices.get(key);
    if (!d) {
      d = emptyDevice(key, o.mac ?? null, at);
      devices.set(key, d);
    }
    if (ip && !d.ips.includes(ip)) d.ips.push(ip);
    if (at < d.firstSeen) d.firstSeen = at;
    if (at > d.lastSeen) d.lastSeen = at;
    d.evidence.push({ key: o.key, value: o.value, source: o.source, count: 1, firstSeen: at, lastSeen: at });
  });

  const connections = batch.connections.map((c, i) => {
    const where = `/connections/${i}`;
    const remoteIp = canonicalIp(c.remoteIp);
    if (!remoteIp) throw invalid(`${where}/remoteIp: not an IP address`);
    const [firstSeen, lastSeen] = window(c.firstSeen, c.lastSeen, where);
    return { ...c, device: deviceKey(c.device, `${where}/device`), remoteIp, firstSeen, lastSeen };
  });
  return { devices, connections, unknownKeys };
}

function throwInvalid(detail: string): never {
  throw invalid(detail);
}

export function emptyDevice(key: string, mac: string | null, at: string): PendingDevice {
  const ip = key.startsWith('ip:') ? [key.slice(3)] : [];
  return {
    key,
    mac,
    ips: ip,
    hostnames: [],
    vlans: [],
    services: [],
    roles: [],
    firstSeen: at,
    lastSeen: at,
    evidence: [],
  };
}

const evidenceId = (e: ObservationSummary) =>
  `${e.key}\u0000${typeof e.value}\u0000${e.value}\u0000${e.source}`;

/** Up to this many stored and incoming facts are folded by comparing them, with no id strings. */
const FOLD_BY_SCAN = 32;

/**
 * Adds incoming summaries to stored ones: counts sum, windows widen. New distinct facts beyond
 * `cap` are dropped and counted (the device keeps what it had). Inputs are never modified: an
 * entry is copied when it first merges, so a new device's facts (no repeats) are not copied.
 */
export function foldEvidence(
  stored: readonly ObservationSummary[],
  incoming: readonly ObservationSummary[],
  cap = DEVICE_CAPS.evidence,
): { merged: ObservationSummary[]; added: ObservationSummary[]; capped: number } {
  // A device's typical handful of facts: a scan costs less than building an id per fact (GC).
  if (stored.length + incoming.length <= FOLD_BY_SCAN) return foldByScan(stored, incoming, cap);
  const byId = new Map<string, ObservationSummary>();
  for (const e of stored) byId.set(evidenceId(e), { ...e });
  const added: ObservationSummary[] = [];
  let capped = 0;
  for (const e of incoming) {
    const id = evidenceId(e);
    const have = byId.get(id);
    if (have) widen(have, e);
    else if (byId.size >= cap) {
      capped++;
      continue;
    } else {
      byId.set(id, { ...e });
    }
    added.push(e);
  }
  return { merged: [...byId.values()], added, capped };
}

function foldByScan(
  stored: readonly ObservationSummary[],
  incoming: readonly ObservationSummary[],
  cap: number,
): { merged: ObservationSummary[]; added: ObservationSummary[]; capped: number } {
  const merged = stored.slice();
  // Which entries of `merged` are copies of ours (merged into), as opposed to the caller's objects.
  const own: boolean[] = new Array<boolean>(merged.length).fill(false);
  const added: ObservationSummary[] = [];
  let capped = 0;
  for (const e of incoming) {
    let i = 0;
    // Same fact: what evidenceId tells apart (a number and its text are different values).
    while (i < merged.length && !sameFact(merged[i]!, e)) i++;
    if (i < merged.length) {
      if (!own[i]) {
        merged[i] = { ...merged[i]! };
        own[i] = true;
      }
      widen(merged[i]!, e);
    } else if (merged.length >= cap) {
      capped++;
      continue;
    } else {
      merged.push(e);
      own.push(false);
    }
    added.push(e);
  }
  return { merged, added, capped };
}

function sameFact(a: ObservationSummary, b: ObservationSummary): boolean {
  return a.key === b.key && a.value === b.value && a.source === b.source;
}

function widen(have: ObservationSummary, e: ObservationSummary): void {
  // Saturates as the store does (server/repos/evidence-rows.ts): two safe integers add up exactly.
  have.count = Math.min(have.count + e.count, WIRE_LIMITS.counter);
  if (e.firstSeen < have.firstSeen) have.firstSeen = e.firstSeen;
  if (e.lastSeen > have.lastSeen) have.lastSeen = e.lastSeen;
}

/** Up to this many stored and incoming entries are united by scanning (a device's usual few). */
const UNION_BY_SCAN = 32;

/**
 * Union keeping order; beyond `cap` the oldest entries go (addresses change, the newest matter).
 * Past UNION_BY_SCAN entries a Set answers membership: scanning made it quadratic, and a batch of
 * 5,000 devices each adding 256 new services to 256 stored ones spent ~0.5 s of its 1.3 s here.
 */
export function union<T>(stored: readonly T[], incoming: readonly T[], cap: number): T[] {
  const out = [...stored];
  if (stored.length + incoming.length <= UNION_BY_SCAN) {
    for (const x of incoming) if (!out.includes(x)) out.push(x);
  } else {
    const have = new Set(out);
    for (const x of incoming) {
      if (have.has(x)) continue;
      have.add(x);
      out.push(x);
    }
  }
  return out.length > cap ? out.slice(out.length - cap) : out;
}

/**
 * Lower-cased names and text evidence: what ?q= searches. Data only, never a pattern. The evidence
 * part is sorted: the same facts give the same text whatever order they came in (a batch's order
 * when new, the store's when merged), so a re-report that adds nothing changes nothing — the device
 * row and the search index alike (server/db/search-indexer.ts re-indexes every changed text).
 */
export function searchText(hostnames: readonly string[], evidence: readonly ObservationSummary[]): string {
  const parts = new Set<string>();
  for (const h of hostnames) parts.add(h.toLowerCase());
  const values: string[] = [];
  for (const e of evidence) if (typeof e.value === 'string') values.push(e.value.toLowerCase());
  values.sort();
  for (const v of values) parts.add(v);
  let text = '';
  for (const p of parts) {
    if (text.length + p.length + 1 > SEARCH_MAX) break;
    text += `${p}\n`;
  }
  return text;
}

export function mergeSeen(
  stored: SeenFacts | undefined,
  d: PendingDevice,
  evidence: ObservationSummary[],
): SeenFacts {
  const hostnames = union(stored?.hostnames ?? [], d.hostnames, DEVICE_CAPS.hostnames);
  return {
    mac: d.mac ?? stored?.mac ?? null,
    ips: union(stored?.ips ?? [], d.ips, DEVICE_CAPS.ips),
    hostnames,
    vlans: union(stored?.vlans ?? [], d.vlans, DEVICE_CAPS.vlans),
    services: union(stored?.services ?? [], d.services, DEVICE_CAPS.services),
    roles: union(stored?.roles ?? [], d.roles, DEVICE_CAPS.roles),
    firstSeen: stored && stored.firstSeen < d.firstSeen ? stored.firstSeen : d.firstSeen,
    lastSeen: stored && stored.lastSeen > d.lastSeen ? stored.lastSeen : d.lastSeen,
    search: searchText(hostnames, evidence),
  };
}

/** Field by field (what comparing their JSON texts did, without building them). */
export function sameSeen(a: SeenFacts, b: SeenFacts): boolean {
  return (
    a.mac === b.mac &&
    a.firstSeen === b.firstSeen &&
    a.lastSeen === b.lastSeen &&
    a.search === b.search &&
    sameList(a.ips, b.ips) &&
    sameList(a.hostnames, b.hostnames) &&
    sameList(a.vlans, b.vlans) &&
    sameList(a.services, b.services) &&
    sameList(a.roles, b.roles)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The decided fields of an identity: a change in any of them is recorded in the history. */
export function decided(i: Identity): Record<string, unknown> {
  return {
    vendor: i.vendor,
    vendorCountry: i.vendorCountry,
    vendorParent: i.vendorParent,
    watchlists: i.watchlists,
    registrant: i.registrant,
    registrantCountry: i.registrantCountry,
    randomizedMac: i.randomizedMac,
    class: i.class,
    model: i.model,
    firmware: i.firmware,
    os: i.os,
  };
}

export function mergeNames(stored: readonly string[], incoming: readonly string[]): string[] {
  return union(stored, incoming, NAMES_PER_CONNECTION);
}
