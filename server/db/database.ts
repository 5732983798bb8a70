// Opens the collector's SQLite database with the settings the store relies on, then migrates it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export interface DbOptions {
  /** A file path, or ':memory:' for throw-away stores. */
  file: string;
  /**
   * FULL (default): an acknowledged batch survives a power cut — the agent has dropped it from its
   * spool by then. NORMAL is faster and only loses the last commits on power loss, never integrity.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Page cache in MiB; the devices' unique index must fit for fast upserts at 1 M devices. */
  cacheMiB?: number;
  /**
   * WAL pages after which a commit checkpoints (default 1,000, ~4 MiB). Larger when another
   * connection checkpoints (server/db/wal-checkpointer.ts): then it is only the backstop.
   */
  autocheckpointPages?: number;
}

export function openDatabase(opts: DbOptions): Db {
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = ${-1024 * Math.max(2, Math.floor(opts.cacheMiB ?? 128))}`);
    db.pragma('temp_store = MEMORY');
    // Keep the WAL from growing without bound under a steady ingest (pages, ~4 MiB).
    db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(opts.autocheckpointPages ?? 1000))}`);
    migrate(db);
    // Fresh statistics for the planner (which listing index fits a filter), bounded in cost.
    db.pragma('optimize = 0x10002');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Closes after letting SQLite refresh the planner statistics that drifted (cheap, bounded). */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
  } finally {
    db.close();
  }
}

/** Bytes on disk: the main file plus the WAL (for /metrics). */
export function databaseBytes(db: Db): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}
