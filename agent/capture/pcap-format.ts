// Classic libpcap files (draft-ietf-opsawg-pcap §4–5): 24-byte file header, then 16-byte record
// headers. Both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magics.
import { IMPLAUSIBLE, PLAUSIBLE, type RecordFormat } from './record-stream.js';
import { CaptureFormatError, countSkip, type PacketHandler, PacketRef, type ReaderStats } from './types.js';

export const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER = 16;

/** Recognises the four classic magics; null for anything else. */
export function pcapMagic(b: Uint8Array): { littleEndian: boolean; nanosecond: boolean } | null {
  if (b.length < 4) return null;
  const le = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  const be = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  if (le === 0xa1b2c3d4) return { littleEndian: true, nanosecond: false };
  if (le === 0xa1b23c4d) return { littleEndian: true, nanosecond: true };
  if (be === 0xa1b2c3d4) return { littleEndian: false, nanosecond: false };
  if (be === 0xa1b23c4d) return { littleEndian: false, nanosecond: true };
  return null;
}

export class PcapFormat implements RecordFormat {
  readonly headerBytes = RECORD_HEADER;
  readonly #le: boolean;
  readonly #fracDiv: number;
  readonly #fracMax: number;
  readonly #linkType: number;
  readonly #snapLen: number;
  readonly #pkt = new PacketRef();
  #lastSec = -1;

  constructor(
    header: Uint8Array,
    readonly source: string,
    readonly onPacket: PacketHandler,
    readonly stats: ReaderStats,
    readonly maxRecordBytes: number,
  ) {
    const magic = pcapMagic(header);
    if (!magic || header.length < PCAP_HEADER_BYTES) {
      throw new CaptureFormatError(`${source}: not a pcap file (bad magic or short header)`);
    }
    this.#le = magic.littleEndian;
    this.#fracDiv = magic.nanosecond ? 1e6 : 1e3;
    this.#fracMax = magic.nanosecond ? 1e9 : 1e6;
    const major = this.#u16(header, 4);
    if (major !== 2) throw new CaptureFormatError(`${source}: unsupported pcap version ${major}`);
    this.#snapLen = this.#u32(header, 16);
    // The upper bits of the link-type field carry FCS flags (§4.1): the type is the low 16 bits.
    this.#linkType = this.#u32(header, 20) & 0xffff;
    this.#pkt.linkType = this.#linkType;
  }

  get linkType(): number {
    return this.#linkType;
  }

  recordLength(buf: Uint8Array, off: number): number {
    // The framer rejects lengths above its cap (counted as oversized_record).
    return RECORD_HEADER + this.#u32(buf, off + 8);
  }

  plausibleAt(buf: Uint8Array, off: number, end: number): number {
    if (!this.#plausibleHeader(buf, off)) return IMPLAUSIBLE;
    // A second plausible header right after makes a false start inside packet data unlikely.
    const next = off + RECORD_HEADER + this.#u32(buf, off + 8);
    if (next + RECORD_HEADER > end) return next + RECORD_HEADER - off;
    return this.#plausibleHeader(buf, next) ? PLAUSIBLE : IMPLAUSIBLE;
  }

  #plausibleHeader(buf: Uint8Array, off: number): boolean {
    const sec = this.#u32(buf, off);
    const frac = this.#u32(buf, off + 4);
    const caplen = this.#u32(buf, off + 8);
    const orig = this.#u32(buf, off + 12);
    if (frac >= this.#fracMax || caplen === 0 || caplen > this.maxRecordBytes || orig < caplen) return false;
    // Within a day of the last good record, when there was one.
    return this.#lastSec < 0 || Math.abs(sec - this.#lastSec) < 86_400;
  }

  record(buf: Uint8Array, off: number, len: number): void {
    const sec = this.#u32(buf, off);
    const frac = this.#u32(buf, off + 4);
    const caplen = len - RECORD_HEADER;
    let orig = this.#u32(buf, off + 12);
    if (frac >= this.#fracMax) {
      countSkip(this.stats, 'bad_timestamp');
      return;
    }
    if (orig < caplen) {
      // Some writers leave orig_len 0 or smaller than what they stored; keep the bytes, note it.
      countSkip(this.stats, 'anomaly_caplen_exceeds_len');
      orig = caplen;
    }
    if (this.#snapLen > 0 && caplen > this.#snapLen) countSkip(this.stats, 'anomaly_caplen_exceeds_snaplen');
    this.#lastSec = sec;
    const p = this.#pkt;
    p.tsMs = sec * 1000 + frac / this.#fracDiv;
    p.buf = buf;
    p.offset = off + RECORD_HEADER;
    p.caplen = caplen;
    p.origLen = orig;
    this.stats.count(caplen);
    this.onPacket(p);
  }

  #u16(b: Uint8Array, o: number): number {
    return this.#le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
  }

  #u32(b: Uint8Array, o: number): number {
    return this.#le
      ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
      : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }
}
