// Reads a capture file through CaptureStream in large chunks: a small file, or any file when only one
// CPU is available, with synchronous reads into one reused buffer; a large one through a read-ahead
// thread (read-ahead.ts), so that the page-cache copies overlap the parsing instead of adding to it.
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
   * mask, e.g. `taskset -c 0`). With one, there is no read-ahead thread (see readsAhead).
   */
  cpus?: number;
}

/**
 * Whether a file is read on a read-ahead thread: a regular file of at least readAheadMinBytes, and
 * a second CPU to run the thread on. With one CPU the thread's copies, its start-up and the wakes
 * between it and the parser all take the parser's own CPU. Bench capture, `analyze --quiet` under
 * `taskset -c 0`, 10 interleaved fresh runs each: the thread used 275 ms of CPU (median, from
 * /proc), wall min / median 2.12 / 2.39 s with it against 1.92 / 2.08 s reading here (-13 %).
 */
export function readsAhead(
  isFile: boolean,
  size: number,
  opts: Pick<ReadFileOptions, 'readAheadMinBytes' | 'cpus'>,
): boolean {
  if (!isFile || size < (opts.readAheadMinBytes ?? READ_AHEAD_MIN_BYTES)) return false;
  return (opts.cpus ?? availableParallelism()) >= 2;
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
