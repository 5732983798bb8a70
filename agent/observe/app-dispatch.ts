// Hands application bytes (a TCP direction's prefix, a UDP datagram, a link-layer frame) to the
// registered decoders: the ones whose ports match first, then every other one that sniffs the
// bytes (HTTP and TLS run on any port). Malformed input is counted per decoder, never fatal.
import { isDecoderError, TruncatedError } from '../decode/errors.js';
import type { AppContext, AppDecoder, Emitter, Transport } from '../decode/types.js';

export class AppDispatcher {
  readonly counts: Record<string, number> = {};
  readonly #byTransport: Record<Transport, readonly AppDecoder[]>;

  constructor(decoders: readonly AppDecoder[]) {
    const of = (t: Transport) => decoders.filter((d) => d.transports.includes(t));
    this.#byTransport = { tcp: of('tcp'), udp: of('udp'), link: of('link') };
  }

  /** Decodes with the first decoder that accepts the bytes; returns its id, or null. */
  run(bytes: Uint8Array, ctx: AppContext, out: Emitter): string | null {
    const all = this.#byTransport[ctx.transport];
    if (ctx.transport === 'link') {
      for (const d of all) {
        if (d.ethertypes && ctx.ethertype !== undefined && !d.ethertypes.includes(ctx.ethertype)) continue;
        if (this.#try(d, bytes, ctx, out)) return d.id;
      }
      return null;
    }
    const sp = ctx.src.port;
    const dp = ctx.dst.port;
    for (const d of all) {
      if ((d.ports.includes(sp) || d.ports.includes(dp)) && this.#try(d, bytes, ctx, out)) return d.id;
    }
    for (const d of all) {
      if (!d.ports.includes(sp) && !d.ports.includes(dp) && this.#try(d, bytes, ctx, out)) return d.id;
    }
    return null;
  }

  #try(d: AppDecoder, bytes: Uint8Array, ctx: AppContext, out: Emitter): boolean {
    if (!d.sniff(bytes, ctx)) return false;
    let pdu: unknown;
    try {
      pdu = d.decode(bytes, ctx);
    } catch (err) {
      if (!isDecoderError(err)) throw err;
      this.#count(`${err instanceof TruncatedError ? 'truncated' : 'malformed'}.${d.id}`);
      return false;
    }
    d.observe(pdu, ctx, out);
    this.#count(`decoded.${d.id}`);
    return true;
  }

  #count(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }
}
