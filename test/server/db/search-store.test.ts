// The search index's own database file: made beside the inventory, kept across restarts, and thrown
// away (then rebuilt by the indexer) whenever it cannot be trusted — garbage, another format, another
// store, or ahead of the inventory as after restoring an older backup. Never fatal.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type Db, openDatabase } from '../../../server/db/database.js';
import { SearchIndexer } from '../../../server/db/search-indexer.js';
import {
  attachSearch,
  isSearchAttached,
  SEARCH_FILE_ERROR,
  searchFileOf,
  searchLag,
} from '../../../server/db/search-store.js';
import { trigramQuery } from '../../../server/repos/device-search.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-search-'));
  file = join(dir, 'collector.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An inventory with `n` devices (one operator, one site). */
function inventory(n: number): Db {
  const db = openDatabase({ file });
  db.exec(`INSERT INTO operators (id, name, sector, country, created_at) VALUES (1, 'Op', 'electricity', 'JP', '2025-01-01');
           INSERT INTO sites (id, operator_id, name, home_net, created_at) VALUES (1, 1, 's', '[]', '2025-01-01');`);
  const insert = db.prepare(
    `INSERT INTO devices (site_id, operator_id, key, ips, hostnames, vlans, services, roles, first_seen, last_seen,
       last_seen_day, search) VALUES (1, 1, ?, '[]', '[]', '[]', '[]', '[]', '2025-01-01', '2025-01-01', '2025-01-01', ?)`,
  );
  for (let i = 0; i < n; i++) insert.run(`mac:${i}`, `host-${i}\nbanner ${i % 7}\n`);
  return db;
}

function state(db: Db): { device_id: number; log_seq: number } {
  return db.prepare('SELECT device_id, log_seq FROM search.search_state').get() as {
    device_id: number;
    log_seq: number;
  };
}

/** Opens the inventory again the way the collector does: what attachSearch says about the index. */
function reopen(): { db: Db; discarded: string | null } {
  const db = openDatabase({ file });
  return { db, discarded: attachSearch(db) };
}

describe('the search index file', () => {
  it('is made beside the inventory and kept across restarts', () => {
    const db = inventory(50);
    expect(attachSearch(db)).toBeNull();
    expect(searchFileOf(file)).toBe(`${file}-search`);
    expect(searchLag(db)).toEqual({ devices: 50, changes: 0 });
    new SearchIndexer(db).catchUp();
    closeDatabase(db);
    const again = reopen();
    expect(again.discarded).toBeNull();
    expect(state(again.db).device_id).toBe(50);
    closeDatabase(again.db);
  });

  it('lives in memory for an in-memory inventory', () => {
    const db = openDatabase({ file: ':memory:' });
    expect(attachSearch(db)).toBeNull();
    expect(isSearchAttached(db)).toBe(true);
    expect(attachSearch(db)).toBeNull(); // attaching twice is a no-op
    expect(state(db)).toEqual({ device_id: 0, log_seq: 0 });
    db.close();
  });

  const broken: [string, (db: Db) => void, RegExp][] = [
    [
      'a file of garbage',
      (db) => {
        closeDatabase(db);
        rmSync(`${file}-search-wal`, { force: true });
        writeFileSync(`${file}-search`, Buffer.alloc(8192, 0x5a));
      },
      /unreadable|not an index/,
    ],
    [
      'another format',
      (db) => db.prepare('UPDATE search.search_state SET format = 99').run(),
      /not an index of this format/,
    ],
    [
      'another table under the index name',
      (db) => {
        db.exec('DROP TABLE search.device_text; CREATE TABLE search.device_text (text TEXT)');
      },
      /not an index of this format/,
    ],
    [
      "another store's index",
      (db) => db.prepare("UPDATE meta SET value = 'someone-else' WHERE key = 'store.id'").run(),
      /another store/,
    ],
    [
      'an index ahead of the inventory (an older backup restored)',
      (db) => db.prepare('UPDATE search.search_state SET device_id = 1000').run(),
      /ahead of the inventory/,
    ],
    [
      'an index ahead of the change log',
      (db) => db.prepare('UPDATE search.search_state SET log_seq = 5').run(),
      /ahead of the inventory/,
    ],
  ];
  for (const [what, spoil, reason] of broken) {
    it(`is thrown away and rebuilt when it is ${what}`, () => {
      const db = inventory(20);
      attachSearch(db);
      new SearchIndexer(db).catchUp();
      spoil(db);
      closeDatabase(db);
      const again = reopen();
      expect(again.discarded).toMatch(reason);
      // A fresh index that the indexer fills again, and search works meanwhile.
      expect(state(again.db)).toEqual({ device_id: 0, log_seq: 0 });
      expect(new SearchIndexer(again.db).catchUp()).toBe(20);
      const hits = again.db
        .prepare('SELECT rowid FROM search.device_text WHERE device_text MATCH ?')
        .all(trigramQuery('nner 3')) as { rowid: number }[];
      expect(hits.map((h) => h.rowid)).toEqual([4, 11, 18]);
      closeDatabase(again.db);
    });
  }

  it('is never removed by force: a directory in its place is a clear error', () => {
    const db = inventory(1);
    mkdirSync(join(`${file}-search`, 'someone-elses'), { recursive: true });
    expect(() => attachSearch(db)).toThrow(
      expect.objectContaining({
        code: SEARCH_FILE_ERROR,
        message: expect.stringContaining('cannot replace the search index'),
      }),
    );
    expect(existsSync(join(`${file}-search`, 'someone-elses'))).toBe(true);
    closeDatabase(db);
  });

  it('is opened by the indexer on its own connection, beside the writer', () => {
    const db = inventory(30);
    attachSearch(db);
    const indexer = SearchIndexer.open(file);
    try {
      // The writer keeps writing while the indexer holds its own transaction open on the index.
      expect(indexer.step(10)).toBe(10);
      db.prepare(
        `INSERT INTO devices (site_id, operator_id, key, ips, hostnames, vlans, services, roles, first_seen, last_seen,
           last_seen_day, search) VALUES (1, 1, 'mac:new', '[]', '[]', '[]', '[]', '[]', '2025-01-01', '2025-01-01', '2025-01-01', 'fresh')`,
      ).run();
      expect(indexer.catchUp()).toBe(21);
      expect(indexer.lag()).toEqual({ devices: 0, changes: 0 });
    } finally {
      indexer.stop();
    }
    closeDatabase(db);
  });

  it('refuses an inventory that does not exist, without making one', () => {
    expect(() => SearchIndexer.open(join(dir, 'missing.db'))).toThrow();
    expect(() => new Database(join(dir, 'missing.db'), { fileMustExist: true })).toThrow();
  });
});
