// One streaming reader for classic pcap and pcapng, chosen by the magic bytes, never by the file
// name. Push bytes in (file chunks, a tcpdump pipe); packets come out through the handler.

import { PCAP_HEADER_BYTES, PcapFormat, pcapMagic } from './pcap-format.js';
import { isPcapng, PcapngFormat } from './pcapng-format.js';
import { RecordStream } from './record-stream.js';
import {
  CaptureFormatError,
  DEFAULT_READER_LIMITS,
  newReaderStats,
  type PacketHandler,
  type ReaderLimits,
  type ReaderStats,
} from './types.js';

export type CaptureKind = 'pcap' | 'pcapng';

export class CaptureStream {
  readonly stats: ReaderStats = newReaderStats();
  #kind: CaptureKind | null = null;
  #stream: RecordStream | null = null;
  #head = new Uint8Array(0);
  readonly #limits: ReaderLimits;

  /** `source` names the input in error messages (a file path, "tcpdump on eth0"). */
  constructor(
    readonly source: string,
    readonly onPacket: PacketHandler,
    limits: Partial<ReaderLimits> = {},
  ) {
    this.#limits = { ...DEFAULT_READER_LIMITS, ...limits };
  }

  get kind(): CaptureKind | null {
    return this.#kind;
  }

  /** Throws CaptureFormatError (once enough bytes arrived) when the input is not a capture. */
  push(chunk: Uint8Array): void {
    if (this.#stream) {
      this.#stream.push(chunk);
      return;
    }
    const head = new Uint8Array(this.#head.length + chunk.length);
    head.set(this.#head);
    head.set(chunk, this.#head.length);
    this.#head = head;
    if (head.length < PCAP_HEADER_BYTES) {
      // Too short to decide unless the magic is already wrong.
      if (head.length >= 4 && !pcapMagic(head) && !isPcapng(head)) this.#notCapture();
      return;
    }
    this.#start(head);
  }

  end(): void {
    if (!this.#stream) {
      if (this.#head.length === 0) throw new CaptureFormatError(`${this.source}: empty file, not a capture`);
      if (isPcapng(this.#head)) this.#start(this.#head);
      else this.#notCapture();
    }
    this.#stream?.end();
  }

  #start(head: Uint8Array): void {
    this.#head = new Uint8Array(0);
    if (isPcapng(head)) {
      this.#kind = 'pcapng';
      const fmt = new PcapngFormat(this.source, this.onPacket, this.stats, this.#limits.maxRecordBytes);
      this.#stream = new RecordStream(fmt, this.stats, this.#limits);
      this.#stream.push(head);
      return;
    }
    if (!pcapMagic(head)) this.#notCapture();
    this.#kind = 'pcap';
    const fmt = new PcapFormat(head, this.source, this.onPacket, this.stats, this.#limits.maxRecordBytes);
    this.#stream = new RecordStream(fmt, this.stats, this.#limits);
    this.#stream.push(head.subarray(PCAP_HEADER_BYTES));
  }

  #notCapture(): never {
    throw new CaptureFormatError(`${this.source}: not a pcap or pcapng capture (unrecognised magic bytes)`);
  }
}
