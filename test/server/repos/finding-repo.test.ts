// New findings written many per statement store the same rows, ids and history as one `save`
// each would: across statement boundaries, with several history entries, a waiver, a person's
// token, and after rows that already exist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackedFinding } from '../../../core/policy/lifecycle.js';
import { type Db, openDatabase } from '../../../server/db/database.js';
import { type Actor, type FindingPlace, FindingRepo } from '../../../server/repos/finding-repo.js';
import { ROWS_PER_STATEMENT } from '../../../server/repos/multi-row.js';
import { TenancyRepo } from '../../../server/repos/tenancy-repo.js';

const NOW = '2026-01-01T00:00:00.000Z';
const ANALYST: Actor = { name: 'analyst-1', tokenId: 7 };

function finding(i: number): TrackedFinding {
  const history: TrackedFinding['history'] = [{ at: NOW, by: 'system', from: null, to: 'open', note: null }];
  if (i % 3 === 1)
    history.push({ at: NOW, by: 'analyst-1', from: 'open', to: 'acknowledged', note: `n${i}` });
  if (i % 5 === 2)
    history.push({ at: '2026-01-02T00:00:00.000Z', by: 'someone', from: 'open', to: 'waived', note: 'w' });
  return {
    id: `f-${i.toString(16).padStart(24, '0')}`,
    rule: `rule-${i % 4}`,
    severity: i % 2 ? 'high' : 'medium',
    subject: { kind: i % 7 ? 'device' : 'connection', id: `mac:00:00:00:00:00:${(i % 256).toString(16)}` },
    message: `finding ${i} "quoted" <b>`,
    facts: { 'device.vendor': 'Hikvision', n: i, list: [i, 'x'] },
    firstSeen: NOW,
    lastSeen: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    status: history.at(-1)!.to,
    history,
    waiver:
      i % 5 === 2
        ? { reason: 'r', approver: 'a', until: '2026-06-01T00:00:00.000Z', grantedBy: 'g', grantedAt: NOW }
        : null,
  };
}

function store(): { db: Db; repo: FindingRepo; places: FindingPlace[] } {
  const db = openDatabase({ file: ':memory:' });
  db.pragma('foreign_keys = OFF'); // findings here name devices the test does not create
  const tenancy = new TenancyRepo(db);
  const op = tenancy.createOperator('Op', 'electricity', 'JP', NOW);
  const site = tenancy.createSite(op.id, 'site', [], NOW);
  const places = [1, 2, null].map((deviceId) => ({ operatorId: op.id, siteId: site.id, deviceId }));
  return { db, repo: new FindingRepo(db), places };
}

const dump = (db: Db) => ({
  findings: db.prepare('SELECT * FROM findings ORDER BY id').all(),
  changes: db.prepare('SELECT * FROM finding_changes ORDER BY finding_id, seq').all(),
});

let one: ReturnType<typeof store>;
let many: ReturnType<typeof store>;
beforeEach(() => {
  one = store();
  many = store();
});
afterEach(() => {
  one.db.close();
  many.db.close();
});

describe('insertMany', () => {
  it('stores what one save per finding stores, ids included, after existing rows', () => {
    const n = 2 * ROWS_PER_STATEMENT + 5;
    const items = Array.from({ length: n }, (_, i) => ({ where: one.places[i % 3]!, f: finding(i) }));
    // Rows that exist already: ids continue after them.
    for (const s of [one, many]) s.repo.save(s.places[0]!, finding(1000), undefined);
    for (const { where, f } of items) one.repo.save(where, f, undefined, ANALYST);
    many.repo.insertMany(items, ANALYST);
    const a = dump(one.db);
    const b = dump(many.db);
    expect(b.findings).toHaveLength(n + 1);
    expect(b.changes.length).toBeGreaterThan(n + 1);
    expect(b).toEqual(a);
    // And the repository reads them back the same way.
    expect(many.repo.ofDevices([1, 2])).toEqual(one.repo.ofDevices([1, 2]));
  });

  it('writes nothing for no findings', () => {
    many.repo.insertMany([]);
    expect(dump(many.db).findings).toHaveLength(0);
  });
});
