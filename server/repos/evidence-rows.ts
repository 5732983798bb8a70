// Evidence rows written many per statement: a batch's evidence goes in multi-row INSERTs (new
// devices) or multi-row upserts (known ones) instead of one statement per row, which cut the
// per-row cost of evidence writes by ~40% (8,000 rows per transaction; docs/benchmarks.md).
import type { Statement } from 'better-sqlite3';
import type { ObservationSummary } from '../../core/inventory.js';
import type { Db } from '../db/database.js';

/** One evidence row to write: a device's observation summary. */
export interface EvidenceRow {
  deviceId: number;
  e: ObservationSummary;
}

/**
 * Rows per statement: 64 × 7 = 448 parameters, far below SQLite's limit (32,766). Measured with
 * 8,000-row transactions: 8 rows per statement saves ~30%, 32–128 ~40%, 500 less again.
 */
export const ROWS_PER_STATEMENT = 64;

const COLUMNS = 7;
const INSERT = 'INSERT INTO evidence (device_id, key, value, source, count, first_seen, last_seen) VALUES ';
// Rows of one statement are applied in order, so a fact repeated within it adds up as separate
// statements would.
const UPSERT = ` ON CONFLICT (device_id, key, value, source) DO UPDATE SET count = count + excluded.count,
  first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`;

export class EvidenceRows {
  readonly #db: Db;
  /** Statements by row count, for inserts and upserts; at most ROWS_PER_STATEMENT of each. */
  readonly #insert = new Map<number, Statement>();
  readonly #upsert = new Map<number, Statement>();
  readonly #params: unknown[] = new Array(ROWS_PER_STATEMENT * COLUMNS);

  constructor(db: Db) {
    this.#db = db;
  }

  /** Writes the rows in order; `upsert` adds to rows that exist, else every row must be new. */
  write(rows: readonly EvidenceRow[], upsert: boolean): void {
    for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, rows.length - at);
      const params = n === ROWS_PER_STATEMENT ? this.#params : new Array<unknown>(n * COLUMNS);
      for (let i = 0; i < n; i++) {
        const { deviceId, e } = rows[at + i]!;
        const p = i * COLUMNS;
        params[p] = deviceId;
        params[p + 1] = e.key;
        params[p + 2] = e.value;
        params[p + 3] = e.source;
        params[p + 4] = e.count;
        params[p + 5] = e.firstSeen;
        params[p + 6] = e.lastSeen;
      }
      this.#statement(n, upsert).run(params);
    }
  }

  #statement(rows: number, upsert: boolean): Statement {
    const cache = upsert ? this.#upsert : this.#insert;
    let stmt = cache.get(rows);
    if (!stmt) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
      stmt = this.#db.prepare(INSERT + values + (upsert ? UPSERT : ''));
      cache.set(rows, stmt);
    }
    return stmt;
  }
}
