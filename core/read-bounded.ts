// Reads a file a user named (a config, policy, rule, geo or token file) whole, with its size capped
// while reading, not only by a stat() before: a FIFO (`--policy <(…)`), /dev/zero or a file that
// grows after the check reports size 0 or too little, and readFileSync would then read until memory
// runs out. A directory fails as reading it does (EISDIR), before any allocation.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Chunk read from a source whose size is unknown (a pipe, a device). */
const STREAM_CHUNK_BYTES = 64 * 1024;

/** The file holds more than the caller allows; `size` is null when it was a stream (no size known). */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly path: string,
    readonly size: number | null,
    readonly maxBytes: number,
  ) {
    super(`${path}: ${size === null ? `more than ${maxBytes}` : size} bytes, above the ${maxBytes} limit`);
  }
}

/**
 * The bytes of `path`, at most `maxBytes` of them. Throws FileTooLargeError past the cap and the
 * file system's own errors (ENOENT, EACCES, EISDIR…) as readFileSync does, so callers word them
 * as before.
 */
export function readBounded(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), {
        code: 'EISDIR',
        path,
      });
    }
    if (st.isFile() && st.size > maxBytes) throw new FileTooLargeError(path, st.size, maxBytes);
    // One byte past the cap tells "exactly at the cap" from "more"; a regular file is read first in
    // one buffer of its size (plus that byte, in case it grew), then, like a stream, in chunks.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const room = maxBytes + 1 - total;
      const want = Math.min(room, st.isFile() && total === 0 ? st.size + 1 : STREAM_CHUNK_BYTES);
      const buf = Buffer.allocUnsafe(Math.max(1, want));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new FileTooLargeError(path, st.isFile() ? total : null, maxBytes);
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
