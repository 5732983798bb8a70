// Group commit for uploads: the batches that arrive together (parsed in the same turn of the event
// loop) are written in one outer transaction, each in a savepoint of its own, and acknowledged only
// once that transaction has committed. One commit (WAL write, fsync, checkpoint) then serves several
// batches, and b-tree pages that several batches touch (the random `(site_id, key)` index) go to
// the WAL once. Each batch stays all-or-nothing: a batch that fails rolls back to its savepoint and
// is refused alone; the others commit. Measured gain: docs/benchmarks.md ("## collector").
import type { Batch } from '../../core/wire.js';
import type { Db } from '../db/database.js';
import type { IngestResult, IngestService, Uploader } from './ingest-service.js';

export interface IngestQueueOptions {
  /**
   * Most batches written in one transaction. Bounds how long one group holds the event loop
   * (~0.1 s of CPU per 1,000-device batch) and how many parsed batches wait for it.
   */
  maxBatches: number;
  /** Runs after each batch is written, inside its savepoint: its failure refuses the batch. */
  after?: AfterBatch;
  /** Told the number of batches of each transaction that committed (for /metrics). */
  committed?: (batches: number) => void;
}

/** Runs after a batch was written, inside the group's transaction (in the batch's savepoint). */
export type AfterBatch = (from: Uploader, result: IngestResult) => void;

interface Job {
  from: Uploader;
  batch: Batch;
  now: Date;
  resolve(r: IngestResult): void;
  reject(err: unknown): void;
}

/** The outer transaction is gone (SQLite rolled it back on an I/O or memory error): no batch of the group stands. */
export class GroupAbortedError extends Error {
  constructor(cause: unknown) {
    super('the ingest transaction was rolled back by the database', { cause });
    this.name = 'GroupAbortedError';
  }
}

export class IngestQueue {
  readonly #db: Db;
  readonly #service: IngestService;
  readonly #after: AfterBatch | undefined;
  readonly #committed: ((batches: number) => void) | undefined;
  readonly #max: number;
  #jobs: Job[] = [];
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(db: Db, service: IngestService, opts: IngestQueueOptions) {
    if (!Number.isInteger(opts.maxBatches) || opts.maxBatches < 1)
      throw new Error('maxBatches: an integer ≥ 1');
    this.#db = db;
    this.#service = service;
    this.#max = opts.maxBatches;
    this.#after = opts.after;
    this.#committed = opts.committed;
  }

  /** Writes the batch with those that arrive in the same turn; resolves once it is committed. */
  submit(from: Uploader, batch: Batch, now: Date): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.#jobs.push({ from, batch, now, resolve, reject });
      this.#schedule();
    });
  }

  /** Batches waiting or being written. */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Resolves when no batch is waiting (the collector closes its database after this). */
  idle(): Promise<void> {
    if (this.#jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: it runs after the poll phase, so every body parsed in this
    // turn has joined the group by then.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const group = this.#jobs.splice(0, this.#max);
    if (this.#jobs.length > 0) this.#schedule();
    const outcomes = this.#write(group);
    group.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.result);
      else job.reject(o.error);
    });
    if (this.#jobs.length === 0) for (const done of this.#idle.splice(0)) done();
  }

  /** One outcome per job; every job fails alike when the outer transaction does not commit. */
  #write(group: Job[]): ({ ok: true; result: IngestResult } | { ok: false; error: unknown })[] {
    const outcomes: ({ ok: true; result: IngestResult } | { ok: false; error: unknown })[] = [];
    try {
      this.#db.transaction(() => {
        for (const job of group) outcomes.push(this.#one(job));
      })();
    } catch (err) {
      // Nothing of the group was committed: none of its batches is acknowledged.
      return group.map(() => ({ ok: false, error: err }));
    }
    this.#committed?.(group.length);
    return outcomes;
  }

  /** One batch in its savepoint (the service's transaction nests as one); its failure is its own. */
  #one(job: Job): { ok: true; result: IngestResult } | { ok: false; error: unknown } {
    try {
      const result = this.#db.transaction(() => {
        const r = this.#service.ingest(job.from, job.batch, job.now);
        this.#after?.(job.from, r);
        return r;
      })();
      return { ok: true, result };
    } catch (err) {
      // SQLite ends the whole transaction on some errors (I/O, out of memory): then what the earlier
      // batches wrote is gone too, and going on would write the rest outside any transaction.
      if (!this.#db.inTransaction) throw new GroupAbortedError(err);
      return { ok: false, error: err };
    }
  }
}
