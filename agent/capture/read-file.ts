// Reads a capture file through CaptureStream in large chunks: with synchronous reads into one reused
// buffer, or, for a large file when at least three CPUs are available, through a read-ahead thread
// (read-ahead.ts), so that the page-cache copies overlap the parsing instead of adding to it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CaptureStream } from './capture-stream.js';
import { type FileIdentity, ReadAhead } from './read-ahead.js';
import { CaptureFormatError, type PacketHandler, type ReaderLimits } from './types.js';

/**
 * 1 MiB: the buffer stays in a 2 MiB L2 cache next to the flow table's hot records, where a 4 MiB
 * one flushed them on every read (bench capture, engine only: CPU median -5%; 512 KiB no better).
 */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Files at least this large are read ahead on a thread: starting one costs ~20 ms, what the copies
 * of ~100 MB cost on this path.
 */
export const READ_AHEAD_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Bytes at the start of a read-ahead file read synchronously while the thread starts: the parser
 * waited ~35–47 ms for its first chunk on this VM, in which it parses ~20 MB.
 */
export const READ_AHEAD_HEAD_BYTES = 32 * 1024 * 1024;

/**
 * CPUs needed for a read-ahead thread: one for the parser, one for V8's background work (TurboFan
 * compiles ~0.65 s of CPU and GC helpers ~0.09 s in an analyze of the bench capture, perf by
 * thread), one for the reader (~0.28 s). Bench capture, `analyze --quiet`, interleaved fresh runs,
 * read here against through the thread:
 * - one CPU (`taskset -c 0`), 10 each: wall min / median 1.92 / 2.08 s against 2.12 / 2.39 s;
 * - two CPUs, load 1.0–1.6, 15 each: 1.34 / 1.56 against 1.55 / 1.75 s (14 of 15 pairs faster);
 *   load 0.4–1.3, 12 each: 1.34 / 1.58 against 1.38 / 1.68 s; load 1–3, 15 each: 1.58 / 2.11
 *   against 1.60 / 2.41 s. With two, the reader takes the core V8's compiler threads would use, so
 *   optimised code comes later: the main thread's own CPU was higher with it (1.51 against 1.39 s).
 * Three or more were not measured (this is a 2-core VM); there the reader has a core of its own.
 */
export const READ_AHEAD_MIN_CPUS = 3;

export interface ReadFileOptions {
  limits?: Partial<ReaderLimits>;
  /** Called after each chunk with bytes read so far and the file size (for progress). */
  onProgress?: (readBytes: number, totalBytes: number) => void;
  chunkBytes?: number;
  /** Read ahead on a thread from this file size up (default READ_AHEAD_MIN_BYTES; Infinity: never). */
  readAheadMinBytes?: number;
  /** Bytes read here while the thread starts (default READ_AHEAD_HEAD_BYTES). */
  readAheadHeadBytes?: number;
  /**
   * CPUs this process may run on (default os.availableParallelism(), which honours the affinity
   * mask, e.g. `taskset -c 0`). With fewer than READ_AHEAD_MIN_CPUS, no read-ahead thread.
   */
  cpus?: number;
}

/**
 * Whether a file is read on a read-ahead thread: a regular file of at least readAheadMinBytes, and a
 * CPU left to run the thread on (READ_AHEAD_MIN_CPUS). With fewer, the thread's copies, its start-up
 * and the wakes between it and the parser take CPU the parser or V8's compiler threads need.
 */
export function readsAhead(
  isFile: boolean,
  size: number,
  opts: Pick<ReadFileOptions, 'readAheadMinBytes' | 'cpus'>,
): boolean {
  if (!isFile || size < (opts.readAheadMinBytes ?? READ_AHEAD_MIN_BYTES)) return false;
  return (opts.cpus ?? availableParallelism()) >= READ_AHEAD_MIN_CPUS;
}

/** Reads the whole file; returns the stream (for its stats and kind). Throws CaptureFormatError. */
export function readCaptureFile(
  path: string,
  onPacket: PacketHandler,
  opts: ReadFileOptions = {},
): CaptureStream {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CaptureFormatError(`${path}: cannot open (${code ?? (err as Error).message})`);
  }
  const stream = new CaptureStream(path, onPacket, opts.limits);
  const chunkBytes = opts.chunkBytes ?? READ_CHUNK_BYTES;
  let ahead: ReadAhead | null = null;
  try {
    const stat = fstatSync(fd, { bigint: true });
    const total = Number(stat.size);
    // Read here up to this offset; a read-ahead thread, when there is one, reads from it on.
    let syncEnd = Number.POSITIVE_INFINITY;
    if (readsAhead(stat.isFile(), total, opts)) {
      syncEnd = Math.min(opts.readAheadHeadBytes ?? READ_AHEAD_HEAD_BYTES, total);
      ahead = startReadAhead(path, chunkBytes, stat, syncEnd);
      if (!ahead) syncEnd = Number.POSITIVE_INFINITY;
    }
    const buf = new Uint8Array(chunkBytes);
    let position = 0;
    const next = (): Uint8Array | null => {
      if (position < syncEnd) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, syncEnd - position), null);
        // A file that ends before the thread's first offset (it shrank since fstat) ends here.
        if (n === 0) return null;
        position += n;
        return n === buf.length ? buf : buf.subarray(0, n);
      }
      if (ahead === null) return null;
      // The thread opened the file itself (and checked it is this one): this descriptor is done.
      if (fd >= 0) {
        closeSync(fd);
        fd = -1;
      }
      return ahead.next();
    };
    let done = 0;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = next();
      } catch (err) {
        // EISDIR and friends: one clear line naming the file.
        throw new CaptureFormatError(
          `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
      }
      if (chunk === null) break;
      stream.push(chunk);
      done += chunk.length;
      opts.onProgress?.(done, total);
    }
    stream.end();
    return stream;
  } finally {
    ahead?.close();
    if (fd >= 0) closeSync(fd);
  }
}

/** A read-ahead thread, or null when one cannot be started (then the file is read synchronously). */
function startReadAhead(
  path: string,
  chunkBytes: number,
  identity: FileIdentity,
  startAt: number,
): ReadAhead | null {
  try {
    return new ReadAhead(path, chunkBytes, { identity, startAt });
  } catch {
    return null;
  }
}
