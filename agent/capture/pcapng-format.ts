// pcapng (draft-ietf-opsawg-pcapng): sections (SHB) with their own byte order, interfaces (IDB)
// with their own link type and if_tsresol/if_tsoffset, and packets in EPB, SPB or the obsolete
// Packet Block. Every other block type is skipped; a bad block is counted and skipped.
import { IMPLAUSIBLE, PLAUSIBLE, type RecordFormat } from './record-stream.js';
import { countSkip, type PacketHandler, PacketRef, type ReaderStats } from './types.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Block types we may see in the wild; used only to judge plausibility while resynchronising (§11.1). */
const KNOWN_BLOCKS = new Set([SHB, IDB, PB, SPB, 4, 5, EPB, 7, 8, 9, 10, 0xbad, 0x40000bad]);
/** No capture was taken after 2200-01-01; later times are corrupt. */
const MAX_TS_MS = 7_258_118_400_000;

interface Iface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per millisecond (if_tsresol, §4.2). */
  unitsPerMs: number;
  /** if_tsoffset, in ms. */
  offsetMs: number;
}

export function isPcapng(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}

export class PcapngFormat implements RecordFormat {
  // Type + length + (for an SHB) the byte-order magic that says how to read the length.
  readonly headerBytes = 12;
  #le = true;
  #ifaces: Iface[] = [];
  #sawSection = false;
  readonly #pkt = new PacketRef();

  constructor(
    readonly source: string,
    readonly onPacket: PacketHandler,
    readonly stats: ReaderStats,
    readonly maxRecordBytes: number,
  ) {}

  /** Link types of the interfaces of the current section. */
  get linkTypes(): number[] {
    return this.#ifaces.map((i) => i.linkType);
  }

  recordLength(buf: Uint8Array, off: number): number {
    let le = this.#le;
    if (this.#u32(buf, off, le) === SHB) {
      const bom = this.#u32(buf, off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (this.#u32(buf, off + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else return -1;
    }
    const total = this.#u32(buf, off + 4, le);
    if (total < 12 || total % 4 !== 0 || total > this.maxRecordBytes) return -1;
    return total;
  }

  plausibleAt(buf: Uint8Array, off: number, end: number): number {
    const type = this.#u32(buf, off, this.#le);
    if (!KNOWN_BLOCKS.has(type)) return IMPLAUSIBLE;
    const total = this.recordLength(buf, off);
    if (total < 0) return IMPLAUSIBLE;
    // A section header is judged by its own magic (recordLength); other blocks by the trailing
    // copy of their length, once it has arrived.
    if (type === SHB) return PLAUSIBLE;
    if (off + total > end) return total;
    return this.#u32(buf, off + total - 4, this.#le) === total ? PLAUSIBLE : IMPLAUSIBLE;
  }

  record(buf: Uint8Array, off: number, len: number): void {
    let type = this.#u32(buf, off, this.#le);
    if (type === SHB) {
      this.#section(buf, off, len);
      return;
    }
    if (!this.#sawSection) {
      countSkip(this.stats, 'block_before_section');
      return;
    }
    if (this.#u32(buf, off + len - 4, this.#le) !== len) {
      countSkip(this.stats, 'bad_block_trailer');
      return;
    }
    type >>>= 0;
    if (type === IDB) this.#interface(buf, off, len);
    else if (type === EPB) this.#enhanced(buf, off, len);
    else if (type === SPB) this.#simple(buf, off, len);
    else if (type === PB) this.#obsolete(buf, off, len);
    // Name resolution, statistics, custom and unknown blocks: nothing we need.
  }

  #section(buf: Uint8Array, off: number, len: number): void {
    this.#le = this.#u32(buf, off + 8, true) === BYTE_ORDER_MAGIC;
    const major = this.#u16(buf, off + 12);
    if (len < 28 || major !== 1) {
      countSkip(this.stats, 'bad_section');
      this.#sawSection = false;
      return;
    }
    this.#sawSection = true;
    this.#ifaces = [];
  }

  #interface(buf: Uint8Array, off: number, len: number): void {
    if (len < 20) {
      countSkip(this.stats, 'bad_interface_block');
      this.#ifaces.push({ linkType: -1, snapLen: 0, unitsPerMs: 1000, offsetMs: 0 });
      return;
    }
    const iface: Iface = {
      linkType: this.#u16(buf, off + 8),
      snapLen: this.#u32(buf, off + 12, this.#le),
      unitsPerMs: 1000,
      offsetMs: 0,
    };
    // Options (§3.5): code, length, value padded to 32 bits; opt_endofopt is code 0.
    let p = off + 16;
    const end = off + len - 4;
    while (p + 4 <= end) {
      const code = this.#u16(buf, p);
      const olen = this.#u16(buf, p + 2);
      if (code === 0 || p + 4 + olen > end) break;
      if (code === 9 && olen >= 1) {
        const v = buf[p + 4]!;
        const exp = v & 0x7f;
        // MSB clear: 10^-exp seconds; set: 2^-exp seconds (§4.2 if_tsresol).
        const perSecond = v & 0x80 ? 2 ** exp : 10 ** exp;
        if ((v & 0x80 ? exp > 63 : exp > 18) || perSecond < 1) countSkip(this.stats, 'anomaly_bad_tsresol');
        else iface.unitsPerMs = perSecond / 1000;
      } else if (code === 14 && olen >= 8) {
        const hi = this.#u32(buf, p + 4 + (this.#le ? 4 : 0), this.#le) | 0;
        const lo = this.#u32(buf, p + 4 + (this.#le ? 0 : 4), this.#le);
        iface.offsetMs = (hi * 2 ** 32 + lo) * 1000;
      }
      p += 4 + ((olen + 3) & ~3);
    }
    this.#ifaces.push(iface);
  }

  #enhanced(buf: Uint8Array, off: number, len: number): void {
    if (len < 32) {
      countSkip(this.stats, 'bad_packet_block');
      return;
    }
    const id = this.#u32(buf, off + 8, this.#le);
    const caplen = this.#u32(buf, off + 20, this.#le);
    if (caplen > len - 32) {
      countSkip(this.stats, 'bad_packet_block');
      return;
    }
    const hi = this.#u32(buf, off + 12, this.#le);
    const lo = this.#u32(buf, off + 16, this.#le);
    this.#emit(id, hi, lo, buf, off + 28, caplen, this.#u32(buf, off + 24, this.#le));
  }

  #simple(buf: Uint8Array, off: number, len: number): void {
    if (len < 16) {
      countSkip(this.stats, 'bad_packet_block');
      return;
    }
    const orig = this.#u32(buf, off + 8, this.#le);
    const iface = this.#ifaces[0];
    // SPB has no captured length: it is the smaller of the wire length, the snap length and the body (§4.4).
    let caplen = Math.min(orig, len - 16);
    if (iface && iface.snapLen > 0) caplen = Math.min(caplen, iface.snapLen);
    // An SPB carries no timestamp: 0 marks "unknown" rather than inventing one.
    this.#emit(0, 0, 0, buf, off + 12, caplen, orig);
  }

  #obsolete(buf: Uint8Array, off: number, len: number): void {
    if (len < 32) {
      countSkip(this.stats, 'bad_packet_block');
      return;
    }
    const id = this.#u16(buf, off + 8);
    const caplen = this.#u32(buf, off + 20, this.#le);
    if (caplen > len - 32) {
      countSkip(this.stats, 'bad_packet_block');
      return;
    }
    const hi = this.#u32(buf, off + 12, this.#le);
    const lo = this.#u32(buf, off + 16, this.#le);
    this.#emit(id, hi, lo, buf, off + 28, caplen, this.#u32(buf, off + 24, this.#le));
  }

  #emit(
    id: number,
    hi: number,
    lo: number,
    buf: Uint8Array,
    data: number,
    caplen: number,
    orig: number,
  ): void {
    const iface = this.#ifaces[id];
    if (!iface) {
      countSkip(this.stats, 'unknown_interface');
      return;
    }
    if (iface.linkType < 0) {
      countSkip(this.stats, 'bad_interface_block');
      return;
    }
    const ts = (hi * 4_294_967_296 + lo) / iface.unitsPerMs + iface.offsetMs;
    if (!(ts >= 0 && ts < MAX_TS_MS)) {
      countSkip(this.stats, 'bad_timestamp');
      return;
    }
    if (orig < caplen) {
      countSkip(this.stats, 'anomaly_caplen_exceeds_len');
      orig = caplen;
    }
    const p = this.#pkt;
    p.tsMs = ts;
    p.linkType = iface.linkType;
    p.iface = id;
    p.buf = buf;
    p.offset = data;
    p.caplen = caplen;
    p.origLen = orig;
    this.stats.count(caplen);
    this.onPacket(p);
  }

  #u16(b: Uint8Array, o: number): number {
    return this.#le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }

  #u32(b: Uint8Array, o: number, le: boolean): number {
    return le
      ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
      : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }
}
