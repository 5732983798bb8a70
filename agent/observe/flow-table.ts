// The flow table: 5-tuples → flow ids in typed arrays (open addressing, linear probing with
// backward-shift deletion) plus an LRU list for idle and capacity eviction. Both directions of a
// conversation share one flow: the key is stored in canonical order (lower endpoint first).
// Per-packet work allocates nothing; a Map with string keys measured 3× slower here.
import type { PacketInfo } from '../decode/packet-info.js';

/** Words per stored key: two 16-byte addresses, the ports, and protocol/version. */
const KEY_WORDS = 10;
const EMPTY = -1;

export interface FlowTableOptions {
  /** Most flows held at once; the least recently used is evicted beyond it (default 65536). */
  maxFlows: number;
}

export const DEFAULT_MAX_FLOWS = 65_536;

/**
 * A flow moves to the front of the LRU list at most once per this many ms of capture time: bulk
 * transfers then cost no list surgery per packet, and eviction order is exact to within it.
 */
export const LRU_GRANULARITY_MS = 1000;

export class FlowTable {
  readonly maxFlows: number;
  /** Per flow: first and last packet time (ms). */
  readonly firstTs: Float64Array;
  readonly lastTs: Float64Array;
  /** Per flow and direction (id*2 + dir): packets and bytes. Direction 0 is the canonical first endpoint. */
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  /** After lookup(): whether the packet's source is the canonical second endpoint (1) or first (0). */
  dir = 0;
  /** After lookup(): whether the flow was created by this packet. */
  created = false;
  /** Live flows. */
  size = 0;

  readonly #slots: Int32Array;
  readonly #mask: number;
  readonly #keys: Uint32Array;
  readonly #hashes: Uint32Array;
  readonly #slotOf: Int32Array;
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  readonly #touchedAt: Float64Array;
  #head = EMPTY; // most recently used
  #tail = EMPTY; // least recently used
  readonly #free: Int32Array;
  #freeTop: number;
  // Scratch key of the current packet, canonical order.
  readonly #k = new Uint32Array(KEY_WORDS);

  /**
   * `clock[0]` is the current packet's time (ms), read by lookup(): passing a double as an argument
   * would box it into a new heap number per packet.
   */
  constructor(
    opts: Partial<FlowTableOptions> = {},
    readonly clock: Float64Array = new Float64Array(1),
  ) {
    const max = opts.maxFlows ?? DEFAULT_MAX_FLOWS;
    if (!Number.isInteger(max) || max < 16 || max > 16_777_216)
      throw new RangeError(`maxFlows ${max} out of range`);
    this.maxFlows = max;
    let slots = 1;
    while (slots < max * 2) slots <<= 1;
    this.#slots = new Int32Array(slots).fill(EMPTY);
    this.#mask = slots - 1;
    this.#keys = new Uint32Array(max * KEY_WORDS);
    this.#hashes = new Uint32Array(max);
    this.#slotOf = new Int32Array(max);
    this.#prev = new Int32Array(max);
    this.#next = new Int32Array(max);
    this.#touchedAt = new Float64Array(max);
    this.firstTs = new Float64Array(max);
    this.lastTs = new Float64Array(max);
    this.packets = new Float64Array(max * 2);
    this.bytes = new Float64Array(max * 2);
    this.#free = new Int32Array(max);
    for (let i = 0; i < max; i++) this.#free[i] = max - 1 - i;
    this.#freeTop = max;
  }

  /** The flow id of the packet's 5-tuple, or -1 when the table is full (evict first). Sets dir/created. */
  lookup(info: PacketInfo): number {
    const ts = this.clock[0]!;
    const buf = info.buf;
    const sp = info.srcPort;
    const dp = info.dstPort;
    const s = info.srcIpOff;
    const d = info.dstIpOff;
    const meta = info.ipProto | (info.ipVersion << 8);
    let h: number;
    let a0: number;
    let b0: number;
    let ports: number;
    if (info.ipVersion === 4) {
      // IPv4 fast path: compare and hash the two addresses as numbers, no scratch key.
      const src = ((buf[s]! << 24) | (buf[s + 1]! << 16) | (buf[s + 2]! << 8) | buf[s + 3]!) >>> 0;
      const dst = ((buf[d]! << 24) | (buf[d + 1]! << 16) | (buf[d + 2]! << 8) | buf[d + 3]!) >>> 0;
      const swap = src > dst || (src === dst && sp > dp);
      this.dir = swap ? 1 : 0;
      a0 = swap ? dst : src;
      b0 = swap ? src : dst;
      ports = swap ? ((dp << 16) | sp) >>> 0 : ((sp << 16) | dp) >>> 0;
      h = Math.imul(0x811c9dc5 ^ meta, 0x01000193);
      h = Math.imul(h ^ a0, 0x01000193);
      h = Math.imul(h ^ b0, 0x01000193);
    } else {
      const k = this.#k;
      let cmp = 0;
      for (let i = 0; i < 16 && cmp === 0; i++) cmp = buf[s + i]! - buf[d + i]!;
      if (cmp === 0) cmp = sp - dp;
      const swap = cmp > 0;
      this.dir = swap ? 1 : 0;
      const a = swap ? d : s;
      const b = swap ? s : d;
      h = Math.imul(0x811c9dc5 ^ meta, 0x01000193);
      for (let i = 0; i < 4; i++) {
        const o = a + i * 4;
        k[i] = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
        const q = b + i * 4;
        k[4 + i] = ((buf[q]! << 24) | (buf[q + 1]! << 16) | (buf[q + 2]! << 8) | buf[q + 3]!) >>> 0;
      }
      for (let i = 0; i < 8; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
      a0 = k[0]!;
      b0 = k[1]!;
      ports = swap ? ((dp << 16) | sp) >>> 0 : ((sp << 16) | dp) >>> 0;
    }
    h = Math.imul(h ^ ports, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h >>>= 0;

    const slots = this.#slots;
    const keys = this.#keys;
    const hashes = this.#hashes;
    const v6 = info.ipVersion !== 4;
    let slot = h & this.#mask;
    for (;;) {
      const id = slots[slot]!;
      if (id === EMPTY) break;
      if (hashes[id] === h) {
        const base = id * KEY_WORDS;
        if (
          keys[base + 8] === ports &&
          keys[base + 9] === meta &&
          (v6 ? this.#sameV6(base) : keys[base] === a0 && keys[base + 1] === b0)
        ) {
          this.created = false;
          if (ts - this.#touchedAt[id]! > LRU_GRANULARITY_MS && this.#head !== id) {
            this.#touchedAt[id] = ts;
            this.#unlink(id);
            this.#pushFront(id);
          }
          this.lastTs[id] = ts;
          return id;
        }
      }
      slot = (slot + 1) & this.#mask;
    }
    if (this.#freeTop === 0) return -1;
    const id = this.#free[--this.#freeTop]!;
    slots[slot] = id;
    this.#slotOf[id] = slot;
    hashes[id] = h;
    const base = id * KEY_WORDS;
    if (v6) keys.set(this.#k.subarray(0, 8), base);
    else {
      keys[base] = a0;
      keys[base + 1] = b0;
      for (let i = 2; i < 8; i++) keys[base + i] = 0;
    }
    keys[base + 8] = ports;
    keys[base + 9] = meta;
    this.firstTs[id] = ts;
    this.lastTs[id] = ts;
    this.#touchedAt[id] = ts;
    this.packets[id * 2] = 0;
    this.packets[id * 2 + 1] = 0;
    this.bytes[id * 2] = 0;
    this.bytes[id * 2 + 1] = 0;
    this.#pushFront(id);
    this.size++;
    this.created = true;
    return id;
  }

  #sameV6(base: number): boolean {
    const keys = this.#keys;
    const k = this.#k;
    for (let i = 0; i < 8; i++) if (keys[base + i] !== k[i]) return false;
    return true;
  }

  /** The least recently used flow, or -1. */
  oldest(): number {
    return this.#tail;
  }

  /** The next more recently used flow after `id`, or -1: oldest() then newer() walks every live flow. */
  newer(id: number): number {
    return this.#prev[id]!;
  }

  /** Removes a flow (after the caller has finished with its state). */
  remove(id: number): void {
    this.#unlink(id);
    // Backward-shift deletion keeps probe chains intact without tombstones.
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = this.#slotOf[id]!;
    let slot = (hole + 1) & mask;
    slots[hole] = EMPTY;
    for (;;) {
      const other = slots[slot]!;
      if (other === EMPTY) break;
      const home = this.#hashes[other]! & mask;
      // Move `other` into the hole unless its home lies cyclically in (hole, slot].
      const inRange = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (!inRange) {
        slots[hole] = other;
        this.#slotOf[other] = hole;
        slots[slot] = EMPTY;
        hole = slot;
      }
      slot = (slot + 1) & mask;
    }
    this.#free[this.#freeTop++] = id;
    this.size--;
  }

  /** Canonical key words of a flow (for building records when it ends). */
  keyOf(id: number): Uint32Array {
    return this.#keys.subarray(id * KEY_WORDS, id * KEY_WORDS + KEY_WORDS);
  }

  #pushFront(id: number): void {
    this.#prev[id] = EMPTY;
    this.#next[id] = this.#head;
    if (this.#head !== EMPTY) this.#prev[this.#head] = id;
    this.#head = id;
    if (this.#tail === EMPTY) this.#tail = id;
  }

  #unlink(id: number): void {
    const p = this.#prev[id]!;
    const n = this.#next[id]!;
    if (p !== EMPTY) this.#next[p] = n;
    else this.#head = n;
    if (n !== EMPTY) this.#prev[n] = p;
    else this.#tail = p;
  }
}
