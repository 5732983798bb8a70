// The contract between capture readers and the packet pipeline.
// Readers are push parsers: bytes in (file chunks or a tcpdump pipe), packets out through a
// callback, with one reused PacketRef so the hot path allocates nothing per packet.

/**
 * Numbers that change on every packet live in typed arrays, not object fields: V8 (Node 20) boxes a
 * double or a beyond-Smi integer stored in a field as a new heap number on every write — one
 * allocation per packet per field, which alone measured as a third of the passive engine's GC.
 */
export class PacketRef {
  readonly #num = new Float64Array(1);
  /** Capture time, ms since the Unix epoch; a double keeps µs exactly and ns to about 0.25 µs. */
  get tsMs(): number {
    return this.#num[0]!;
  }
  set tsMs(ms: number) {
    this.#num[0] = ms;
  }
  /** LINKTYPE_* of the interface the packet came in on (1 Ethernet, 113 SLL, 276 SLL2, 101 raw, 0 null…). */
  linkType = 0;
  /** The buffer holding the packet: the reader's chunk, valid only during the callback. */
  buf: Uint8Array = new Uint8Array(0);
  /** Offset of the first captured byte in `buf`. */
  offset = 0;
  /** Captured length (bytes of the packet present in `buf`). */
  caplen = 0;
  /** Length on the wire (>= caplen when the snap length cut it). */
  origLen = 0;
  /** pcapng interface index (0 for classic pcap). */
  iface = 0;

  /** The captured bytes as a view (allocates a view object: the hot path reads buf/offset instead). */
  get data(): Uint8Array {
    return this.buf.subarray(this.offset, this.offset + this.caplen);
  }
}

export type PacketHandler = (pkt: PacketRef) => void;

/** What a reader counted and skipped; never fatal. Keys are stable names shown in `analyze` stats. */
export class ReaderStats {
  // packets, bytes: per-packet counters in a typed array (see PacketRef).
  readonly #n = new Float64Array(2);
  readonly skipped: Record<string, number> = {};
  get packets(): number {
    return this.#n[0]!;
  }
  get bytes(): number {
    return this.#n[1]!;
  }
  /** One packet of `caplen` captured bytes. */
  count(caplen: number): void {
    this.#n[0]!++;
    this.#n[1]! += caplen;
  }
}

export function newReaderStats(): ReaderStats {
  return new ReaderStats();
}

export function countSkip(stats: ReaderStats, name: string, n = 1): void {
  stats.skipped[name] = (stats.skipped[name] ?? 0) + n;
}

/** A file that is not a capture at all, or whose header is unreadable: one clear line. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

/** Limits that keep a hostile file from making us allocate or scan without bound. */
export interface ReaderLimits {
  /** Largest record accepted, bytes (default 256 KiB + headers: the largest snap length tools use). */
  maxRecordBytes: number;
  /** Bytes scanned looking for the next plausible record after a corrupt one before giving up. */
  maxResyncBytes: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxRecordBytes: 262_144 + 64,
  maxResyncBytes: 64 * 1024 * 1024,
};
