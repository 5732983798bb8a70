// The agent's on-disk spool (SQLite, better-sqlite3): everything to send is written here first and
// removed only after the collector acknowledged it. A batch gets its id and sequence number when
// spooled; once an upload of it has begun it is never changed again, so a resend after a crash
// carries the same batchId and the collector's idempotency makes it harmless. Batches never sent
// may be compacted (merged) when the spool outgrows its bound. Capture files read from a watched
// directory are marked done in the same transaction as the batch holding their traffic.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { type BatchContent, cutContent, mergeContents } from './batch-content.js';

/** Largest inflated payload read back from the spool (a damaged row must not exhaust memory). */
const MAX_PAYLOAD_CHARS = 64 * 1024 * 1024;
/** Rejected batches kept for inspection; older ones are deleted. */
const MAX_REJECTED = 100;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  devices INTEGER NOT NULL,
  connections INTEGER NOT NULL,
  observations INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  payload BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS rejected (
  seq INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  rejected_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  done_at TEXT NOT NULL
) STRICT;
`;

export type SpoolErrorKind = 'full' | 'io' | 'corrupt';

/** A spool operation failed; `kind` full means the disk (or the spool's filesystem) has no room. */
export class SpoolError extends Error {
  override readonly name = 'SpoolError';
  constructor(
    readonly kind: SpoolErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface SpooledBatch {
  seq: number;
  batchId: string;
  createdAt: string;
  attempts: number;
  /** The JSON text of `{"devices":…,"connections":…,"observations":…}`. */
  payloadJson: string;
}

export interface FileMark {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface CompactionResult {
  batchesBefore: number;
  batchesAfter: number;
  bytesBefore: number;
  bytesAfter: number;
}

export function toSpoolError(err: unknown, what: string): SpoolError {
  const code = String((err as { code?: unknown }).code ?? '');
  const kind: SpoolErrorKind =
    code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT'
      ? 'full'
      : code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
        ? 'corrupt'
        : 'io';
  return new SpoolError(kind, `${what}: ${(err as Error).message}${code ? ` (${code})` : ''}`);
}

export class Spool {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<Spool['prepare']>;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = this.prepare();
  }

  /** Opens (creating) the spool file; its directory is made 0700, the file 0600. Throws SpoolError. */
  static open(path: string): Spool {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const db = new Database(path);
      chmodSync(path, 0o600);
      // WAL + FULL: a committed batch survives SIGKILL and power loss; writes happen once per snapshot.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      return new Spool(db);
    } catch (err) {
      throw toSpoolError(err, `cannot open the spool ${path}`);
    }
  }

  private prepare() {
    const db = this.#db;
    return {
      insert: db.prepare(
        'INSERT INTO batches (batch_id, created_at, devices, connections, observations, bytes, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      next: db.prepare(
        'SELECT seq, batch_id, created_at, attempts, payload FROM batches ORDER BY seq LIMIT 1',
      ),
      attempt: db.prepare('UPDATE batches SET attempts = attempts + 1 WHERE seq = ?'),
      remove: db.prepare('DELETE FROM batches WHERE seq = ?'),
      depth: db.prepare('SELECT count(*) AS batches, coalesce(sum(bytes), 0) AS bytes FROM batches'),
      unsent: db.prepare('SELECT seq, payload, bytes FROM batches WHERE attempts = 0 ORDER BY seq'),
      reject: db.prepare(
        'INSERT OR REPLACE INTO rejected (seq, batch_id, created_at, rejected_at, reason, payload) SELECT seq, batch_id, created_at, ?, ?, payload FROM batches WHERE seq = ?',
      ),
      pruneRejected: db.prepare(
        `DELETE FROM rejected WHERE seq NOT IN (SELECT seq FROM rejected ORDER BY seq DESC LIMIT ${MAX_REJECTED})`,
      ),
      rejectedCount: db.prepare('SELECT count(*) AS n FROM rejected'),
      fileMark: db.prepare(
        'INSERT OR REPLACE INTO files (path, size, mtime_ms, done_at) VALUES (?, ?, ?, ?)',
      ),
      fileGet: db.prepare('SELECT size, mtime_ms FROM files WHERE path = ?'),
      fileList: db.prepare('SELECT path FROM files'),
      fileForget: db.prepare('DELETE FROM files WHERE path = ?'),
    };
  }

  /**
   * Spools content as one or more batches (cut to the limits), and marks capture files done, in one
   * transaction: all of it is on disk, or none of it. Throws SpoolError (kind 'full' on a full disk).
   */
  put(
    content: BatchContent,
    opts: { maxDevices: number; maxChars: number; files?: readonly FileMark[] },
  ): number {
    return this.putParts([content], opts);
  }

  /**
   * Like put(), for content produced piece by piece (a large snapshot): each piece is cut, encoded
   * and inserted in turn, all in one transaction, so only one piece is in memory at a time.
   */
  putParts(
    pieces: Iterable<BatchContent>,
    opts: { maxDevices: number; maxChars: number; files?: readonly FileMark[] },
  ): number {
    const now = new Date().toISOString();
    let batches = 0;
    try {
      this.#db.transaction(() => {
        for (const piece of pieces)
          for (const part of cutContent(piece, opts)) {
            const z = gzipSync(JSON.stringify(part));
            const s = this.#statements;
            s.insert.run(
              randomUUID(),
              now,
              part.devices.length,
              part.connections.length,
              part.observations.length,
              z.length,
              z,
            );
            batches++;
          }
        for (const f of opts.files ?? []) this.#statements.fileMark.run(f.path, f.size, f.mtimeMs, now);
      })();
    } catch (err) {
      throw toSpoolError(err, 'cannot write to the spool');
    }
    return batches;
  }

  /** The oldest batch (uploads go in sequence order), or null. A damaged row is set aside, not retried. */
  next(): SpooledBatch | null {
    for (;;) {
      const row = this.#statements.next.get() as
        | { seq: number; batch_id: string; created_at: string; attempts: number; payload: Buffer }
        | undefined;
      if (!row) return null;
      const json = readable(row.payload);
      if (typeof json !== 'string') {
        this.reject(row.seq, json.message);
        continue;
      }
      return {
        seq: row.seq,
        batchId: row.batch_id,
        createdAt: row.created_at,
        attempts: row.attempts,
        payloadJson: json,
      };
    }
  }

  /** Called before each upload attempt: from now on the batch is never compacted or changed. */
  markAttempt(seq: number): void {
    this.#write(() => this.#statements.attempt.run(seq), 'cannot mark an upload attempt');
  }

  /** The collector acknowledged the batch: it leaves the spool. */
  ack(seq: number): void {
    this.#write(() => this.#statements.remove.run(seq), 'cannot remove an acknowledged batch');
  }

  /** The collector refused the batch for good (4xx): kept aside with the reason, not retried. */
  reject(seq: number, reason: string): void {
    this.#write(
      () =>
        this.#db.transaction(() => {
          this.#statements.reject.run(new Date().toISOString(), reason.slice(0, 2000), seq);
          this.#statements.remove.run(seq);
          this.#statements.pruneRejected.run();
        })(),
      'cannot set a rejected batch aside',
    );
  }

  depth(): { batches: number; bytes: number; rejected: number } {
    const d = this.#statements.depth.get() as { batches: number; bytes: number };
    const r = this.#statements.rejectedCount.get() as { n: number };
    return { batches: d.batches, bytes: d.bytes, rejected: r.n };
  }

  /**
   * Merges every batch no upload has touched into as few batches as the limits allow (new ids and
   * sequence numbers, after any batch in flight). Returns null when there was nothing to merge.
   */
  compact(limits: { maxDevices: number; maxChars: number }): CompactionResult | null {
    const rows: { seq: number; bytes: number }[] = [];
    const contents: BatchContent[] = [];
    for (const r of this.#statements.unsent.all() as { seq: number; payload: Buffer; bytes: number }[]) {
      const json = readable(r.payload);
      if (typeof json !== 'string') this.reject(r.seq, json.message);
      else {
        rows.push(r);
        contents.push(JSON.parse(json) as BatchContent);
      }
    }
    if (rows.length < 2) return null;
    const merged = mergeContents(contents);
    const bytesBefore = rows.reduce((n, r) => n + r.bytes, 0);
    const parts = cutContent(merged, limits);
    const zipped = parts.map((p) => gzipSync(JSON.stringify(p)));
    const now = new Date().toISOString();
    this.#write(
      () =>
        this.#db.transaction(() => {
          for (const r of rows) this.#statements.remove.run(r.seq);
          parts.forEach((p, i) => {
            const z = zipped[i]!;
            this.#statements.insert.run(
              randomUUID(),
              now,
              p.devices.length,
              p.connections.length,
              p.observations.length,
              z.length,
              z,
            );
          });
        })(),
      'cannot compact the spool',
    );
    return {
      batchesBefore: rows.length,
      batchesAfter: parts.length,
      bytesBefore,
      bytesAfter: zipped.reduce((n, z) => n + z.length, 0),
    };
  }

  /** Whether a capture file (same size and mtime) was already read and spooled. */
  fileDone(f: FileMark): boolean {
    const row = this.#statements.fileGet.get(f.path) as { size: number; mtime_ms: number } | undefined;
    return row !== undefined && row.size === f.size && row.mtime_ms === f.mtimeMs;
  }

  /** Forgets marks of files no longer present (rotated away), so the table stays small. */
  pruneFiles(present: ReadonlySet<string>): number {
    const gone = (this.#statements.fileList.all() as { path: string }[]).filter((r) => !present.has(r.path));
    if (gone.length === 0) return 0;
    this.#write(
      () =>
        this.#db.transaction(() => {
          for (const r of gone) this.#statements.fileForget.run(r.path);
        })(),
      'cannot prune file marks',
    );
    return gone.length;
  }

  close(): void {
    this.#db.close();
  }

  #write(fn: () => unknown, what: string): void {
    try {
      fn();
    } catch (err) {
      throw toSpoolError(err, what);
    }
  }
}

/** The payload's JSON text, or the reason it cannot be used (damaged on disk). */
function readable(payload: Buffer): string | SpoolError {
  try {
    const json = gunzipSync(payload, { maxOutputLength: MAX_PAYLOAD_CHARS }).toString('utf8');
    const c = JSON.parse(json) as Partial<BatchContent>;
    if (!Array.isArray(c.devices) || !Array.isArray(c.connections) || !Array.isArray(c.observations))
      return new SpoolError('corrupt', 'a spooled batch is not a batch content');
    return json;
  } catch (err) {
    return new SpoolError('corrupt', `a spooled batch cannot be read: ${(err as Error).message}`);
  }
}
