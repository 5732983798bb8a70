// Aggregates observations per endpoint (a MAC, an IP, or the pair seen together) over a whole run:
// each distinct key/value once, with a count and first/last seen. Bounded: endpoints, values per
// key and names per address are capped, and what the caps drop is counted. A long-running agent
// also marks what it has reported (Fact.sent, Endpoint.reported) and evicts long-unseen endpoints.
import type { ObservationSource, ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';

export interface Fact {
  count: number;
  first: number;
  last: number;
  source: ObservationSource;
  /** How much of `count` the agent has already reported (0 for `analyze`, which reports once). */
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
 * Facts the engine records once per flow (TTL, VLAN, SYN layout, services): a small per-endpoint
 * memo of the last value per slot turns the common repeat into a counter bump (no Map lookups).
 */
export const HOT = { TTL: 0, VLAN: 1, SYN: 2, SYN_ACK: 3, SERVICE: 4 } as const;
const HOT_SLOTS = 5;

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
  readonly facts = new Map<ObservationKey, Map<ObservationValue, Fact>>();
  hotValue: (ObservationValue | undefined)[] | null = null;
  hotFact: (Fact | undefined)[] | null = null;
  /** A small-integer digest of the value in each hot slot, for callers that can skip building the text. */
  hotHash: Int32Array | null = null;
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
  readonly #byKey = new Map<string, Endpoint>();
  readonly #limits: EvidenceLimits;

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
    return ep;
  }

  /**
   * Counts another sighting of the value last recorded in `slot` when `hash` says it is that value
   * again; false when it is not (build the value and call recordHot with the hash).
   */
  bumpHot(ep: Endpoint, slot: number, hash: number, ts: number): boolean {
    if (ep.hotHash === null || ep.hotHash[slot] !== hash || ep.hotFact === null) return false;
    const fact = ep.hotFact[slot];
    if (!fact) return false;
    fact.count++;
    if (ts > fact.last) fact.last = ts;
    if (ts < fact.first) fact.first = ts;
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
    if (ep.hotValue !== null && ep.hotValue[slot] === value) {
      const fact = ep.hotFact![slot]!;
      fact.count++;
      if (ts > fact.last) fact.last = ts;
      if (ts < fact.first) fact.first = ts;
      ep.seen(ts);
      return;
    }
    const fact = this.record(ep, key, value, ts);
    if (!fact) return;
    ep.hotValue ??= new Array(HOT_SLOTS);
    ep.hotFact ??= new Array(HOT_SLOTS);
    ep.hotValue[slot] = value;
    ep.hotFact[slot] = fact;
    ep.hotHash ??= new Int32Array(HOT_SLOTS).fill(-1);
    ep.hotHash[slot] = hash;
  }

  /** Adds one sighting of a fact; returns it (undefined when empty or over the per-key cap). */
  record(
    ep: Endpoint,
    key: ObservationKey,
    value: ObservationValue,
    ts: number,
    source: ObservationSource = 'passive',
  ): Fact | undefined {
    if (typeof value === 'string' && value.length === 0) return undefined;
    ep.seen(ts);
    let values = ep.facts.get(key);
    if (!values) {
      values = new Map();
      ep.facts.set(key, values);
    }
    const fact = values.get(value);
    if (fact) {
      fact.count++;
      if (ts < fact.first) fact.first = ts;
      if (ts > fact.last) fact.last = ts;
      return fact;
    }
    const cap = WIDE_KEYS.has(key) ? this.#limits.maxValuesPerKey * 4 : this.#limits.maxValuesPerKey;
    if (values.size >= cap) {
      this.#drop(`values:${key}`);
      return undefined;
    }
    const created: Fact = { count: 1, first: ts, last: ts, source, sent: 0 };
    values.set(value, created);
    return created;
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
        continue;
      }
      remap[ep.id] = n;
      ep.id = n;
      this.endpoints[n++] = ep;
    }
    this.endpoints.length = n;
    return { remap, evicted };
  }

  #drop(what: string): void {
    this.dropped[what] = (this.dropped[what] ?? 0) + 1;
  }
}
