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

/**
 * One transport's decoders, and per port the ones that name it (in registry order), as numbered
 * lists: a dispatch reads two port numbers in a table and one array slot where it looked up two
 * Maps by port and two by list (~70,000 dispatches on the bench capture).
 */
interface Lane {
  readonly all: readonly Entry[];
  /** Per port, the number of the list of decoders naming it in `lists` (0: none). */
  readonly portList: Uint16Array;
  /** Lists of decoders by number; lists[0] is empty. */
  readonly lists: readonly (readonly Entry[])[];
  /** Try-orders by source and destination list (src * lists.length + dst), made on first use. */
  readonly orders: (Order | undefined)[];
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
      // Ports naming the same decoders share a list number.
      const lists: (readonly Entry[])[] = [NONE];
      const numbers = new Map<string, number>();
      const portList = new Uint16Array(65536);
      for (const [port, list] of byPort) {
        const id = list.map((e) => e.rank).join(',');
        let n = numbers.get(id);
        if (n === undefined) {
          n = lists.push(list) - 1;
          numbers.set(id, n);
        }
        portList[port] = n;
      }
      return { all, portList, lists, orders: new Array(lists.length * lists.length).fill(undefined) };
    };
    this.#lanes = { tcp: lane('tcp'), udp: lane('udp'), link: lane('link') };
  }

  /** Decodes with the first decoder that accepts the bytes; returns its id, or null. */
  run(bytes: Uint8Array, ctx: AppContext, out: Emitter): string | null {
    if (ctx.transport === 'link') return this.#runLink(bytes, ctx, out);
    const lane = ctx.transport === 'tcp' ? this.#lanes.tcp : this.#lanes.udp;
    // First the decoders naming either port, in registry order; then all the others, in order.
    const sp = lane.portList[ctx.src.port] ?? 0;
    const dp = ctx.dst.port === ctx.src.port ? 0 : (lane.portList[ctx.dst.port] ?? 0);
    const order = lane.orders[sp * lane.lists.length + dp] ?? newOrder(lane, sp, dp);
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
 * The order for a pair of port lists (by number), made once per pair: the decoders naming either
 * port in registry order, then the others (merging them on every call was the dispatcher's main
 * cost, ~50 ms on the bench capture). A function of its own, run a few dozen times a capture: called
 * that rarely, TurboFan leaves its spreads, sort and filter out of the code it compiles for run().
 */
function newOrder(lane: Lane, sp: number, dp: number): Order {
  const named = new Set([...lane.lists[sp]!, ...lane.lists[dp]!]);
  const all = [...[...named].sort((a, b) => a.rank - b.rank), ...lane.all.filter((e) => !named.has(e))];
  const order = { all, byFirst: new Array(256).fill(undefined) };
  lane.orders[sp * lane.lists.length + dp] = order;
  return order;
}
