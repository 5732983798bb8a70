// Migrations: from an empty file to the latest schema, once; a newer database is refused; the
// file names and numbering are checked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/database.js';
import { loadMigrations, migrate } from '../../../server/db/migrate.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'om-migrate-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migrations', () => {
  it('bring an empty database to the latest schema, in WAL mode, and run once', () => {
    const file = join(tmp(), 'sub', 'c.db');
    const db = openDatabase({ file });
    const versions = (
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    ).map((r) => r.version);
    expect(versions).toEqual(loadMigrations().map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [
      'operators',
      'sites',
      'agents',
      'tokens',
      'devices',
      'evidence',
      'identity_changes',
      'connections',
      'batches',
      'policy_configs',
      'findings',
      'finding_changes',
      'report_schedules',
      'reports',
      'agent_activity',
    ]) {
      expect(tables).toContain(t);
    }
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDatabase({ file });
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('refuses a database newer than this build', () => {
    const file = join(tmp(), 'c.db');
    openDatabase({ file }).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')").run();
    raw.close();
    expect(() => openDatabase({ file })).toThrow(/schema 999, newer than this build/);
  });

  it('checks migration file names and numbering, and rolls back a failing migration', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', '001-a.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    writeFileSync(join(dir, 'm', '003-c.sql'), 'CREATE TABLE c (x INTEGER) STRICT;');
    expect(() => loadMigrations(join(dir, 'm'))).toThrow(/expected number 2/);
    writeFileSync(join(dir, 'm', '003-c.sql'), '');
    rmSync(join(dir, 'm', '003-c.sql'));
    writeFileSync(join(dir, 'm', '002-Bad Name.sql'), '');
    expect(() => loadMigrations(join(dir, 'm'))).toThrow(/is not NNN-name.sql/);
    rmSync(join(dir, 'm', '002-Bad Name.sql'));
    writeFileSync(
      join(dir, 'm', '002-broken.sql'),
      'CREATE TABLE b (x INTEGER) STRICT; CREATE TABLE oops (;',
    );
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(join(dir, 'm')))).toThrow();
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    db.close();
  });
});
