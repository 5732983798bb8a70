// Group commit for uploads: the batches that arrive together (parsed in the same turn of the event
// loop) are written in one transaction and acknowledged only once it has committed. One commit
// (WAL write, fsync, checkpoint) then serves several batches, and b-tree pages that several batches
// touch (the random `(site_id, key)` index) go to the WAL once. Each batch stays all-or-nothing:
// a batch that fails its checks is refused before anything is written; when a write fails, the
// whole group is rolled back and each batch written again alone, in a transaction of its own, as
// without grouping. No savepoint per batch: it would copy every page a batch modifies into the
// sub-journal (re-reports: 2-8% more CPU with them). Measured gains: docs/benchmarks.md ("## collector").
import type { Batch } from '../../core/wire.js';
import type { Db } from '../db/database.js';
import type { IngestResult, IngestService, Uploader } from './ingest-service.js';
import type { PreparedBatch } from './merge.js';

/** Runs after a batch is written, inside its transaction: its failure refuses the batch. */
export type AfterBatch = (from: Uploader, result: IngestResult) => void;

export interface IngestQueueOptions {
  /**
   * Most batches written in one transaction. Bounds how long one group holds the event loop
   * (~0.1 s of CPU per 1,000-device batch), how many parsed batches wait for it, and the work
   * redone when a write fails.
   */
  maxBatches: number;
  after?: AfterBatch;
  /** Told the number of batches of each transaction that committed (for /metrics). */
  committed?: (batches: number) => void;
}

interface Job {
  from: Uploader;
  batch: Batch;
  now: Date;
  resolve(r: IngestResult): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; result: IngestResult } | { ok: false; error: unknown };
type Checked =
  | { ok: true; replay: IngestResult }
  | { ok: true; prepared: PreparedBatch }
  | { ok: false; error: unknown };

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

  #write(group: Job[]): Outcome[] {
    // Checks write nothing: a refused batch is refused here and the others go on.
    const checked = group.map((job): Checked => {
      try {
        return { ok: true, ...this.#service.check(job.from, job.batch) };
      } catch (error) {
        return { ok: false, error };
      }
    });
    try {
      // better-sqlite3 rolls the transaction back when this throws.
      const outcomes = this.#db.transaction(() =>
        group.map((job, i): Outcome => {
          const c = checked[i]!;
          if (!c.ok) return c;
          const result =
            'replay' in c ? c.replay : this.#service.write(job.from, job.batch, c.prepared, job.now);
          this.#after?.(job.from, result);
          return { ok: true, result };
        }),
      )();
      if (outcomes.some((o) => o.ok)) this.#committed?.(outcomes.filter((o) => o.ok).length);
      return outcomes;
    } catch {
      // A write failed (or SQLite ended the transaction): nothing of the group was committed. Each
      // batch again alone, so that only the failing one is refused, with its own error.
      return group.map((job) => this.#alone(job));
    }
  }

  #alone(job: Job): Outcome {
    try {
      const result = this.#db.transaction(() => {
        const r = this.#service.ingest(job.from, job.batch, job.now);
        this.#after?.(job.from, r);
        return r;
      })();
      this.#committed?.(1);
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
