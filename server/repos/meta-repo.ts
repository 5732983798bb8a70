// Small facts about the store itself (which signatures the identities were decided with).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

export class MetaRepo {
  readonly #get: Statement;
  readonly #set: Statement;

  constructor(db: Db) {
    this.#get = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.#set = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): string | undefined {
    return (this.#get.get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.#set.run(key, value);
  }
}
