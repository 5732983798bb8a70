// Frames a byte stream into length-prefixed records (pcap records, pcapng blocks) across chunk
// boundaries. Records inside a chunk are handed out as views (zero copy); only a record cut by a
// chunk boundary is copied, into one reused buffer. After a corrupt length it scans for the next
// plausible record rather than giving up on the rest of the capture. The bytes still to be scanned
// stay where they are in that buffer (a start offset moves past what was scanned): copying them to
// its front at every chunk cost a hostile stream fed a byte at a time the whole tail per byte.
import { countSkip, type ReaderLimits, type ReaderStats } from './types.js';

/** What a capture format tells the framer. */
export interface RecordFormat {
  /** Bytes needed to know a record's length. */
  readonly headerBytes: number;
  /** Total record length from its header at `off`, or -1 when the header cannot be a record. */
  recordLength(buf: Uint8Array, off: number): number;
  /**
   * Is there a believable record at `off`? Used only while resynchronising; looks past the record
   * (the next record's header, a pcapng trailer length) to avoid false starts inside packet data.
   * PLAUSIBLE, IMPLAUSIBLE, or the bytes from `off` it needs to tell when `end` comes first: the
   * framer then waits for them, so that the verdict never depends on where a chunk ended.
   */
  plausibleAt(buf: Uint8Array, off: number, end: number): number;
  /** One whole record, `len` bytes at `off` of `buf`. */
  record(buf: Uint8Array, off: number, len: number): void;
}

/** plausibleAt verdicts (a positive number: the bytes it needs). */
export const PLAUSIBLE = 0;
export const IMPLAUSIBLE = -1;

export class RecordStream {
  /** Bytes carried to the next chunk: #pendingLen of them from #pendingStart. */
  #pending: Uint8Array;
  #pendingStart = 0;
  #pendingLen = 0;
  #resyncing = false;
  #resyncScanned = 0;
  /** While resynchronising: the pending bytes the candidate at their start needs to be judged. */
  #resyncNeed = 0;
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
        // The chunk joins the pending bytes; a candidate still short of the bytes that judge it
        // waits for more without a scan.
        this.#append(chunk, 0, chunk.length);
        if (this.#pendingLen < this.#resyncNeed) return;
        data = this.#pendingBytes();
      } else {
        pos = this.#completePending(chunk);
        if (pos < 0) return;
      }
    }
    this.#parse(data, pos);
  }

  /** End of stream: a record still incomplete is a truncated capture. */
  end(): void {
    // A candidate still waiting for the bytes that judge it: there are no more, it stands.
    if (this.#resyncing && this.#pendingLen > 0 && !this.#abandoned) {
      const rest = this.#pendingBytes().slice();
      this.#clearPending();
      this.#parse(rest, 0, true);
    }
    if (this.#pendingLen > 0) {
      countSkip(
        this.stats,
        this.#resyncing ? 'corrupt_bytes' : 'truncated_record',
        this.#resyncing ? this.#pendingLen : 1,
      );
    }
    this.#clearPending();
  }

  /** Fills the pending record from `chunk`; returns bytes of `chunk` used, or -1 if all were. */
  #completePending(chunk: Uint8Array): number {
    const f = this.format;
    let pos = 0;
    for (;;) {
      const known = this.#pendingLen >= f.headerBytes;
      const need = known ? f.recordLength(this.#pending, this.#pendingStart) : f.headerBytes;
      if (need < 0 || need > this.limits.maxRecordBytes) {
        // The cut record's header is corrupt: resynchronise over pending + chunk.
        this.#startResync(need);
        this.#append(chunk, pos, chunk.length - pos);
        this.#parse(this.#pendingBytes(), 0);
        return -1;
      }
      const take = Math.min(need - this.#pendingLen, chunk.length - pos);
      this.#append(chunk, pos, take);
      pos += take;
      if (this.#pendingLen < need) return -1;
      if (known) {
        f.record(this.#pending, this.#pendingStart, need);
        this.#clearPending();
        return pos;
      }
    }
  }

  #parse(data: Uint8Array, start: number, final = false): void {
    const rest = this.#records(data, start, final);
    // -1: resynchronisation took the bytes (pending or abandoned); nothing to keep here.
    if (rest >= 0) this.#keep(data, rest);
  }

  /**
   * Hands on every whole record from `start`; returns where the rest begins, or -1 when a
   * resynchronisation still pending or given up has taken the bytes. Apart from #parse's
   * tail because V8 compiles this loop on-stack while it runs: code after the loop in the same
   * function had no type feedback then, and the compiled loop, reused by every later chunk, bailed
   * out on it at every chunk's end (1,023 deoptimisations on the 1 GB bench capture).
   */
  #records(data: Uint8Array, start: number, final: boolean): number {
    const f = this.format;
    const len = data.length;
    let pos = start;
    for (;;) {
      if (this.#resyncing) {
        pos = this.#scan(data, pos, final);
        if (this.#resyncing || this.#abandoned) return -1;
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
    return pos;
  }

  /**
   * Looks for a plausible record from `pos`; returns where parsing continues. At the stream's end
   * (`final`) a candidate whose judging bytes never came is taken, as a last record would be, but
   * only when the record itself fits in what is left: one that runs past the end cannot be the last
   * record, and taking it lost the real records after it (a false start inside the corrupt stretch).
   */
  #scan(data: Uint8Array, pos: number, final: boolean): number {
    const f = this.format;
    // Keep enough tail to test a header that straddles the next chunk.
    const last = data.length - f.headerBytes;
    this.#resyncNeed = 0;
    while (pos <= last) {
      const verdict = f.plausibleAt(data, pos, data.length);
      if (verdict === PLAUSIBLE || (verdict > 0 && final && pos + f.recordLength(data, pos) <= data.length)) {
        this.#resyncing = false;
        countSkip(this.stats, 'resync');
        return pos;
      }
      if (verdict > 0 && !final) {
        this.#resyncNeed = verdict;
        break;
      }
      pos++;
      countSkip(this.stats, 'corrupt_bytes');
      if (++this.#resyncScanned > this.limits.maxResyncBytes) {
        this.#abandoned = true;
        countSkip(this.stats, 'unrecoverable_bytes', data.length - pos);
        this.#clearPending();
        return data.length;
      }
    }
    this.#keep(data, pos);
    return data.length;
  }

  #startResync(length: number): void {
    this.#resyncing = true;
    this.#resyncScanned = 0;
    countSkip(this.stats, length > this.limits.maxRecordBytes ? 'oversized_record' : 'bad_record_length');
  }

  /** The pending bytes, as a view (valid until the pending buffer changes). */
  #pendingBytes(): Uint8Array {
    return this.#pending.subarray(this.#pendingStart, this.#pendingStart + this.#pendingLen);
  }

  #clearPending(): void {
    this.#pendingStart = 0;
    this.#pendingLen = 0;
  }

  /**
   * Carries `data` from `pos` to the next chunk. When `data` is the pending bytes themselves, the
   * start moves past what was consumed and nothing is copied.
   */
  #keep(data: Uint8Array, pos: number): void {
    const inPending =
      data.buffer === this.#pending.buffer &&
      data.byteOffset === this.#pending.byteOffset + this.#pendingStart &&
      data.length === this.#pendingLen;
    if (inPending) {
      this.#pendingStart += pos;
      this.#pendingLen -= pos;
      if (this.#pendingLen === 0) this.#pendingStart = 0;
      return;
    }
    this.#clearPending();
    this.#append(data, pos, data.length - pos);
  }

  /** Appends after the pending bytes; room is made by moving them to the front or by doubling. */
  #append(src: Uint8Array, off: number, n: number): void {
    if (n <= 0) return;
    const start = this.#pendingStart;
    const len = this.#pendingLen;
    if (start + len + n > this.#pending.length) {
      if (len + n <= this.#pending.length && start >= len) {
        // Moving is cheap here: the consumed prefix is at least as long as what moves (amortised).
        this.#pending.copyWithin(0, start, start + len);
      } else {
        const grown = new Uint8Array(Math.max(len + n, this.#pending.length * 2));
        grown.set(this.#pending.subarray(start, start + len));
        this.#pending = grown;
      }
      this.#pendingStart = 0;
    }
    this.#pending.set(src.subarray(off, off + n), this.#pendingStart + len);
    this.#pendingLen = len + n;
  }
}
