// The WAL checkpointer: a second connection copies committed pages into the database file while the
// writer goes on; the writer's backstop checkpoint keeps the WAL bounded under continuous writes;
// failures are reported, not thrown; stop() closes the connection.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Db, openDatabase } from '../../../server/db/database.js';
import { WalCheckpointer } from '../../../server/db/wal-checkpointer.js';

const dirs: string[] = [];
const open: { close(): void }[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'om-ckpt-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A migrated store whose commits never checkpoint on their own within the test. */
function writer(file: string, autocheckpointPages = 1_000_000): Db {
  const db = openDatabase({ file, autocheckpointPages });
  open.push(db);
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, blob BLOB NOT NULL) STRICT');
  return db;
}

/** Commits `rows` rows of 1 KiB (about a page each in the WAL, with the b-tree's own pages). */
function commit(db: Db, rows: number): void {
  const insert = db.prepare('INSERT INTO filler (blob) VALUES (randomblob(1024))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run();
  })();
}

/** WAL frames the file has room for: it is reused from its start after a restart, never shrunk. */
const walFileFrames = (file: string) => statSync(`${file}-wal`).size / (4096 + 24);

describe('WalCheckpointer', () => {
  it('copies committed pages into the database file, which another connection then reads', () => {
    const file = join(tmp(), 'c.db');
    const db = writer(file);
    commit(db, 500);
    const before = statSync(file).size;
    const ckpt = new WalCheckpointer(file);
    open.push({ close: () => ckpt.stop() });
    const r = ckpt.checkpoint();
    expect(r.busy).toBe(false);
    // Three 1 KiB rows a page, and the b-tree's interior pages.
    expect(r.walFrames).toBeGreaterThan(500 / 3);
    expect(r.backfilled).toBe(r.walFrames);
    // The pages are in the main file now: it grew by at least the rows' bytes.
    expect(statSync(file).size - before).toBeGreaterThan(500 * 1024);
    const reader = new Database(file, { readonly: true });
    open.push(reader);
    expect(reader.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 500 });
  });

  it('runs on its timer beside a writer, and the writer’s backstop keeps the WAL bounded', async () => {
    const file = join(tmp(), 'c.db');
    const db = writer(file, 400);
    const ckpt = new WalCheckpointer(file, { busyIntervalMs: 1, idleIntervalMs: 1 }).start();
    open.push({ close: () => ckpt.stop() });
    for (let i = 0; i < 40; i++) {
      commit(db, 100);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(ckpt.runs).toBeGreaterThan(5);
    // 40 commits of ~35 pages each: without restarts the WAL would hold ~1,400 frames; it restarts
    // after a checkpoint that copied it all (this one's, between commits, or the backstop's at 400).
    expect(walFileFrames(file)).toBeLessThan(400 + 100);
    // The pages are in the main file (~4 MiB of rows), not only in the WAL.
    expect(statSync(file).size).toBeGreaterThan(4000 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 4000 });
  });

  it('reports a failed checkpoint and keeps its timer going', async () => {
    const file = join(tmp(), 'c.db');
    writer(file);
    const errors: Error[] = [];
    const ckpt = new WalCheckpointer(file, {
      busyIntervalMs: 1,
      idleIntervalMs: 1,
      onError: (e) => errors.push(e),
    });
    // The connection is made unusable under it: every checkpoint from now on throws.
    (ckpt as unknown as { checkpoint(): never }).checkpoint = () => {
      throw new Error('disk I/O error');
    };
    ckpt.start();
    // Waited for, not timed: a loaded machine can run one timer late and then the test's own first.
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1), { timeout: 10_000, interval: 5 });
    ckpt.stop();
    expect(errors.length).toBeGreaterThan(1);
    expect(errors[0]!.message).toBe('disk I/O error');
  });

  it('refuses a file that is missing or not in WAL mode, and stops idempotently', () => {
    const dir = tmp();
    expect(() => new WalCheckpointer(join(dir, 'missing.db'))).toThrow();
    const plain = new Database(join(dir, 'plain.db'));
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    expect(() => new WalCheckpointer(join(dir, 'plain.db'))).toThrow(/not in WAL mode/);
    const file = join(dir, 'c.db');
    writer(file);
    const ckpt = new WalCheckpointer(file).start();
    ckpt.stop();
    ckpt.stop();
    expect(() => ckpt.checkpoint()).toThrow();
  });
});

describe('openDatabase autocheckpointPages', () => {
  it('sets the automatic checkpoint (default 1,000 pages)', () => {
    const dir = tmp();
    const a = openDatabase({ file: join(dir, 'a.db') });
    const b = openDatabase({ file: join(dir, 'b.db'), autocheckpointPages: 20_000 });
    open.push(a, b);
    expect(a.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(b.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
  });
});
