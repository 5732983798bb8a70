// The contract between capture readers and the packet pipeline.
// Readers are push parsers: bytes in (file chunks or a tcpdump pipe), packets out through a
// callback, with one reused PacketRef so the hot path allocates nothing per packet.

export class PacketRef {
  /** Capture time, ms since the Unix epoch; a double keeps µs exactly and ns to about 0.25 µs. */
  tsMs = 0;
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
export interface ReaderStats {
  packets: number;
  bytes: number;
  skipped: Record<string, number>;
}

export function newReaderStats(): ReaderStats {
  return { packets: 0, bytes: 0, skipped: {} };
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
