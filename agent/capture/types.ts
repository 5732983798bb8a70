// The contract between capture readers and the packet pipeline.
// Readers are push parsers: bytes in (file chunks or a tcpdump pipe), packets out through a
// callback, with one reused PacketRef so the hot path allocates nothing per packet.

export interface PacketRef {
  /** Capture time, ms since the Unix epoch; fractional part keeps µs/ns precision. */
  tsMs: number;
  /** LINKTYPE_* of the interface the packet came in on (1 Ethernet, 113 SLL, 276 SLL2, 101 raw, 0 null…). */
  linkType: number;
  /** The captured bytes: a view into the reader's chunk, valid only during the callback. */
  data: Uint8Array;
  /** Length on the wire (>= data.length when the snap length cut it). */
  origLen: number;
  /** pcapng interface index (0 for classic pcap). */
  iface: number;
}

export type PacketHandler = (pkt: PacketRef) => void;

/** What a reader counted and skipped; never fatal. Keys are stable names shown in `analyze` stats. */
export interface ReaderStats {
  packets: number;
  bytes: number;
  skipped: Record<string, number>;
}

/** A file that is not a capture at all, or whose header is unreadable: one clear line. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}
