// The text-search index's own database: an FTS5 trigram index of the devices' search text, in a
// file beside the inventory's, so that its writer (server/db/search-indexer.ts, on another thread)
// never takes the inventory's write lock: an index maintained inside the ingest's transactions made
// inserts 4.9× slower (docs/benchmarks.md, "## collector"). It is derived data: missing, damaged,
// of another format, of another store or ahead of this one (a restored backup), it is deleted and
// rebuilt from the devices. Queries never depend on it being complete (server/repos/device-search.ts).
import { rmSync } from 'node:fs';
import type { Db } from './database.js';

/** The schema name the index is attached under, on every connection that uses it. */
export const SEARCH_SCHEMA = 'search';

/** The code of the error attachSearch throws when the index's file can be neither used nor replaced. */
export const SEARCH_FILE_ERROR = 'OM_SEARCH_FILE';

/** Bumped when the index's tables or tokenizer change: an index of another format is rebuilt. */
export const SEARCH_FORMAT = 1;

// Contentless (the text stays in `devices.search`), no positions (detail=none: a third of the
// size; queries AND single trigrams and every hit is checked against the stored text anyway),
// case-sensitive (the text and the needle are both lower-cased already, so no second folding can
// disagree with instr()), deletable (a device's text changes).
const TABLES = [
  `CREATE VIRTUAL TABLE ${SEARCH_SCHEMA}.device_text USING fts5(text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1', detail=none)`,
  // One row: which devices the index holds — every device up to `device_id`, every change of the
  // inventory's search_log up to `log_seq` — and whose store it is.
  `CREATE TABLE ${SEARCH_SCHEMA}.search_state (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    format INTEGER NOT NULL,
    store TEXT NOT NULL,
    device_id INTEGER NOT NULL,
    log_seq INTEGER NOT NULL
  ) STRICT`,
];

/** The index's file for an inventory file; in memory for an in-memory inventory. */
export function searchFileOf(dbFile: string): string {
  return dbFile === ':memory:' || dbFile === '' ? ':memory:' : `${dbFile}-search`;
}

export function isSearchAttached(db: Db): boolean {
  return (db.pragma('database_list') as { name: string }[]).some((d) => d.name === SEARCH_SCHEMA);
}

/**
 * Attaches the index's database to this connection, creating it (or re-creating it) when needed.
 * Returns why an existing index was thrown away, or null. The inventory must be migrated.
 */
export function attachSearch(db: Db): string | null {
  if (isSearchAttached(db)) return null;
  const file = searchFileOf(db.name);
  let discarded: string | null = null;
  try {
    attach(db, file);
    discarded = unusable(db);
  } catch (err) {
    discarded = `unreadable (${(err as Error).message})`;
  }
  if (discarded !== null) {
    if (isSearchAttached(db)) db.exec(`DETACH DATABASE ${SEARCH_SCHEMA}`);
    try {
      if (file !== ':memory:')
        for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      attach(db, file);
    } catch (err) {
      // A directory or an unwritable file in its place: not ours to remove by force.
      throw Object.assign(
        new Error(`cannot replace the search index ${file}, ${discarded}: ${(err as Error).message}`),
        { code: SEARCH_FILE_ERROR },
      );
    }
  }
  if (!hasState(db)) create(db);
  return discarded;
}

/** Devices and search-text changes the index has not taken in yet (they are scanned meanwhile). */
export interface SearchLag {
  devices: number;
  changes: number;
}

/** How far the index got (every device up to `device_id`, every change up to `log_seq`), and the newest of each. */
export interface SearchPosition {
  device_id: number;
  log_seq: number;
  newest_id: number;
  newest_seq: number;
}

/**
 * One read of the position: index lookups only, whatever the lag. Device ids are each the largest
 * so far plus one and devices are never deleted; change numbers never repeat (AUTOINCREMENT) and
 * are trimmed only once indexed: so the differences are the counts, without counting rows.
 */
export const SEARCH_POSITION_SQL = `SELECT st.device_id, st.log_seq,
    (SELECT coalesce(max(id), 0) FROM main.devices) AS newest_id,
    (SELECT coalesce(max(seq), 0) FROM main.search_log) AS newest_seq
  FROM ${SEARCH_SCHEMA}.search_state st`;

export function lagAt(p: SearchPosition): SearchLag {
  return { devices: Math.max(0, p.newest_id - p.device_id), changes: Math.max(0, p.newest_seq - p.log_seq) };
}

export function searchLag(db: Db): SearchLag {
  return lagAt(db.prepare(SEARCH_POSITION_SQL).get() as SearchPosition);
}

function attach(db: Db, file: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${SEARCH_SCHEMA}`).run(file);
  if (file === ':memory:') return;
  db.pragma(`${SEARCH_SCHEMA}.journal_mode = WAL`);
  // Derived data: a power cut may lose the last steps, never consistency (they are re-indexed).
  db.pragma(`${SEARCH_SCHEMA}.synchronous = NORMAL`);
}

function hasState(db: Db): boolean {
  return (
    db.prepare(`SELECT 1 FROM ${SEARCH_SCHEMA}.sqlite_schema WHERE name = 'search_state'`).get() !== undefined
  );
}

function create(db: Db): void {
  db.transaction(() => {
    for (const sql of TABLES) db.exec(sql);
    // Merge segments 16 at a time instead of 4: a third less CPU per indexed text (19.9 → 13.3 µs
    // for 1 M texts of ~135 characters, steps of 2,000), queries as fast (0.5–0.65 ms for a rare
    // term either way): docs/benchmarks.md, "## collector".
    db.exec(`INSERT INTO ${SEARCH_SCHEMA}.device_text (device_text, rank) VALUES ('automerge', 16)`);
    db.prepare(`INSERT INTO ${SEARCH_SCHEMA}.search_state VALUES (1, ?, ?, 0, 0)`).run(
      SEARCH_FORMAT,
      storeId(db),
    );
  })();
}

/** Why an attached, existing index cannot be used as it is; null when it can (or is empty). */
function unusable(db: Db): string | null {
  const objects = db.prepare(`SELECT name, sql FROM ${SEARCH_SCHEMA}.sqlite_schema`).all() as {
    name: string;
    sql: string | null;
  }[];
  if (objects.length === 0) return null;
  const text = objects.find((o) => o.name === 'device_text');
  if (!hasState(db) || text?.sql !== TABLES[0]!.replace(`${SEARCH_SCHEMA}.`, ''))
    return 'not an index of this format';
  const state = db
    .prepare(`SELECT format, store, device_id, log_seq FROM ${SEARCH_SCHEMA}.search_state`)
    .get() as { format: number; store: string; device_id: number; log_seq: number } | undefined;
  if (!state || state.format !== SEARCH_FORMAT) return 'not an index of this format';
  if (state.store !== storeId(db)) return 'made for another store';
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) AS n FROM devices').get() as { n: number }).n;
  const maxSeq =
    (
      db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'search_log'").get() as
        | { seq: number }
        | undefined
    )?.seq ?? 0;
  if (state.device_id > maxId || state.log_seq > maxSeq)
    return 'ahead of the inventory (restored from a backup?)';
  return null;
}

function storeId(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'store.id'").get() as
    | { value: string }
    | undefined;
  if (!row) throw new Error('the inventory has no store id: run its migrations first');
  return row.value;
}
