// WAL checkpoints off the writer's thread. In WAL mode a commit appends the changed pages to the
// WAL; a checkpoint later copies them into the database file and syncs it. With SQLite's default
// (the committing connection checkpoints once the WAL holds 1,000 pages) that copy runs inside the
// writer's COMMIT, on the ingest's critical path: at 400 k devices a 1,000-device batch dirties
// ~570 pages (the random `(site_id, key)` index most), so nearly every commit checkpointed, ~35% of
// the COMMIT's time (docs/benchmarks.md, "## collector"). Here a second connection, on another
// thread, runs PASSIVE checkpoints (they never block the writer nor wait for it: SQLite,
// "Checkpointing", https://www.sqlite.org/wal.html#ckpt), and the writer keeps a large automatic
// checkpoint only as a backstop: the WAL restarts from its beginning only after a checkpoint that
// backfilled every frame, which under continuous ingest only the writer can time, so its own
// checkpoint (of the few frames left) bounds the WAL file to ~backstop pages + one transaction.
import Database from 'better-sqlite3';

/**
 * The writer's automatic checkpoint, in pages, when this runs beside it: bounds the WAL at ~80 MiB
 * with 4 KiB pages (plus one transaction). The writer then copies only what this thread has not yet
 * (the last commit's pages), once per ~20,000 pages written instead of at every commit.
 */
export const BACKSTOP_PAGES = 20_000;

export interface WalCheckpointerOptions {
  /** Between checkpoints while the WAL grows, ms (a commit's pages are copied within this). */
  busyIntervalMs?: number;
  /** Between looks at an idle WAL, ms. */
  idleIntervalMs?: number;
  /** Told about a failed checkpoint (the writer's backstop still bounds the WAL); runs go on. */
  onError?: (err: Error) => void;
}

/** What a checkpoint found: WAL frames, and how many of them are in the database file now. */
export interface CheckpointResult {
  busy: boolean;
  walFrames: number;
  backfilled: number;
}

export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #busyMs: number;
  readonly #idleMs: number;
  readonly #onError: (err: Error) => void;
  #timer: NodeJS.Timeout | null = null;
  #last = -1;
  #runs = 0;

  /** Opens its own connection to an existing database in WAL mode (the writer made and migrated it). */
  constructor(file: string, opts: WalCheckpointerOptions = {}) {
    this.#busyMs = opts.busyIntervalMs ?? 25;
    this.#idleMs = opts.idleIntervalMs ?? 500;
    this.#onError = opts.onError ?? (() => {});
    const db = new Database(file, { fileMustExist: true });
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal')
        throw new Error(`${file}: not in WAL mode, nothing to checkpoint`);
      // The copied pages are synced before the checkpoint counts them as in the file (and before
      // the writer may then reuse the WAL): as the writer's own checkpoints with synchronous=FULL.
      db.pragma('synchronous = FULL');
      // Never checkpoint on its own commits (it makes none); PASSIVE waits for no lock.
      db.pragma('wal_autocheckpoint = 0');
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
  }

  /** Starts checkpointing on a timer that does not keep the process alive. */
  start(): this {
    if (this.#timer === null && this.#db.open) this.#schedule(0);
    return this;
  }

  /** Checkpoints done so far (for tests and logs). */
  get runs(): number {
    return this.#runs;
  }

  /** One PASSIVE checkpoint: copies every frame no reader still needs, waits for no lock. */
  checkpoint(): CheckpointResult {
    const [r] = this.#db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    this.#runs++;
    return { busy: r!.busy !== 0, walFrames: r!.log, backfilled: r!.checkpointed };
  }

  /** Stops the timer and closes the connection; the writer's own close checkpoints the rest. */
  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#db.open) this.#db.close();
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => this.#tick(), ms);
    this.#timer.unref();
  }

  #tick(): void {
    if (!this.#db.open) return;
    let next = this.#idleMs;
    try {
      const r = this.checkpoint();
      // The WAL changed since the last look: more commits are likely to follow soon.
      if (r.walFrames !== this.#last || r.backfilled < r.walFrames) next = this.#busyMs;
      this.#last = r.walFrames;
    } catch (err) {
      this.#onError(err as Error);
    }
    this.#schedule(next);
  }
}
