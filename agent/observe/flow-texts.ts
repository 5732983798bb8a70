// Texts of the facts the flow recorder records per flow (SYN signatures, "tcp/443"), made once per
// distinct value. A host's SYN layout or service port recurs on thousands of flows; a text made
// each time was a fresh string the evidence store then had to flatten and compare character by
// character against the ones it holds, where a remembered one compares as the same object.
import type { PacketInfo } from '../decode/packet-info.js';
import { tcpOptionSignature } from '../decode/tcp.js';

/** Entries kept per cache before it is cleared (a bound, not a working-set estimate). */
const MAX_ENTRIES = 4096;

/** Initial TTL/hop limit: the nearest common default at or above the observed value. */
export function initialTtl(ttl: number): number {
  return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/** A SYN signature and what it was made of, to verify a digest hit against. */
class SynText {
  constructor(
    readonly ttl: number,
    readonly window: number,
    readonly options: Uint8Array,
    readonly text: string,
  ) {}

  /** Whether `info`'s SYN has the same initial TTL, window and option bytes. */
  matches(info: PacketInfo): boolean {
    const n = this.options.length;
    if (n !== info.tcpOptLen || this.window !== info.window || this.ttl !== initialTtl(info.ttl))
      return false;
    const buf = info.buf;
    const off = info.tcpOptOff;
    for (let i = 0; i < n; i++) if (buf[off + i] !== this.options[i]) return false;
    return true;
  }
}

/**
 * SYN signatures, p0f-style: "initial TTL:window:MSS:window scale:option layout", by the caller's
 * digest of what they are made of. A hit is verified against a copy of those bytes, so a digest
 * collision only costs making the text again, never a wrong one.
 */
export class SynTexts {
  readonly #byDigest = new Map<number, SynText>();

  text(info: PacketInfo, digest: number): string {
    const hit = this.#byDigest.get(digest);
    if (hit?.matches(info)) return hit.text;
    const ttl = initialTtl(info.ttl);
    const o = tcpOptionSignature(info.buf, info.tcpOptOff, info.tcpOptLen);
    const text = `${ttl}:${info.window}:${o.mss < 0 ? '*' : o.mss}:${o.wscale < 0 ? '*' : o.wscale}:${o.layout}`;
    if (this.#byDigest.size >= MAX_ENTRIES) this.#byDigest.clear();
    // A copy, never a view: the capture reader reuses the memory of a packet.
    const options = info.buf.slice(info.tcpOptOff, info.tcpOptOff + info.tcpOptLen);
    this.#byDigest.set(digest, new SynText(ttl, info.window, options, text));
    return text;
  }
}

/** "tcp/443", "udp/161": a service's text, one string per protocol and port. */
export class ServiceTexts {
  readonly #texts = new Map<number, string>();

  constructor(readonly protocol: 'tcp' | 'udp') {}

  text(port: number): string {
    let text = this.#texts.get(port);
    if (text === undefined) {
      text = `${this.protocol}/${port}`;
      // 65,536 ports at most: no bound needed.
      this.#texts.set(port, text);
    }
    return text;
  }
}
