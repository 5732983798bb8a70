// Aggregates observations per endpoint (a MAC, an IP, or the pair seen together) over a whole run:
// each distinct key/value once, with a count and first/last seen. Bounded: endpoints, values per
// key and names per address are capped, and what the caps drop is counted. A long-running agent
// also marks what it has reported (FactRows.sent, Endpoint.reported) and evicts long-unseen endpoints.
// Facts are rows of FactRows (fact-rows.ts): an endpoint maps each key to the first row of its values.
import type { ObservationSource, ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { FactRows } from './fact-rows.js';

/** One fact read out of the store (factsOf); the store itself keeps facts as rows. */
export interface FactView {
  value: ObservationValue;
  count: number;
  first: number;
  last: number;
  source: ObservationSource;
  /** How much of `count` the agent has already reported. */
  sent: number;
}

export interface EvidenceLimits {
  /** Endpoints kept (default 262144); later ones are counted, not stored. */
  maxEndpoints: number;
  /** Distinct values kept per key per endpoint (default 64; dns.query and tls.sni get 4×). */
  maxValuesPerKey: number;
  /** Names kept per remote address (default 16). */
  maxNamesPerAddress: number;
  /** Remote addresses with names kept (default 262144); beyond it the oldest-named address is forgotten. */
  maxNamedAddresses: number;
}

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = {
  maxEndpoints: 262_144,
  maxValuesPerKey: 64,
  maxNamesPerAddress: 16,
  maxNamedAddresses: 262_144,
};

const WIDE_KEYS = new Set<ObservationKey>(['dns.query', 'tls.sni', 'http.host', 'mdns.txt', 'mdns.service']);

/**
 * Facts the engine records once per flow (TTL, VLAN, SYN layout, services): the row last recorded
 * in each slot of an endpoint turns the common repeat into a counter bump (no Map lookup, no scan).
 */
export const HOT = { TTL: 0, VLAN: 1, SYN: 2, SYN_ACK: 3, SERVICE: 4 } as const;
const HOT_SLOTS = 5;
/**
 * Endpoints the hot slots first have room for (doubling after). Small on purpose: the first
 * doublings then happen while endpoint() still runs in V8's interpreter, which records the call; at
 * 1024 the first one came after endpoint() was optimised (inlined into the flow recorder), and met
 * cold, it sent that code back to the compiler.
 */
const HOT_START = 64;

export class Endpoint {
  first = Number.POSITIVE_INFINITY;
  last = 0;
  /** `last` when the agent last reported this endpoint (0: never reported). */
  reported = 0;
  /**
   * Whether this endpoint itself sent something. An address only ever sent to (a scan target, a
   * subnet broadcast in a capture without link headers) proves no device exists there.
   */
  sent = false;
  /**
   * The first row of the values of this endpoint's first key in EvidenceStore.rows (-1: no facts);
   * the keys follow in the order they were first recorded (rows.nextKey), `lastKey` is the last.
   */
  firstKey = -1;
  lastKey = -1;
  constructor(
    /** Index in EvidenceStore.endpoints (renumbered when endpoints are evicted). */
    public id: number,
    /** Lower-case colon MAC of a unicast station, or null. */
    readonly mac: string | null,
    /** Address text, or null (link-layer facts, DHCP before an address). */
    readonly ip: string | null,
  ) {}

  seen(ts: number): void {
    if (ts < this.first) this.first = ts;
    if (ts > this.last) this.last = ts;
  }
}

export class EvidenceStore {
  readonly endpoints: Endpoint[] = [];
  readonly dropped: Record<string, number> = {};
  /** Remote address → names seen for it (DNS answers, TLS SNI, HTTP Host), with how. */
  readonly names = new Map<string, Set<string>>();
  /** Every endpoint's facts (read them here: value, count, first, last, source, sent, next). */
  readonly rows = new FactRows();
  readonly #byKey = new Map<string, Endpoint>();
  /** Observation key → its number in rows.key(), and back. */
  readonly #keyNumbers = new Map<ObservationKey, number>();
  readonly #keyNames: ObservationKey[] = [];
  readonly #limits: EvidenceLimits;
  /** Per endpoint id × HOT slot: the row last recorded in the slot (-1: none) and the caller's digest of it. */
  #hotRow = new Int32Array(0);
  #hotHash = new Int32Array(0);

  constructor(limits: Partial<EvidenceLimits> = {}) {
    this.#limits = { ...DEFAULT_EVIDENCE_LIMITS, ...limits };
  }

  /** The endpoint for a MAC/IP pair, created on first use; null when the cap is reached. */
  endpoint(mac: string | null, ip: string | null): Endpoint | null {
    const key = `${mac ?? ''}|${ip ?? ''}`;
    let ep = this.#byKey.get(key);
    if (ep) return ep;
    if (this.endpoints.length >= this.#limits.maxEndpoints) {
      this.#drop('endpoints');
      return null;
    }
    ep = new Endpoint(this.endpoints.length, mac, ip);
    this.endpoints.push(ep);
    this.#byKey.set(key, ep);
    const end = this.endpoints.length * HOT_SLOTS;
    if (end > this.#hotRow.length) this.#growHot(end);
    this.#hotRow.fill(-1, end - HOT_SLOTS, end);
    this.#hotHash.fill(-1, end - HOT_SLOTS, end);
    return ep;
  }

  /** The first row of the values of `key` on `ep` (walk on with rows.next), or -1. */
  head(ep: Endpoint, key: ObservationKey): number {
    const n = this.keyNumber(key);
    return n < 0 ? -1 : this.rows.findKey(ep.firstKey, n);
  }

  /** The number of `key` (as rows.key gives it, an index of `keys`), or -1 when it was never recorded. */
  keyNumber(key: ObservationKey): number {
    return this.#keyNumbers.get(key) ?? -1;
  }

  /** The key of the values whose chain starts at `head` (a row from ep.firstKey / rows.nextKey). */
  keyOf(head: number): ObservationKey {
    return this.#keyNames[this.rows.key(head)]!;
  }

  /** Every key recorded so far. */
  get keys(): readonly ObservationKey[] {
    return this.#keyNames;
  }

  /** The row of one value of `key` on `ep`, or -1. */
  find(ep: Endpoint, key: ObservationKey, value: ObservationValue): number {
    const head = this.head(ep, key);
    return head < 0 ? -1 : this.rows.find(head, value);
  }

  /** The facts of `key` on `ep` as plain records, in insertion order (tests, diagnostics: not for hot paths). */
  factsOf(ep: Endpoint, key: ObservationKey): FactView[] {
    const rows = this.rows;
    const out: FactView[] = [];
    for (let r = this.head(ep, key); r >= 0; r = rows.next(r)) {
      out.push({
        value: rows.value(r),
        count: rows.count(r),
        first: rows.first(r),
        last: rows.last(r),
        source: rows.source(r),
        sent: rows.sent(r),
      });
    }
    return out;
  }

  /**
   * Counts another sighting of the value last recorded in `slot` when `hash` says it is that value
   * again; false when it is not (build the value and call recordHot with the hash).
   */
  bumpHot(ep: Endpoint, slot: number, hash: number, ts: number): boolean {
    const i = ep.id * HOT_SLOTS + slot;
    const row = this.#hotRow[i]!;
    if (row < 0 || this.#hotHash[i] !== hash) return false;
    this.rows.bump(row, ts);
    ep.seen(ts);
    return true;
  }

  /** record() for the per-flow facts of HOT: the same value as last time in this slot is a bump. */
  recordHot(
    ep: Endpoint,
    slot: number,
    key: ObservationKey,
    value: ObservationValue,
    ts: number,
    hash = 0,
  ): void {
    const i = ep.id * HOT_SLOTS + slot;
    const hot = this.#hotRow[i]!;
    if (hot >= 0 && this.rows.value(hot) === value) {
      this.rows.bump(hot, ts);
      ep.seen(ts);
      return;
    }
    const row = this.record(ep, key, value, ts);
    if (row < 0) return;
    this.#hotRow[i] = row;
    this.#hotHash[i] = hash;
  }

  /** Adds one sighting of a fact; returns its row (-1 when empty or over the per-key cap). */
  record(
    ep: Endpoint,
    key: ObservationKey,
    value: ObservationValue,
    ts: number,
    source: ObservationSource = 'passive',
  ): number {
    if (typeof value === 'string' && value.length === 0) return -1;
    ep.seen(ts);
    const rows = this.rows;
    const n = this.#keyNumbers.get(key) ?? this.#numberKey(key);
    const head = rows.findKey(ep.firstKey, n);
    if (head < 0) {
      if (this.#limits.maxValuesPerKey <= 0) return this.#tooMany(key);
      const row = rows.start(n, ep.lastKey, value, ts, source);
      if (ep.firstKey < 0) ep.firstKey = row;
      ep.lastKey = row;
      return row;
    }
    const row = rows.find(head, value);
    if (row >= 0) {
      rows.bump(row, ts);
      return row;
    }
    return this.#append(head, key, value, ts, source);
  }

  /**
   * record() for a value new to a key the endpoint has: appended while under the key's cap. A
   * method of its own: ~12 % of records, rare enough that TurboFan keeps it out of record's code,
   * which is compiled into every caller that inlines record.
   */
  #append(
    head: number,
    key: ObservationKey,
    value: ObservationValue,
    ts: number,
    source: ObservationSource,
  ): number {
    // One load on either branch: V8 compiled this before the first new value of a wide key, and a
    // field load met cold there sent it back to the compiler.
    const cap = this.#limits.maxValuesPerKey * (WIDE_KEYS.has(key) ? 4 : 1);
    if (this.rows.length(head) >= cap) return this.#tooMany(key);
    return this.rows.append(head, value, ts, source);
  }

  /** A key's number, given the first time the key is recorded. */
  #numberKey(key: ObservationKey): number {
    const n = this.#keyNames.push(key) - 1;
    this.#keyNumbers.set(key, n);
    return n;
  }

  nameAddress(ip: string, rawName: string): void {
    const name = rawName.toLowerCase();
    let set = this.names.get(ip);
    if (!set) {
      set = new Set();
      this.names.set(ip, set);
    }
    if (set.has(name)) return;
    if (set.size >= this.#limits.maxNamesPerAddress) this.#drop('names');
    else set.add(name);
    if (this.names.size > this.#limits.maxNamedAddresses) {
      // Insertion order: the address named longest ago goes first.
      const oldest = this.names.keys().next().value;
      if (oldest !== undefined) this.names.delete(oldest);
      this.#drop('named_addresses');
    }
  }

  /**
   * Drops the endpoints `keep` refuses and renumbers the rest (ids stay dense, so the flow recorder's
   * typed arrays keep working). Returns old id → new id (-1 for an evicted endpoint) and the evicted.
   */
  evict(keep: (ep: Endpoint) => boolean): { remap: Int32Array; evicted: Endpoint[] } {
    const remap = new Int32Array(this.endpoints.length).fill(-1);
    const evicted: Endpoint[] = [];
    let n = 0;
    for (const ep of this.endpoints) {
      if (!keep(ep)) {
        evicted.push(ep);
        this.#byKey.delete(`${ep.mac ?? ''}|${ep.ip ?? ''}`);
        this.rows.freeKeys(ep.firstKey);
        ep.firstKey = -1;
        ep.lastKey = -1;
        continue;
      }
      remap[ep.id] = n;
      // Ids only move down, so the hot slots move down in place.
      this.#hotRow.copyWithin(n * HOT_SLOTS, ep.id * HOT_SLOTS, (ep.id + 1) * HOT_SLOTS);
      this.#hotHash.copyWithin(n * HOT_SLOTS, ep.id * HOT_SLOTS, (ep.id + 1) * HOT_SLOTS);
      ep.id = n;
      this.endpoints[n++] = ep;
    }
    this.endpoints.length = n;
    return { remap, evicted };
  }

  #tooMany(key: ObservationKey): number {
    this.#drop(`values:${key}`);
    return -1;
  }

  #growHot(end: number): void {
    const size = Math.max(end, this.#hotRow.length * 2, HOT_START * HOT_SLOTS);
    const rows = new Int32Array(size);
    rows.set(this.#hotRow);
    this.#hotRow = rows;
    const hashes = new Int32Array(size);
    hashes.set(this.#hotHash);
    this.#hotHash = hashes;
  }

  #drop(what: string): void {
    this.dropped[what] = (this.dropped[what] ?? 0) + 1;
  }
}
