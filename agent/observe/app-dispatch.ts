// Hands application bytes (a TCP direction's prefix, a UDP datagram, a link-layer frame) to the
// registered decoders: the ones whose ports match first, then every other one that sniffs the
// bytes (HTTP and TLS run on any port). Malformed input is counted per decoder, never fatal.
import { isDecoderError, TruncatedError } from '../decode/errors.js';
import type { AppContext, AppDecoder, Emitter, Transport } from '../decode/types.js';

/** A decoder with its counter names built once (a template string per call showed in profiles). */
interface Entry {
  readonly d: AppDecoder;
  /** Position in the transport's list: the registry order both passes keep. */
  readonly rank: number;
  readonly decoded: string;
  readonly truncated: string;
  readonly malformed: string;
}

/** One transport's decoders, and per port the ones that name it (in registry order). */
interface Lane {
  readonly all: readonly Entry[];
  readonly byPort: ReadonlyMap<number, readonly Entry[]>;
}

const NONE: readonly Entry[] = [];

export class AppDispatcher {
  readonly counts: Record<string, number> = {};
  readonly #lanes: Record<Transport, Lane>;

  constructor(decoders: readonly AppDecoder[]) {
    const lane = (t: Transport): Lane => {
      const all = decoders
        .filter((d) => d.transports.includes(t))
        .map((d, rank) => ({
          d,
          rank,
          decoded: `decoded.${d.id}`,
          truncated: `truncated.${d.id}`,
          malformed: `malformed.${d.id}`,
        }));
      const byPort = new Map<number, Entry[]>();
      for (const e of all) {
        for (const port of new Set(e.d.ports)) {
          const list = byPort.get(port) ?? [];
          list.push(e);
          byPort.set(port, list);
        }
      }
      return { all, byPort };
    };
    this.#lanes = { tcp: lane('tcp'), udp: lane('udp'), link: lane('link') };
  }

  /** Decodes with the first decoder that accepts the bytes; returns its id, or null. */
  run(bytes: Uint8Array, ctx: AppContext, out: Emitter): string | null {
    const lane = this.#lanes[ctx.transport];
    if (ctx.transport === 'link') {
      for (const e of lane.all) {
        const types = e.d.ethertypes;
        if (types && ctx.ethertype !== undefined && !types.includes(ctx.ethertype)) continue;
        if (this.#try(e, bytes, ctx, out)) return e.d.id;
      }
      return null;
    }
    // First the decoders naming either port, in registry order; then all the others, in order.
    const sp = lane.byPort.get(ctx.src.port) ?? NONE;
    const dp = ctx.dst.port === ctx.src.port ? NONE : (lane.byPort.get(ctx.dst.port) ?? NONE);
    let i = 0;
    let j = 0;
    while (i < sp.length || j < dp.length) {
      const a = sp[i];
      const b = dp[j];
      let e: Entry;
      if (b === undefined || (a !== undefined && a.rank < b.rank)) {
        e = a!;
        i++;
      } else {
        e = b;
        j++;
        if (a === b) i++;
      }
      if (this.#try(e, bytes, ctx, out)) return e.d.id;
    }
    if (sp.length === 0 && dp.length === 0) {
      for (const e of lane.all) if (this.#try(e, bytes, ctx, out)) return e.d.id;
      return null;
    }
    for (const e of lane.all) {
      if (sp.includes(e) || dp.includes(e)) continue;
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

  #count(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }
}
