// Watches a directory of rotated capture files (for sites that capture with their own tools:
// tcpdump -G/-C, dumpcap ring buffers). Polls rather than fs.watch, which misses events on network
// and overlay filesystems. A file is read once it is complete — a newer file exists, or it has not
// changed for `settleMs` — through the same CaptureStream as `analyze`, in chunks so uploads and
// heartbeats keep running. Files are marked done in the spool together with the batch that holds
// their traffic, so a restart neither skips nor re-reads one.
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CaptureStream } from '../capture/capture-stream.js';
import { CaptureFormatError, type PacketHandler, type ReaderLimits } from '../capture/types.js';
import type { DirectorySource } from '../daemon/config.js';
import type { Logger } from '../daemon/log.js';
import type { FileMark } from '../uplink/spool.js';

/** Directory entries looked at per poll; a directory with more is read in name order, this many at a time. */
export const MAX_FILES_PER_POLL = 10_000;
const CHUNK_BYTES = 1024 * 1024;

export interface DirWatcherOptions {
  source: DirectorySource;
  onPacket: PacketHandler;
  /** Already read and spooled (the spool's file marks). */
  isDone: (f: FileMark) => boolean;
  /** Every file name present at a poll (lets the spool forget marks of rotated-away files). */
  onListing?: (present: ReadonlySet<string>) => void;
  limits?: Partial<ReaderLimits>;
  log: Logger;
}

export class DirWatcher {
  readonly #o: DirWatcherOptions;
  #timer: NodeJS.Timeout | null = null;
  #reading: Promise<void> | null = null;
  #stopped = false;
  /** Files read since the daemon last took the marks (their traffic is not spooled yet). */
  #pending: FileMark[] = [];
  readonly #pendingPaths = new Set<string>();
  packets = 0;
  files = 0;
  skippedRecords = 0;
  badFiles = 0;

  constructor(opts: DirWatcherOptions) {
    this.#o = opts;
  }

  /** True while a file is being read: the daemon drains only between files. */
  get busy(): boolean {
    return this.#reading !== null;
  }

  start(): void {
    this.#poll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#reading;
  }

  /** Marks of the files read since the last call; the daemon spools them with their traffic. */
  takeMarks(): FileMark[] {
    const marks = this.#pending;
    this.#pending = [];
    return marks;
  }

  /** The marks were not spooled (write failed): they go back and are taken next time. */
  returnMarks(marks: readonly FileMark[]): void {
    this.#pending.unshift(...marks);
  }

  /** The marks are on disk with their traffic: forget them here, and delete the files if configured. */
  async committed(marks: readonly FileMark[]): Promise<void> {
    for (const m of marks) {
      this.#pendingPaths.delete(m.path);
      if (this.#o.source.deleteAfterRead)
        await unlink(m.path).catch((err: Error) =>
          this.#o.log.warn({ file: m.path, err: err.message }, 'cannot delete a read capture file'),
        );
    }
  }

  #poll(): void {
    if (this.#stopped) return;
    this.#reading = this.#scan()
      .catch((err: Error) =>
        this.#o.log.warn({ dir: this.#o.source.path, err: err.message }, 'cannot list the capture directory'),
      )
      .finally(() => {
        this.#reading = null;
        if (!this.#stopped) this.#timer = setTimeout(() => this.#poll(), this.#o.source.pollMs);
      });
  }

  async #scan(): Promise<void> {
    const dir = this.#o.source.path;
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && this.#wanted(n)).sort();
    const present = new Set(names.map((n) => join(dir, n)));
    this.#o.onListing?.(present);
    const files: FileMark[] = [];
    for (const name of names.slice(0, MAX_FILES_PER_POLL)) {
      const path = join(dir, name);
      const st = await stat(path).catch(() => null);
      if (st?.isFile()) files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    }
    // Oldest first; equal times by name.
    files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
    const newest = files.reduce((m, f) => Math.max(m, f.mtimeMs), 0);
    const now = Date.now();
    for (const f of files) {
      if (this.#stopped) return;
      if (this.#pendingPaths.has(f.path) || this.#o.isDone(f)) continue;
      const complete = f.mtimeMs < newest || now - f.mtimeMs >= this.#o.source.settleMs;
      if (!complete) continue;
      await this.#read(f);
    }
  }

  #wanted(name: string): boolean {
    const suffixes = this.#o.source.suffixes;
    return suffixes.length === 0 || suffixes.some((s) => name.endsWith(s));
  }

  async #read(f: FileMark): Promise<void> {
    const o = this.#o;
    const stream = new CaptureStream(f.path, o.onPacket, o.limits);
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const handle = await open(f.path, 'r').catch((err: Error) => {
      o.log.warn({ file: f.path, err: err.message }, 'cannot open a capture file; will retry');
      return null;
    });
    if (!handle) return;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        stream.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      }
      stream.end();
      this.packets += stream.stats.packets;
      this.skippedRecords += Object.values(stream.stats.skipped).reduce((n, v) => n + v, 0);
      this.files++;
      o.log.info(
        { file: f.path, packets: stream.stats.packets, skipped: stream.stats.skipped },
        'capture file read',
      );
    } catch (err) {
      if (!(err instanceof CaptureFormatError)) throw err;
      // Not a capture: said once, and marked so it is not read again.
      this.badFiles++;
      o.log.error({ file: f.path }, err.message);
    } finally {
      await handle.close();
    }
    this.#pending.push(f);
    this.#pendingPaths.add(f.path);
  }
}
