// Hands application bytes (a TCP direction's prefix, a UDP datagram, a link-layer frame) to the
// registered decoders: the ones whose ports match first, then every other one that sniffs the
// bytes (HTTP and TLS run on any port), skipping those whose first bytes (AppDecoder.firstBytes)
// rule the bytes out. Malformed input is counted per decoder, never fatal.
import { isDecoderError, TruncatedError } from '../decode/errors.js';
import type { AppContext, AppDecoder, Emitter, Transport } from '../decode/types.js';

/** A named counter: a number bumped in place, its name made once. */
interface Counter {
  readonly name: string;
  n: number;
}

/** A decoder with its counters (a template string and a keyed store per call showed in profiles). */
interface Entry {
  readonly d: AppDecoder;
  /** Position in the transport's list: the registry order both passes keep. */
  readonly rank: number;
  /** Per first byte, 1 when the decoder's sniff may accept it (AppDecoder.firstBytes); null: any. */
  readonly takes: Uint8Array | null;
  readonly decoded: Counter;
  readonly truncated: Counter;
  readonly malformed: Counter;
}

/** One transport's decoders, and per port the ones that name it (in registry order). */
interface Lane {
  readonly all: readonly Entry[];
  readonly byPort: ReadonlyMap<number, readonly Entry[]>;
  /** Try-orders by the pair of port lists (source's, destination's): see #order. */
  readonly orders: Map<readonly Entry[], Map<readonly Entry[], Order>>;
}

/** A try-order, and per first byte the part of it that may accept bytes starting so (see forFirst). */
interface Order {
  readonly all: readonly Entry[];
  readonly byFirst: (readonly Entry[] | undefined)[];
}

const NONE: readonly Entry[] = [];

export class AppDispatcher {
  readonly #lanes: Record<Transport, Lane>;
  /** Counters in the order they first counted, which is the order `counts` lists them in. */
  readonly #used: Counter[] = [];
  /** A decoder on two transports shares its counters. */
  readonly #counters = new Map<string, Counter>();

  /** Decoded, truncated and malformed counts per decoder ("decoded.tls": 12), those above zero. */
  get counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.#used) out[c.name] = c.n;
    return out;
  }

  constructor(decoders: readonly AppDecoder[]) {
    const lane = (t: Transport): Lane => {
      const all = decoders
        .filter((d) => d.transports.includes(t))
        .map((d, rank) => ({
          d,
          rank,
          takes: d.firstBytes ? takesTable(d.firstBytes) : null,
          decoded: this.#counter(`decoded.${d.id}`),
          truncated: this.#counter(`truncated.${d.id}`),
          malformed: this.#counter(`malformed.${d.id}`),
        }));
      const byPort = new Map<number, Entry[]>();
      for (const e of all) {
        for (const port of new Set(e.d.ports)) {
          const list = byPort.get(port) ?? [];
          list.push(e);
          byPort.set(port, list);
        }
      }
      return { all, byPort, orders: new Map() };
    };
    this.#lanes = { tcp: lane('tcp'), udp: lane('udp'), link: lane('link') };
  }

  /** Decodes with the first decoder that accepts the bytes; returns its id, or null. */
  run(bytes: Uint8Array, ctx: AppContext, out: Emitter): string | null {
    if (ctx.transport === 'link') return this.#runLink(bytes, ctx, out);
    const lane = this.#lanes[ctx.transport];
    // First the decoders naming either port, in registry order; then all the others, in order.
    const sp = lane.byPort.get(ctx.src.port) ?? NONE;
    const dp = ctx.dst.port === ctx.src.port ? NONE : (lane.byPort.get(ctx.dst.port) ?? NONE);
    const order = this.#order(lane, sp, dp);
    const list = bytes.length === 0 ? order.all : (order.byFirst[bytes[0]!] ?? forFirst(order, bytes[0]!));
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (this.#try(e, bytes, ctx, out)) return e.d.id;
    }
    return null;
  }

  /** Link frames: every link decoder that takes the frame's EtherType, in registry order. */
  #runLink(bytes: Uint8Array, ctx: AppContext, out: Emitter): string | null {
    const all = this.#lanes.link.all;
    for (let i = 0; i < all.length; i++) {
      const e = all[i]!;
      const types = e.d.ethertypes;
      if (types && ctx.ethertype !== undefined && !types.includes(ctx.ethertype)) continue;
      if (this.#try(e, bytes, ctx, out)) return e.d.id;
    }
    return null;
  }

  /**
   * The order to try for a pair of port lists, made once per pair: ports take few distinct lists
   * (one per service port, NONE for the rest), and merging them and skipping the port decoders in
   * the full list on every call was the dispatcher's main cost (~50 ms on the bench capture).
   */
  #order(lane: Lane, sp: readonly Entry[], dp: readonly Entry[]): Order {
    let bySrc = lane.orders.get(sp);
    if (!bySrc) {
      bySrc = new Map();
      lane.orders.set(sp, bySrc);
    }
    let order = bySrc.get(dp);
    if (!order) {
      order = newOrder(lane, sp, dp);
      bySrc.set(dp, order);
    }
    return order;
  }

  #try(e: Entry, bytes: Uint8Array, ctx: AppContext, out: Emitter): boolean {
    const d = e.d;
    if (!d.sniff(bytes, ctx)) return false;
    let pdu: unknown;
    try {
      pdu = d.decode(bytes, ctx);
    } catch (err) {
      if (!isDecoderError(err)) throw err;
      this.#count(err instanceof TruncatedError ? e.truncated : e.malformed);
      return false;
    }
    d.observe(pdu, ctx, out);
    this.#count(e.decoded);
    return true;
  }

  #count(c: Counter): void {
    if (c.n++ === 0) this.#used.push(c);
  }

  #counter(name: string): Counter {
    let c = this.#counters.get(name);
    if (!c) {
      c = { name, n: 0 };
      this.#counters.set(name, c);
    }
    return c;
  }
}

function takesTable(firstBytes: readonly number[]): Uint8Array {
  const t = new Uint8Array(256);
  for (const b of firstBytes) t[b] = 1;
  return t;
}

/** The decoders of `order`, in order, that may accept bytes starting with `first`; made once per byte. */
function forFirst(order: Order, first: number): readonly Entry[] {
  const list = order.all.filter((e) => e.takes === null || e.takes[first] === 1);
  order.byFirst[first] = list;
  return list;
}

/**
 * The order for a pair of port lists: the decoders naming either port in registry order, then the
 * others. A function of its own, run a few dozen times a capture: called that rarely, TurboFan leaves
 * its spreads, sort and filter out of the code it compiles for every run() call.
 */
function newOrder(lane: Lane, sp: readonly Entry[], dp: readonly Entry[]): Order {
  const named = new Set([...sp, ...dp]);
  const all = [...[...named].sort((a, b) => a.rank - b.rank), ...lane.all.filter((e) => !named.has(e))];
  return { all, byFirst: new Array(256).fill(undefined) };
}
