// Keeps the first bytes of each TCP flow direction, in sequence order, for the application
// decoders: handles retransmissions (overlap is written once) and out-of-order segments (held in
// place until the gap fills). Memory is a pool of fixed buffers with a documented cap; a direction
// holds a buffer only until it is decoded. A direction starts in a small buffer and moves to a full
// one only when its bytes outgrow it: most directions waiting at any moment are short polls and
// requests (89% held ≤ 512 bytes on the bench capture), so this cut the pool from ~16 MB to ~4 MB.

export interface StreamBufferOptions {
  /** Bytes kept per direction (default 4096): the decoders see at most this prefix. */
  bytesPerDirection: number;
  /**
   * Directions buffered at once (default 8192): directions beyond it are not kept. Memory is at most
   * this many full buffers (32 MiB at 4 KiB) plus as many small ones (SMALL_BYTES each, 4 MiB).
   */
  maxBuffers: number;
}

export const DEFAULT_STREAM_BYTES = 4096;
export const DEFAULT_STREAM_BUFFERS = 8192;

const NONE = 0;
/** The sequence number of the first byte is known (from a SYN or the first segment). */
const BASED = 1;
const BUFFERING = 2;
/** Decoded or given up: later bytes of this direction are ignored. */
export const DONE = 3;

/** Buffers are allocated lazily in slabs of this many. */
const SLAB = 64;
/** Bytes of a small buffer, a direction's first tier (256 KiB slabs of 512). */
export const SMALL_BYTES = 512;
const SMALL_SLAB = 512;

export class StreamBuffers {
  readonly bytesPerDirection: number;
  readonly maxBuffers: number;
  /** Per direction (flow*2 + dir). */
  readonly state: Uint8Array;
  readonly #base: Uint32Array;
  readonly #contig: Uint32Array;
  /** Per direction: capture time (ms) of the segment whose bytes it buffered first. */
  readonly #since: Float64Array;
  /** Per direction: -1 none, else (index << 1) | 1 for a small buffer, index << 1 for a full one. */
  readonly #bufferOf: Int32Array;
  /** Out-of-order ranges [start, end) per direction, only for the rare directions that need them. */
  readonly #holes = new Map<number, number[]>();
  readonly #slabs: Uint8Array[] = [];
  readonly #freeBuffers: number[] = [];
  #allocated = 0;
  /** Small buffers: a second pool; a direction holds a small or a full buffer, never both. */
  readonly #smallSlabs: Uint8Array[] = [];
  readonly #freeSmall: number[] = [];
  #smallAllocated = 0;
  /** Small bytes per direction: bytesPerDirection when it is no larger (then every buffer is full). */
  readonly #small: number;
  /** Directions holding a buffer of either size (capped by maxBuffers). */
  #inUse = 0;
  exhausted = 0;

  /**
   * `clock[0]` is the current packet's capture time (ms), read when a direction first buffers bytes
   * (passed this way, not as an argument: a double argument is boxed into a heap number per call).
   */
  constructor(
    maxFlows: number,
    opts: Partial<StreamBufferOptions> = {},
    readonly clock: Float64Array = new Float64Array(1),
  ) {
    this.bytesPerDirection = opts.bytesPerDirection ?? DEFAULT_STREAM_BYTES;
    this.maxBuffers = opts.maxBuffers ?? DEFAULT_STREAM_BUFFERS;
    if (this.bytesPerDirection < 64 || this.bytesPerDirection > 1 << 20) {
      throw new RangeError(`stream bytes per direction ${this.bytesPerDirection} out of range (64..1048576)`);
    }
    this.#small = Math.min(SMALL_BYTES, this.bytesPerDirection);
    this.state = new Uint8Array(maxFlows * 2);
    this.#base = new Uint32Array(maxFlows * 2);
    this.#contig = new Uint32Array(maxFlows * 2);
    this.#since = new Float64Array(maxFlows * 2);
    this.#bufferOf = new Int32Array(maxFlows * 2).fill(-1);
  }

  /** A SYN from this direction: data starts at seq + 1. */
  syn(fd: number, seq: number): void {
    if (this.state[fd] === NONE) {
      this.#base[fd] = (seq + 1) >>> 0;
      this.state[fd] = BASED;
    }
  }

  /**
   * Adds a segment; returns true when the direction's buffer is full (time to decode).
   * `data` is a view valid only during the call: the bytes are copied.
   */
  add(fd: number, seq: number, buf: Uint8Array, off: number, len: number): boolean {
    const st = this.state[fd]!;
    if (st === DONE || len === 0) return false;
    if (st === NONE) {
      this.#base[fd] = seq;
      this.state[fd] = BASED;
    }
    let rel = (seq - this.#base[fd]!) >>> 0;
    if (rel >= 0x8000_0000) {
      // Starts before our first byte: keep only the part after it (a retransmission overlapping it).
      const back = (this.#base[fd]! - seq) >>> 0;
      if (back >= len) return false;
      off += back;
      len -= back;
      rel = 0;
    }
    const cap = this.bytesPerDirection;
    if (rel >= cap) return false;
    let b = this.#bufferOf[fd]!;
    if (b < 0) {
      if (this.#inUse >= this.maxBuffers) {
        this.exhausted++;
        this.state[fd] = DONE;
        return false;
      }
      this.#inUse++;
      b = rel + len <= this.#small ? (this.#allocateSmall() << 1) | 1 : this.#allocate() << 1;
      this.#bufferOf[fd] = b;
      this.#since[fd] = this.clock[0]!;
      this.state[fd] = BUFFERING;
    }
    // First write wins where a segment overlaps bytes we already have (retransmissions carry the same
    // bytes; a segment that differs is an injection or evasion attempt, and the original stands).
    const contig = this.#contig[fd]!;
    if (rel < contig) {
      const skip = contig - rel;
      if (skip >= len) return false;
      off += skip;
      len -= skip;
      rel = contig;
    }
    const n = Math.min(len, cap - rel);
    if (b & 1 && rel + n > this.#small) b = this.#promote(fd, b >> 1);
    let slab: Uint8Array;
    let at: number;
    if (b & 1) {
      const i = b >> 1;
      slab = this.#smallSlabs[(i / SMALL_SLAB) | 0]!;
      at = (i % SMALL_SLAB) * this.#small + rel;
    } else {
      const i = b >> 1;
      slab = this.#slabs[(i / SLAB) | 0]!;
      at = (i % SLAB) * cap + rel;
    }
    // Small segments (polling protocols send thousands) are copied by hand: a subarray view for
    // set() is an allocation per segment.
    if (n <= 64) for (let i = 0; i < n; i++) slab[at + i] = buf[off + i]!;
    else slab.set(buf.subarray(off, off + n), at);
    if (rel <= contig) {
      let end = rel + n > contig ? rel + n : contig;
      // Almost always empty: skip the Map lookup per in-order segment.
      const holes = this.#holes.size === 0 ? undefined : this.#holes.get(fd);
      if (holes) end = this.#absorb(fd, holes, end);
      this.#contig[fd] = end;
    } else {
      this.#hold(fd, rel, rel + n);
    }
    return this.#contig[fd]! >= cap;
  }

  /** The contiguous prefix of a direction (a view into the pool, valid until release()). */
  bytes(fd: number): Uint8Array | null {
    const b = this.#bufferOf[fd]!;
    if (b < 0 || this.#contig[fd] === 0) return null;
    const i = b >> 1;
    if (b & 1) {
      const at = (i % SMALL_SLAB) * this.#small;
      return this.#smallSlabs[(i / SMALL_SLAB) | 0]!.subarray(at, at + this.#contig[fd]!);
    }
    const at = (i % SLAB) * this.bytesPerDirection;
    return this.#slabs[(i / SLAB) | 0]!.subarray(at, at + this.#contig[fd]!);
  }

  /**
   * Capture time (ms) of the segment that brought a direction's first buffered bytes: when its
   * application data began, which is when what the decoders find in them was on the wire.
   */
  since(fd: number): number {
    return this.#since[fd]!;
  }

  /** Whether a direction holds bytes not yet decoded. */
  pending(fd: number): boolean {
    return this.state[fd] === BUFFERING;
  }

  /** Marks a direction done and returns its buffer to the pool. */
  release(fd: number): void {
    const b = this.#bufferOf[fd]!;
    if (b >= 0) {
      if (b & 1) this.#freeSmall.push(b >> 1);
      else this.#freeBuffers.push(b >> 1);
      this.#inUse--;
    }
    this.#bufferOf[fd] = -1;
    this.#contig[fd] = 0;
    this.state[fd] = DONE;
    if (this.#holes.size) this.#holes.delete(fd);
  }

  /** Forgets a direction entirely (its flow id will be reused). */
  reset(fd: number): void {
    this.release(fd);
    this.state[fd] = NONE;
  }

  /** A full buffer's index (the caller has checked #inUse against maxBuffers). */
  #allocate(): number {
    const reused = this.#freeBuffers.pop();
    if (reused !== undefined) return reused;
    const b = this.#allocated++;
    if (b % SLAB === 0) this.#slabs.push(new Uint8Array(SLAB * this.bytesPerDirection));
    return b;
  }

  #allocateSmall(): number {
    const reused = this.#freeSmall.pop();
    if (reused !== undefined) return reused;
    const s = this.#smallAllocated++;
    if (s % SMALL_SLAB === 0) this.#smallSlabs.push(new Uint8Array(SMALL_SLAB * this.#small));
    return s;
  }

  /** Moves a direction from small buffer `s` to a full one (every byte it held, holes included). */
  #promote(fd: number, s: number): number {
    const b = this.#allocate();
    const at = (s % SMALL_SLAB) * this.#small;
    const to = (b % SLAB) * this.bytesPerDirection;
    this.#slabs[(b / SLAB) | 0]!.set(
      this.#smallSlabs[(s / SMALL_SLAB) | 0]!.subarray(at, at + this.#small),
      to,
    );
    this.#freeSmall.push(s);
    const tagged = b << 1;
    this.#bufferOf[fd] = tagged;
    return tagged;
  }

  #hold(fd: number, start: number, end: number): void {
    let holes = this.#holes.get(fd);
    if (!holes) {
      holes = [];
      this.#holes.set(fd, holes);
    }
    // A hostile stream could send thousands of disjoint segments: 64 ranges is plenty for real loss.
    if (holes.length < 128) holes.push(start, end);
  }

  /** Extends the contiguous end through held ranges that now touch it. */
  #absorb(fd: number, holes: number[], end: number): number {
    let grew = true;
    while (grew) {
      grew = false;
      for (let i = 0; i < holes.length; i += 2) {
        if (holes[i]! <= end) {
          if (holes[i + 1]! > end) end = holes[i + 1]!;
          holes.splice(i, 2);
          i -= 2;
          grew = true;
        }
      }
    }
    if (holes.length === 0) this.#holes.delete(fd);
    return end;
  }
}
