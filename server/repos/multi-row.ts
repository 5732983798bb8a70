// INSERTs of many rows per statement: one statement per row made binding and stepping the main
// per-row cost of small appended rows (evidence, new findings); docs/benchmarks.md has the figures.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

/**
 * Rows per statement. Measured with 8,000 evidence rows per transaction: 8 rows per statement saved
 * ~30%, 32–128 ~40%, 500 less again. Parameters per statement stay far below SQLite's limit
 * (32,766) for tables of up to 500 columns.
 */
export const ROWS_PER_STATEMENT = 64;

export class MultiRowInsert {
  readonly #db: Db;
  readonly #head: string;
  readonly #tail: string;
  readonly #columns: number;
  readonly #row: string;
  /** Statements by row count: at most ROWS_PER_STATEMENT of them. */
  readonly #statements = new Map<number, Statement>();

  /** `head` is `INSERT INTO t (a, b, …) VALUES `; `tail` follows the rows (an upsert clause). */
  constructor(db: Db, head: string, columns: number, tail = '') {
    this.#db = db;
    this.#head = head;
    this.#tail = tail;
    this.#columns = columns;
    this.#row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  }

  /** Writes rows given as one flat list of their values, in order; rows apply one after another. */
  write(values: readonly unknown[]): void {
    const per = ROWS_PER_STATEMENT * this.#columns;
    if (values.length % this.#columns !== 0) throw new Error('values do not make whole rows');
    for (let at = 0; at < values.length; at += per) {
      const chunk = values.length - at <= per && at === 0 ? values : values.slice(at, at + per);
      this.#statement(chunk.length / this.#columns).run(chunk);
    }
  }

  #statement(rows: number): Statement {
    let stmt = this.#statements.get(rows);
    if (!stmt) {
      const values = Array.from({ length: rows }, () => this.#row).join(', ');
      stmt = this.#db.prepare(this.#head + values + this.#tail);
      this.#statements.set(rows, stmt);
    }
    return stmt;
  }
}
