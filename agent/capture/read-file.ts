// Reads a capture file through CaptureStream in large chunks: a small file with synchronous reads
// into one reused buffer, a large one through a read-ahead thread (read-ahead.ts), so that the
// page-cache copies overlap the parsing instead of adding to it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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

export interface ReadFileOptions {
  limits?: Partial<ReaderLimits>;
  /** Called after each chunk with bytes read so far and the file size (for progress). */
  onProgress?: (readBytes: number, totalBytes: number) => void;
  chunkBytes?: number;
  /** Read ahead on a thread from this file size up (default READ_AHEAD_MIN_BYTES; Infinity: never). */
  readAheadMinBytes?: number;
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
    let next: (() => Uint8Array | null) | null = null;
    if (stat.isFile() && total >= (opts.readAheadMinBytes ?? READ_AHEAD_MIN_BYTES)) {
      const reader = startReadAhead(path, chunkBytes, stat);
      if (reader) {
        // The reader thread opens the file itself (and checks it is this one): this descriptor
        // closes now, whatever the thread does.
        closeSync(fd);
        fd = -1;
        ahead = reader;
        next = () => reader.next();
      }
    }
    if (next === null) {
      const buf = new Uint8Array(chunkBytes);
      const from = fd;
      next = () => {
        const n = readSync(from, buf, 0, buf.length, null);
        return n === 0 ? null : n === buf.length ? buf : buf.subarray(0, n);
      };
    }
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
function startReadAhead(path: string, chunkBytes: number, identity: FileIdentity): ReadAhead | null {
  try {
    return new ReadAhead(path, chunkBytes, { identity });
  } catch {
    return null;
  }
}
