// Reads a file on a helper thread into a ring of shared buffers while the caller parses the
// previous chunk: the read syscalls (the page-cache copy, ~0.2 s of a 1 GB capture) leave the
// parser's thread. The caller stays synchronous: it blocks on Atomics.wait only when the reader
// is behind. Each chunk is handed out as a view that is valid until the next call, as with one
// reused buffer.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * Slots in the ring: one being parsed, the others read ahead. Eight absorb the reader's scheduling
 * delays on a busy machine: on the bench capture the parser waited 66–75 ms in 25–37 waits with 3
 * slots, 32–39 ms in 1–3 waits with 8 (the first one is the thread's start-up).
 */
const SLOTS = 8;
// Per slot, two words of the control array: state, then the byte count of a full slot.
const EMPTY = 0;
const FULL = 1;
const END = 2;
const FAILED = 3;
/** Control word the caller sets to ask the reader to stop (after an error in the parser). */
const STOP = SLOTS * 2;
/** 1 while the reader sleeps on a full ring. */
const SLEEPING = SLOTS * 2 + 1;
/** Bumped to wake the reader; it sleeps on this word. */
const WAKE = SLOTS * 2 + 2;
/**
 * Slots freed before a sleeping reader is woken, so that it refills them in one burst: a wake costs
 * the parser ~55 µs here (a virtual machine's cross-CPU interrupt), and waking it after every chunk
 * cost ~50 ms on the bench capture.
 */
const WAKE_AFTER = SLOTS / 2;

// The reader's whole program. An inline script, not a module file: the analyze bundle
// (scripts/bundle-cli.ts) then needs no second entry, and the thread loads nothing but node:fs.
const READER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
const { path, identity, control, data, chunk, slots, port, startAt } = workerData;
const c = new Int32Array(control);
const fail = (i, err) => {
  port.postMessage(String((err && err.code) || (err && err.message) || err));
  Atomics.store(c, i * 2, ${FAILED});
  Atomics.notify(c, i * 2);
};
let fd = -1;
try {
  fd = openSync(path, 'r');
  if (identity) {
    // The caller checked this file (its size, that it is a regular file): read no other one.
    const st = fstatSync(fd, { bigint: true });
    if (String(st.dev) !== identity.dev || String(st.ino) !== identity.ino)
      throw new Error('the file was replaced while it was opened');
  }
  let position = startAt;
  for (let i = 0; ; i = (i + 1) % slots) {
    // The ring is full: sleep until the parser has freed a few slots (it rechecks after flagging,
    // so a slot freed in between is never missed).
    while (Atomics.load(c, i * 2) !== ${EMPTY} && c[${STOP}] === 0) {
      const wake = Atomics.load(c, ${WAKE});
      Atomics.store(c, ${SLEEPING}, 1);
      if (Atomics.load(c, i * 2) !== ${EMPTY} && c[${STOP}] === 0) Atomics.wait(c, ${WAKE}, wake);
      Atomics.store(c, ${SLEEPING}, 0);
    }
    if (c[${STOP}] !== 0) break;
    let n;
    try {
      n = readSync(fd, new Uint8Array(data, i * chunk, chunk), 0, chunk, position);
      position += n;
    } catch (err) {
      fail(i, err);
      break;
    }
    c[i * 2 + 1] = n;
    Atomics.store(c, i * 2, n === 0 ? ${END} : ${FULL});
    Atomics.notify(c, i * 2);
    if (n === 0) break;
  }
} catch (err) {
  fail(0, err);
} finally {
  if (fd >= 0) closeSync(fd);
  port.close();
}
`;

/** Which file the caller opened (fstat with bigint: true), for the reader to check it opened the same. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

/**
 * How long the parser waits for a chunk before it gives up (a reader that died without a word, a
 * file on a hung mount): a 1 MiB read from the page cache takes ~0.2 ms.
 */
export const READER_STALL_MS = 60_000;

export class ReadAhead {
  readonly #control = new Int32Array(new SharedArrayBuffer(4 * (SLOTS * 2 + 3)));
  readonly #data: SharedArrayBuffer;
  readonly #chunk: number;
  readonly #port: MessagePort;
  readonly #worker: Worker;
  #slot = 0;
  #held = false;
  #done = false;
  /** Slots freed since the reader went to sleep. */
  #freed = 0;

  readonly #stallMs: number;

  constructor(
    path: string,
    chunkBytes: number,
    opts: {
      identity?: FileIdentity;
      stallMs?: number;
      /** File offset of the first chunk (the caller reads what comes before it). */
      startAt?: number;
    } = {},
  ) {
    this.#chunk = chunkBytes;
    this.#stallMs = opts.stallMs ?? READER_STALL_MS;
    this.#data = new SharedArrayBuffer(SLOTS * chunkBytes);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: {
        path,
        identity: opts.identity
          ? { dev: String(opts.identity.dev), ino: String(opts.identity.ino) }
          : undefined,
        control: this.#control.buffer,
        data: this.#data,
        chunk: chunkBytes,
        slots: SLOTS,
        port: port2,
        startAt: opts.startAt ?? 0,
      },
      transferList: [port2],
      // A reader needs no heap to speak of; without these each thread reserves V8's defaults.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
      stdout: false,
      stderr: false,
    });
    this.#worker.unref();
  }

  /**
   * The next chunk (a view valid until the next call), or null at the end of the file. Throws an
   * Error whose message is the reader's error code (ENOENT, EISDIR…) or says what went wrong.
   */
  next(): Uint8Array | null {
    if (this.#done) return null;
    const c = this.#control;
    if (this.#held) {
      // The previous chunk is parsed: its slot can be filled again.
      Atomics.store(c, this.#slot * 2, EMPTY);
      if (Atomics.load(c, SLEEPING) === 0) this.#freed = 0;
      else if (++this.#freed >= WAKE_AFTER) this.#wake();
      this.#slot = (this.#slot + 1) % SLOTS;
      this.#held = false;
    }
    const i = this.#slot;
    if (Atomics.load(c, i * 2) === EMPTY) {
      // The reader is behind: it must not be asleep waiting for more free slots.
      if (Atomics.load(c, SLEEPING) === 1) this.#wake();
      if (Atomics.wait(c, i * 2, EMPTY, this.#stallMs) === 'timed-out') {
        this.close();
        const ms = this.#stallMs;
        throw new Error(`no data from the reader thread in ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}`);
      }
    }
    const state = Atomics.load(c, i * 2);
    if (state === FULL) {
      this.#held = true;
      return new Uint8Array(this.#data, i * this.#chunk, c[i * 2 + 1]);
    }
    this.#done = true;
    if (state === END) return null;
    const msg = receiveMessageOnPort(this.#port);
    throw new Error(String(msg?.message ?? 'read failed'));
  }

  /** Stops the reader (it exits at its next wait); safe to call more than once. */
  close(): void {
    this.#done = true;
    Atomics.store(this.#control, STOP, 1);
    this.#wake();
    this.#port.close();
  }

  #wake(): void {
    this.#freed = 0;
    Atomics.add(this.#control, WAKE, 1);
    Atomics.notify(this.#control, WAKE);
  }
}
