// Keeps the text-search index (server/db/search-store.ts) up with the inventory, off the ingest's
// path: its own connection reads the devices and writes only the index's database, so the writer
// never waits for it (SQLite locks writers per database file). Each step is one transaction on the
// index: new devices in id order, then the devices of the inventory's search_log whose text changed,
// and how far it got. Measured with better-sqlite3's FTS5: ~18 µs per 135-character text (1 M texts
// in 18 s), a quarter of a core at the benchmark's ~14 k new devices/s (docs/benchmarks.md).
import Database from 'better-sqlite3';
import type { Db } from './database.js';
import { attachSearch, SEARCH_SCHEMA, type SearchLag, searchLag } from './search-store.js';

/** Texts per step: ~40 ms of work, short enough for the thread's other timers (checkpoints). */
export const STEP_DEVICES = 2_000;

export interface SearchIndexerOptions {
  /** Between looks at an index that had caught up, ms. */
  idleIntervalMs?: number;
  /** While the writer commits: at most one step per this many ms. */
  busyIntervalMs?: number;
  /** Told about a failed step (the next step retries; queries stay complete without the index). */
  onError?: (err: Error) => void;
  /** Told once, when an existing index was thrown away and is being rebuilt. */
  onDiscarded?: (reason: string) => void;
}

export class SearchIndexer {
  readonly #db: Db;
  readonly #own: boolean;
  readonly #state: Database.Statement;
  readonly #fresh: Database.Statement;
  readonly #changed: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #remove: Database.Statement;
  readonly #advance: Database.Statement;
  #timer: NodeJS.Timeout | null = null;

  /** On a connection that has the index attached (attachSearch); `own`: close it on stop(). */
  constructor(db: Db, own = false) {
    this.#db = db;
    this.#own = own;
    const s = SEARCH_SCHEMA;
    this.#state = db.prepare(`SELECT device_id, log_seq FROM ${s}.search_state`);
    this.#fresh = db
      .prepare('SELECT id, search FROM main.devices WHERE id > ? ORDER BY id LIMIT ?')
      .raw(true);
    // A device gone from the inventory (none are deleted today) leaves the index too.
    this.#changed = db
      .prepare(
        `SELECT l.seq, l.device_id, d.search FROM main.search_log l LEFT JOIN main.devices d ON d.id = l.device_id
         WHERE l.seq > ? ORDER BY l.seq LIMIT ?`,
      )
      .raw(true);
    this.#insert = db.prepare(`INSERT INTO ${s}.device_text (rowid, text) VALUES (?, ?)`);
    this.#remove = db.prepare(`DELETE FROM ${s}.device_text WHERE rowid = ?`);
    this.#advance = db.prepare(`UPDATE ${s}.search_state SET device_id = ?, log_seq = ?`);
  }

  /** Its own connection to an existing inventory (the collector made and migrated it). */
  static open(file: string, opts: Pick<SearchIndexerOptions, 'onDiscarded'> = {}): SearchIndexer {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const discarded = attachSearch(db);
      if (discarded !== null) opts.onDiscarded?.(discarded);
      return new SearchIndexer(db, true);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Indexes up to `max` new devices and `max` changes in one transaction; returns how many it took
   * (0: caught up). Deferred, never IMMEDIATE: that would take the inventory's write lock too.
   */
  step(max = STEP_DEVICES): number {
    return this.#db.transaction(() => {
      const state = this.#state.get() as { device_id: number; log_seq: number };
      const fresh = this.#fresh.all(state.device_id, max) as [number, string][];
      for (const [id, text] of fresh) this.#insert.run(id, text);
      const upTo = fresh.length > 0 ? fresh.at(-1)![0] : state.device_id;
      const changed = this.#changed.all(state.log_seq, max) as [number, number, string | null][];
      const done = new Set<number>();
      for (const [, id, text] of changed) {
        // Beyond `upTo` the id pass takes the device later, with its text as it is then.
        if (id > upTo || done.has(id)) continue;
        done.add(id);
        this.#remove.run(id);
        if (text !== null) this.#insert.run(id, text);
      }
      this.#advance.run(upTo, changed.length > 0 ? changed.at(-1)![0] : state.log_seq);
      return fresh.length + changed.length;
    })();
  }

  /** Steps until caught up (tests, and `originmap server` tools); returns the texts taken. */
  catchUp(): number {
    let total = 0;
    for (let n = this.step(); n > 0; n = this.step()) total += n;
    return total;
  }

  lag(): SearchLag {
    return searchLag(this.#db);
  }

  /**
   * Steps back to back while a step comes back full (more is waiting), else looks again after the
   * idle interval, so that steps take in what arrived meanwhile instead of a few texts each. While
   * the writer commits (another connection changed the inventory since the last look), at most one
   * step per busy interval: the ingest keeps the CPU, the index trickles and catches up in the
   * writer's pauses, and searches stay exact meanwhile (server/repos/device-search.ts).
   */
  start(opts: SearchIndexerOptions = {}): this {
    const idleMs = opts.idleIntervalMs ?? 250;
    const busyMs = opts.busyIntervalMs ?? 1_000;
    const dataVersion = this.#db.prepare('PRAGMA main.data_version').pluck();
    let seen = dataVersion.get();
    let lastStep = 0;
    const run = () => {
      let next = idleMs;
      try {
        const now = dataVersion.get();
        const writing = now !== seen;
        seen = now;
        if (!writing || performance.now() - lastStep >= busyMs) {
          lastStep = performance.now();
          if (this.step() >= STEP_DEVICES && !writing) next = 0;
        }
      } catch (err) {
        opts.onError?.(err as Error);
      }
      if (this.#timer !== null) this.#timer = setTimeout(run, next);
    };
    this.#timer = setTimeout(run, 0);
    return this;
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#own && this.#db.open) this.#db.close();
  }
}
