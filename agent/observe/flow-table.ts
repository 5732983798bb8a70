// The flow table: 5-tuples → flow ids (open addressing, linear probing with backward-shift
// deletion) plus an LRU list for idle and capacity eviction. Both directions of a conversation
// share one flow: the key is stored in canonical order (lower endpoint first).
// Per-packet work allocates nothing; a Map with string keys measured 3× slower here. Memory is laid
// out for the cache: each slot holds the flow id next to 7 bits of its hash (a probe past another flow
// reads that flow's record only when the tags agree: without them, 670,000 of the bench capture's
// 2.36 million record reads were such probes, each a cache miss), and everything a packet of an IPv4
// flow reads or writes — key, last time, LRU stamp, packet and byte counters — shares one 64-byte
// line of the flow's record. Separate arrays per field cost ~8 cache misses per packet (flow-table
// lookup was the largest item of the engine profile).
import type { PacketInfo } from '../decode/packet-info.js';

/** Words of a canonical key as keyOf() hands it out: two 16-byte addresses, the ports, protocol/version. */
const KEY_WORDS = 10;
/**
 * An index slot holds a flow id (maxFlows ≤ 2^24) and above it 7 bits of the key's hash (a tag), or
 * EMPTY, the one negative value.
 */
const EMPTY = -1;
const ID_BITS = 24;
const ID_MASK = (1 << ID_BITS) - 1;
const TAG_MASK = 0x7f << ID_BITS;

/** The tag of a key's hash: its top 7 bits, where an index slot keeps them (above the flow id). */
function tagOf(h: number): number {
  return (h >>> 25) << ID_BITS;
}

/**
 * Per flow, two records of 64 bytes (one cache line each), as Float64 indices (F_*) and as 32-bit
 * word indices (W_*, twice the double index). The hot record is all a packet of an IPv4 flow reads
 * or writes; the cold one is touched only for IPv6 keys, flow creation, LRU moves and removal.
 */
const STRIDE = 8;
const W_STRIDE = 16;
// Hot: words 0–3 the key (first address word of each side, ports, proto | version << 8), then times
// and counters.
const W_A0 = 0;
const W_B0 = 1;
const W_PORTS = 2;
const W_META = 3;
const F_LAST = 2;
const F_TOUCHED = 3;
/** Packets from side 0 and side 1, then bytes from each side. */
const F_PACKETS = 4;
const F_BYTES = 6;
// Cold: the other three address words of each side (IPv6), LRU links, slot, hash, first time.
const W_A1 = 0;
const W_B1 = 3;
const W_PREV = 6;
const W_NEXT = 7;
const W_SLOT = 8;
const W_HASH = 9;
const F_FIRST = 6;
/**
 * Slots to start with; the index doubles whenever it is half full, up to 2 × maxFlows. Few, so that
 * the index first grows within the first few dozen flows, while V8 still gathers type feedback for
 * #create: growing first after V8 had compiled it made V8 compile it again.
 */
const MIN_SLOTS = 64;
/** Lookups that find a flow before the early entries of FlowTable.#touch (and as many of those). */
const PRIME_TOUCH = 16;

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
  /** After lookup(): whether the packet's source is the canonical second endpoint (1) or first (0). */
  dir = 0;
  /** After lookup(): whether the flow was created by this packet. */
  created = false;
  /** Live flows. */
  size = 0;

  /**
   * Per slot, a flow id with its hash tag (EMPTY when free). Sized to the live flows, not to
   * maxFlows: a small index stays in cache (at 2 × 65536 slots it missed on most packets).
   */
  #slots: Int32Array;
  #mask: number;
  readonly #maxSlots: number;
  /** Hot and cold records (see STRIDE), each as doubles and as 32-bit words over the same bytes. */
  readonly #hf: Float64Array;
  readonly #hw: Int32Array;
  readonly #cf: Float64Array;
  readonly #cw: Int32Array;
  /** Counts the first lookups that find a flow down to the early entries of #touch. */
  #primeTouch = 2 * PRIME_TOUCH;
  #head = EMPTY; // most recently used
  #tail = EMPTY; // least recently used
  readonly #free: Int32Array;
  #freeTop: number;
  // Scratch key of the current packet (IPv6 only), canonical order, and its direction.
  readonly #k = new Int32Array(8);
  #swapV6 = false;
  // What keyOf() hands out: one reused array, valid until the next call.
  readonly #keyOut = new Uint32Array(KEY_WORDS);

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
    this.#maxSlots = slots;
    this.#slots = new Int32Array(Math.min(slots, MIN_SLOTS)).fill(EMPTY);
    this.#mask = this.#slots.length - 1;
    // Large array buffers are page-aligned, so each 64-byte record is one cache line.
    const hot = new ArrayBuffer(max * STRIDE * 8);
    this.#hf = new Float64Array(hot);
    this.#hw = new Int32Array(hot);
    const cold = new ArrayBuffer(max * STRIDE * 8);
    this.#cf = new Float64Array(cold);
    this.#cw = new Int32Array(cold);
    this.#free = new Int32Array(max);
    for (let i = 0; i < max; i++) this.#free[i] = max - 1 - i;
    this.#freeTop = max;
  }

  /**
   * The flow id of the packet's 5-tuple, or -1 when the table is full (evict first). Sets dir/created.
   * IPv6 keys and new flows are handled out of line: V8 compiles this function more than once per
   * run as its type feedback grows, and a smaller function compiles faster.
   */
  lookup(info: PacketInfo): number {
    const buf = info.buf;
    const sp = info.srcPort;
    const dp = info.dstPort;
    const s = info.srcIpOff;
    const d = info.dstIpOff;
    const v6 = info.ipVersion !== 4;
    const meta = info.ipProto | (info.ipVersion << 8);
    // Compared on every packet, not only between equal addresses: compiled without type feedback for
    // the comparison, V8 would throw the code away at the first packet with equal addresses.
    const portSwap = sp > dp;
    let h: number;
    let a0: number;
    let b0: number;
    let swap: boolean;
    if (!v6) {
      // IPv4: compare and hash the two addresses as numbers, no scratch key. Words are stored
      // signed (Int32Array): the canonical order is decided on the unsigned values first.
      const src = ((buf[s]! << 24) | (buf[s + 1]! << 16) | (buf[s + 2]! << 8) | buf[s + 3]!) >>> 0;
      const dst = ((buf[d]! << 24) | (buf[d + 1]! << 16) | (buf[d + 2]! << 8) | buf[d + 3]!) >>> 0;
      swap = src > dst || (src === dst && portSwap);
      a0 = (swap ? dst : src) | 0;
      b0 = (swap ? src : dst) | 0;
      h = Math.imul(0x811c9dc5 ^ meta, 0x01000193);
      h = Math.imul(h ^ a0, 0x01000193);
      h = Math.imul(h ^ b0, 0x01000193);
    } else {
      h = this.#keyV6(buf, s, d, portSwap, meta);
      swap = this.#swapV6;
      a0 = this.#k[0]!;
      b0 = this.#k[4]!;
    }
    this.dir = swap ? 1 : 0;
    const ports = swap ? (dp << 16) | sp : (sp << 16) | dp;
    h = Math.imul(h ^ ports, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h |= 0;

    const slots = this.#slots;
    const w = this.#hw;
    const mask = this.#mask;
    const tag = tagOf(h);
    let slot = h & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === EMPTY) break;
      // A flow whose tag differs is another key: its record is not read (a cache miss saved).
      if ((entry & TAG_MASK) === tag) {
        const id = entry & ID_MASK;
        const wb = id * W_STRIDE;
        if (
          w[wb + W_PORTS] === ports &&
          w[wb + W_A0] === a0 &&
          w[wb + W_B0] === b0 &&
          w[wb + W_META] === meta &&
          (!v6 || this.#sameV6(id))
        ) {
          this.created = false;
          const ts = this.clock[0]!;
          const f = this.#hf;
          const fb = id * STRIDE;
          const stale = ts - f[fb + F_TOUCHED]! > LRU_GRANULARITY_MS;
          if (stale || (this.#primeTouch > 0 && --this.#primeTouch < PRIME_TOUCH))
            this.#touch(id, fb, ts, stale);
          f[fb + F_LAST] = ts;
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.#create(slot, h, a0, b0, ports, meta, v6);
  }

  /**
   * A flow found again: when its last move to the front of the LRU list is older than
   * LRU_GRANULARITY_MS (`stale`), it moves there now. Also entered, with nothing to do, by the 17th
   * to 32nd lookups that find a flow: V8 compiles lookup after a few hundred packets, long before the
   * first flow of a capture is a second old, and without type feedback for this call it threw the
   * compiled lookup away at the first move. Not the first 16: V8 records feedback only once a
   * function has run a few times.
   */
  #touch(id: number, fb: number, ts: number, stale: boolean): void {
    if (!stale || this.#head === id) return;
    this.#hf[fb + F_TOUCHED] = ts;
    this.#unlink(id);
    this.#pushFront(id);
  }

  /**
   * An IPv6 key: canonical order by address, then port (`portSwap`: the source port is the higher);
   * the addresses go to #k as words in that order, the direction to #swapV6. Returns the hash so far.
   */
  #keyV6(buf: Uint8Array, s: number, d: number, portSwap: boolean, meta: number): number {
    const k = this.#k;
    let cmp = 0;
    for (let i = 0; i < 16 && cmp === 0; i++) cmp = buf[s + i]! - buf[d + i]!;
    const swap = cmp > 0 || (cmp === 0 && portSwap);
    this.#swapV6 = swap;
    const a = swap ? d : s;
    const b = swap ? s : d;
    let h = Math.imul(0x811c9dc5 ^ meta, 0x01000193);
    for (let i = 0; i < 4; i++) {
      const o = a + i * 4;
      k[i] = (buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!;
      const q = b + i * 4;
      k[4 + i] = (buf[q]! << 24) | (buf[q + 1]! << 16) | (buf[q + 2]! << 8) | buf[q + 3]!;
    }
    for (let i = 0; i < 8; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    return h;
  }

  /** A new flow for the key lookup() did not find, its probe having ended at free `slot`; -1 when full. */
  #create(slot: number, h: number, a0: number, b0: number, ports: number, meta: number, v6: boolean): number {
    if (this.#freeTop === 0) return -1;
    const ts = this.clock[0]!;
    const id = this.#free[--this.#freeTop]!;
    const w = this.#hw;
    const f = this.#hf;
    const wb = id * W_STRIDE;
    w[wb + W_A0] = a0;
    w[wb + W_B0] = b0;
    w[wb + W_PORTS] = ports;
    w[wb + W_META] = meta;
    const fb = id * STRIDE;
    f[fb + F_LAST] = ts;
    f[fb + F_TOUCHED] = ts;
    f[fb + F_PACKETS] = 0;
    f[fb + F_PACKETS + 1] = 0;
    f[fb + F_BYTES] = 0;
    f[fb + F_BYTES + 1] = 0;
    const cw = this.#cw;
    const k = this.#k;
    for (let i = 0; i < 3; i++) {
      cw[wb + W_A1 + i] = v6 ? k[1 + i]! : 0;
      cw[wb + W_B1 + i] = v6 ? k[5 + i]! : 0;
    }
    cw[wb + W_HASH] = h;
    this.#cf[fb + F_FIRST] = ts;
    this.#pushFront(id);
    this.size++;
    this.created = true;
    const slots = this.#slots;
    if (this.size * 2 > slots.length && slots.length < this.#maxSlots) this.#grow();
    else {
      slots[slot] = tagOf(h) | id;
      cw[wb + W_SLOT] = slot;
    }
    return id;
  }

  #sameV6(id: number): boolean {
    const cw = this.#cw;
    const k = this.#k;
    const wb = id * W_STRIDE;
    for (let i = 0; i < 3; i++) {
      if (cw[wb + W_A1 + i] !== k[1 + i] || cw[wb + W_B1 + i] !== k[5 + i]) return false;
    }
    return true;
  }

  /** Doubles the index and re-places every live flow (the newest included) by its stored hash. */
  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    const cw = this.#cw;
    for (let id = this.#tail; id !== EMPTY; id = cw[id * W_STRIDE + W_PREV]!) {
      const h = cw[id * W_STRIDE + W_HASH]!;
      let slot = h & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = tagOf(h) | id;
      cw[id * W_STRIDE + W_SLOT] = slot;
    }
    this.#slots = slots;
    this.#mask = mask;
  }

  /** Counts a packet of `wireLen` bytes from side `dir`; true when it is the first from that side. */
  count(id: number, dir: number, wireLen: number): boolean {
    const f = this.#hf;
    const p = id * STRIDE + F_PACKETS + dir;
    const first = f[p] === 0;
    f[p]!++;
    f[id * STRIDE + F_BYTES + dir]! += wireLen;
    return first;
  }

  /** Packets seen from side `dir` (0: canonical first endpoint, 1: second). */
  packets(id: number, dir: number): number {
    return this.#hf[id * STRIDE + F_PACKETS + dir]!;
  }

  /** Wire bytes seen from side `dir`. */
  bytes(id: number, dir: number): number {
    return this.#hf[id * STRIDE + F_BYTES + dir]!;
  }

  /** Capture time (ms) of the flow's first packet. */
  firstTs(id: number): number {
    return this.#cf[id * STRIDE + F_FIRST]!;
  }

  /** Capture time (ms) of the flow's latest packet. */
  lastTs(id: number): number {
    return this.#hf[id * STRIDE + F_LAST]!;
  }

  /** The least recently used flow, or -1. */
  oldest(): number {
    return this.#tail;
  }

  /** The next more recently used flow after `id`, or -1: oldest() then newer() walks every live flow. */
  newer(id: number): number {
    return this.#cw[id * W_STRIDE + W_PREV]!;
  }

  /** Removes a flow (after the caller has finished with its state). */
  remove(id: number): void {
    this.#unlink(id);
    // Backward-shift deletion keeps probe chains intact without tombstones.
    const slots = this.#slots;
    const mask = this.#mask;
    const cw = this.#cw;
    let hole = cw[id * W_STRIDE + W_SLOT]!;
    let slot = (hole + 1) & mask;
    slots[hole] = EMPTY;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === EMPTY) break;
      const other = entry & ID_MASK;
      const home = cw[other * W_STRIDE + W_HASH]! & mask;
      // Move `other` into the hole unless its home lies cyclically in (hole, slot].
      const inRange = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (!inRange) {
        slots[hole] = entry;
        cw[other * W_STRIDE + W_SLOT] = hole;
        slots[slot] = EMPTY;
        hole = slot;
      }
      slot = (slot + 1) & mask;
    }
    this.#free[this.#freeTop++] = id;
    this.size--;
  }

  /**
   * Canonical key words of a flow (for building records when it ends): IPv6 side 0's address in
   * words 0–3 and side 1's in 4–7, IPv4 side 0's in word 0 and side 1's in word 1; the ports
   * (side 0 << 16 | side 1) in 8 and proto | version << 8 in 9. One reused array: valid until the
   * next call (it allocates nothing).
   */
  keyOf(id: number): Uint32Array {
    const w = this.#hw;
    const cw = this.#cw;
    const out = this.#keyOut;
    const wb = id * W_STRIDE;
    const meta = w[wb + W_META]!;
    out[8] = w[wb + W_PORTS]!;
    out[9] = meta;
    if (meta >> 8 === 4) {
      out[0] = w[wb + W_A0]!;
      out[1] = w[wb + W_B0]!;
      for (let i = 2; i < 8; i++) out[i] = 0;
    } else {
      out[0] = w[wb + W_A0]!;
      out[4] = w[wb + W_B0]!;
      for (let i = 0; i < 3; i++) {
        out[1 + i] = cw[wb + W_A1 + i]!;
        out[5 + i] = cw[wb + W_B1 + i]!;
      }
    }
    return out;
  }

  #pushFront(id: number): void {
    const cw = this.#cw;
    cw[id * W_STRIDE + W_PREV] = EMPTY;
    cw[id * W_STRIDE + W_NEXT] = this.#head;
    if (this.#head !== EMPTY) cw[this.#head * W_STRIDE + W_PREV] = id;
    this.#head = id;
    if (this.#tail === EMPTY) this.#tail = id;
  }

  #unlink(id: number): void {
    const cw = this.#cw;
    const p = cw[id * W_STRIDE + W_PREV]!;
    const n = cw[id * W_STRIDE + W_NEXT]!;
    if (p !== EMPTY) cw[p * W_STRIDE + W_NEXT] = n;
    else this.#head = n;
    if (n !== EMPTY) cw[n * W_STRIDE + W_PREV] = p;
    else this.#tail = p;
  }
}
