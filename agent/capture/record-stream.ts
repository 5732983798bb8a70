// Frames a byte stream into length-prefixed records (pcap records, pcapng blocks) across chunk
// boundaries. Records inside a chunk are handed out as views (zero copy); only a record cut by a
// chunk boundary is copied, into one reused buffer. After a corrupt length it scans for the next
// plausible record rather than giving up on the rest of the capture.
import { countSkip, type ReaderLimits, type ReaderStats } from './types.js';

/** What a capture format tells the framer. */
export interface RecordFormat {
  /** Bytes needed to know a record's length. */
  readonly headerBytes: number;
  /** Total record length from its header at `off`, or -1 when the header cannot be a record. */
  recordLength(buf: Uint8Array, off: number): number;
  /**
   * Is there a believable record at `off`? Used only while resynchronising: may look at the rest of
   * the available bytes (e.g. a pcapng trailer length) to avoid false starts inside packet data.
   */
  plausibleAt(buf: Uint8Array, off: number, end: number): boolean;
  /** One whole record, `len` bytes at `off` of `buf`. */
  record(buf: Uint8Array, off: number, len: number): void;
}

export class RecordStream {
  #pending: Uint8Array;
  #pendingLen = 0;
  #resyncing = false;
  #resyncScanned = 0;
  #abandoned = false;

  constructor(
    readonly format: RecordFormat,
    readonly stats: ReaderStats,
    readonly limits: ReaderLimits,
  ) {
    this.#pending = new Uint8Array(4096);
  }

  /** True after a corrupt stretch longer than maxResyncBytes: the rest of the stream is ignored. */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  push(chunk: Uint8Array): void {
    if (this.#abandoned) {
      countSkip(this.stats, 'unrecoverable_bytes', chunk.length);
      return;
    }
    let data = chunk;
    let pos = 0;
    if (this.#pendingLen > 0) {
      if (this.#resyncing) {
        // Rare path: scan across the boundary on a joined copy.
        data = this.#joinPending(chunk);
      } else {
        pos = this.#completePending(chunk);
        if (pos < 0) return;
      }
    }
    this.#parse(data, pos);
  }

  /** End of stream: a record still incomplete is a truncated capture. */
  end(): void {
    if (this.#pendingLen > 0) {
      countSkip(
        this.stats,
        this.#resyncing ? 'corrupt_bytes' : 'truncated_record',
        this.#resyncing ? this.#pendingLen : 1,
      );
    }
    this.#pendingLen = 0;
  }

  /** Fills the pending record from `chunk`; returns bytes of `chunk` used, or -1 if all were. */
  #completePending(chunk: Uint8Array): number {
    const f = this.format;
    let pos = 0;
    for (;;) {
      const known = this.#pendingLen >= f.headerBytes;
      const need = known ? f.recordLength(this.#pending, 0) : f.headerBytes;
      if (need < 0 || need > this.limits.maxRecordBytes) {
        // The cut record's header is corrupt: resynchronise over pending + chunk.
        this.#startResync(need);
        this.#parse(this.#joinPending(chunk.subarray(pos)), 0);
        return -1;
      }
      const take = Math.min(need - this.#pendingLen, chunk.length - pos);
      this.#append(chunk, pos, take);
      pos += take;
      if (this.#pendingLen < need) return -1;
      if (known) {
        f.record(this.#pending, 0, need);
        this.#pendingLen = 0;
        return pos;
      }
    }
  }

  #parse(data: Uint8Array, start: number): void {
    const f = this.format;
    const len = data.length;
    let pos = start;
    for (;;) {
      if (this.#resyncing) {
        pos = this.#scan(data, pos);
        if (this.#resyncing || this.#abandoned) return;
      }
      if (pos + f.headerBytes > len) break;
      const rl = f.recordLength(data, pos);
      if (rl < 0 || rl > this.limits.maxRecordBytes) {
        this.#startResync(rl);
        pos += 1;
        countSkip(this.stats, 'corrupt_bytes');
        continue;
      }
      if (pos + rl > len) break;
      f.record(data, pos, rl);
      pos += rl;
    }
    this.#pendingLen = 0;
    this.#append(data, pos, len - pos);
  }

  /** Looks for a plausible record from `pos`; returns where parsing continues. */
  #scan(data: Uint8Array, pos: number): number {
    const f = this.format;
    // Keep enough tail to test a header that straddles the next chunk.
    const last = data.length - f.headerBytes;
    while (pos <= last) {
      if (f.plausibleAt(data, pos, data.length)) {
        this.#resyncing = false;
        countSkip(this.stats, 'resync');
        return pos;
      }
      pos++;
      countSkip(this.stats, 'corrupt_bytes');
      if (++this.#resyncScanned > this.limits.maxResyncBytes) {
        this.#abandoned = true;
        countSkip(this.stats, 'unrecoverable_bytes', data.length - pos);
        this.#pendingLen = 0;
        return data.length;
      }
    }
    this.#pendingLen = 0;
    this.#append(data, pos, data.length - pos);
    return data.length;
  }

  #startResync(length: number): void {
    this.#resyncing = true;
    this.#resyncScanned = 0;
    countSkip(this.stats, length > this.limits.maxRecordBytes ? 'oversized_record' : 'bad_record_length');
  }

  #append(src: Uint8Array, off: number, n: number): void {
    if (n <= 0) return;
    const need = this.#pendingLen + n;
    if (need > this.#pending.length) {
      const grown = new Uint8Array(Math.max(need, this.#pending.length * 2));
      grown.set(this.#pending.subarray(0, this.#pendingLen));
      this.#pending = grown;
    }
    this.#pending.set(src.subarray(off, off + n), this.#pendingLen);
    this.#pendingLen = need;
  }

  #joinPending(chunk: Uint8Array): Uint8Array {
    const joined = new Uint8Array(this.#pendingLen + chunk.length);
    joined.set(this.#pending.subarray(0, this.#pendingLen));
    joined.set(chunk, this.#pendingLen);
    this.#pendingLen = 0;
    return joined;
  }
}
