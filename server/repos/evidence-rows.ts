// Evidence rows written many per statement: a batch's evidence goes in multi-row INSERTs (new
// devices) or multi-row upserts (known ones) instead of one statement per row, which cut the
// per-row cost of evidence writes by ~40% (8,000 rows per transaction; docs/benchmarks.md).
import type { ObservationSummary } from '../../core/inventory.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import type { Db } from '../db/database.js';
import { MultiRowInsert } from './multi-row.js';

export { ROWS_PER_STATEMENT } from './multi-row.js';

/** One evidence row to write: a device's observation summary. */
export interface EvidenceRow {
  deviceId: number;
  e: ObservationSummary;
}

const COLUMNS = 7;
const INSERT = 'INSERT INTO evidence (device_id, key, value, source, count, first_seen, last_seen) VALUES ';
// Rows of one statement are applied in order, so a fact repeated within it adds up as separate
// statements would. Counts saturate (WIRE_LIMITS.counter): past 2^63 SQLite would make the sum a
// REAL, which the STRICT column refuses, and every later batch of the device would fail.
const UPSERT = ` ON CONFLICT (device_id, key, value, source) DO UPDATE SET count = min(count + excluded.count, ${WIRE_LIMITS.counter}),
  first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`;

export class EvidenceRows {
  readonly #insert: MultiRowInsert;
  readonly #upsert: MultiRowInsert;

  constructor(db: Db) {
    this.#insert = new MultiRowInsert(db, INSERT, COLUMNS);
    this.#upsert = new MultiRowInsert(db, INSERT, COLUMNS, UPSERT);
  }

  /** Writes the rows in order; `upsert` adds to rows that exist, else every row must be new. */
  write(rows: readonly EvidenceRow[], upsert: boolean): void {
    const values = new Array<unknown>(rows.length * COLUMNS);
    rows.forEach(({ deviceId, e }, i) => {
      const p = i * COLUMNS;
      values[p] = deviceId;
      values[p + 1] = e.key;
      values[p + 2] = e.value;
      values[p + 3] = e.source;
      values[p + 4] = e.count;
      values[p + 5] = e.firstSeen;
      values[p + 6] = e.lastSeen;
    });
    (upsert ? this.#upsert : this.#insert).write(values);
  }
}
