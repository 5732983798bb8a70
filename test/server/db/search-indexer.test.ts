// The indexer's pace: it yields to the writer (one step per busy interval while another connection
// commits), then catches up back to back once the writer pauses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type Db, openDatabase } from '../../../server/db/database.js';
import { SearchIndexer, STEP_DEVICES } from '../../../server/db/search-indexer.js';
import { attachSearch } from '../../../server/db/search-store.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-indexer-'));
  db = openDatabase({ file: join(dir, 'collector.db'), synchronous: 'NORMAL' });
  db.exec(`INSERT INTO operators (id, name, sector, country, created_at) VALUES (1, 'Op', 'water', 'JP', '2025-01-01');
           INSERT INTO sites (id, operator_id, name, home_net, created_at) VALUES (1, 1, 's', '[]', '2025-01-01');`);
  attachSearch(db);
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

let next = 0;
/** The writer: `n` new devices in one transaction. */
function write(n: number): void {
  const insert = db.prepare(
    `INSERT INTO devices (site_id, operator_id, key, ips, hostnames, vlans, services, roles, first_seen, last_seen,
       last_seen_day, search) VALUES (1, 1, ?, '[]', '[]', '[]', '[]', '[]', '2025-01-01', '2025-01-01', '2025-01-01', ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++, next++) insert.run(`mac:${next}`, `host-${next}\n`);
  })();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the search indexer at work', () => {
  it('takes one step per busy interval while the writer commits, and catches up when it pauses', async () => {
    write(STEP_DEVICES * 4);
    const indexer = SearchIndexer.open(join(dir, 'collector.db'));
    try {
      indexer.start({ idleIntervalMs: 10, busyIntervalMs: 60_000 });
      // The writer commits every 5 ms for 300 ms: after the first step (the writer had not been
      // seen yet), the indexer waits.
      const until = performance.now() + 300;
      while (performance.now() < until) {
        write(10);
        await sleep(5);
      }
      const behind = indexer.lag().devices;
      expect(behind).toBeGreaterThanOrEqual(STEP_DEVICES * 2);
      // The writer stops: back-to-back steps take in the rest.
      const end = performance.now() + 5_000;
      while (indexer.lag().devices > 0 && performance.now() < end) await sleep(10);
      expect(indexer.lag()).toEqual({ devices: 0, changes: 0 });
    } finally {
      indexer.stop();
    }
  });
});
