// Evidence written many rows per statement: every row lands as one statement per row would have
// written it, across statement boundaries, and repeats of a fact within one statement add up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyIdentity, type ObservationSummary } from '../../../core/inventory.js';
import { type Db, openDatabase } from '../../../server/db/database.js';
import { ROWS_PER_STATEMENT } from '../../../server/repos/evidence-rows.js';
import { IngestRepo } from '../../../server/repos/ingest-repo.js';
import { TenancyRepo } from '../../../server/repos/tenancy-repo.js';

let db: Db;
let repo: IngestRepo;
let devices: number[];

const NOW = '2026-01-01T00:00:00.000Z';

function fact(i: number, over: Partial<ObservationSummary> = {}): ObservationSummary {
  return {
    key: i % 2 ? 'dhcp.hostname' : 'ip.ttl',
    value: i % 2 ? `host-${i}` : i,
    source: 'passive',
    count: 1 + (i % 5),
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:01:00.000Z',
    ...over,
  };
}

const stored = () =>
  db.prepare('SELECT * FROM evidence ORDER BY device_id, key, value, source').all() as Record<
    string,
    unknown
  >[];

beforeEach(() => {
  db = openDatabase({ file: ':memory:' });
  const tenancy = new TenancyRepo(db);
  const op = tenancy.createOperator('Op', 'electricity', 'JP', NOW);
  const site = tenancy.createSite(op.id, 'site', [], NOW);
  repo = new IngestRepo(db);
  const seen = {
    mac: null,
    ips: [],
    hostnames: [],
    vlans: [],
    services: [],
    roles: [],
    firstSeen: NOW,
    lastSeen: NOW,
    search: '',
  };
  const identity = emptyIdentity(null);
  devices = [1, 2, 3].map((i) => repo.insertDevice(site.id, op.id, `ip:10.0.0.${i}`, seen, identity, 'v1'));
});
afterEach(() => db.close());

describe('evidence rows', () => {
  it('inserts any number of rows, across statement boundaries, as one statement each would', () => {
    for (const n of [0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, 2 * ROWS_PER_STATEMENT + 3]) {
      db.exec('DELETE FROM evidence');
      const rows = Array.from({ length: n }, (_, i) => ({ deviceId: devices[i % 3]!, e: fact(i) }));
      repo.insertEvidence(rows);
      expect(stored()).toHaveLength(n);
      for (const d of devices) {
        const mine = rows.filter((r) => r.deviceId === d).map((r) => r.e);
        expect(repo.evidence(d)).toEqual(
          expect.arrayContaining(mine.map((e) => expect.objectContaining({ ...e }))),
        );
        expect(repo.evidence(d)).toHaveLength(mine.length);
      }
    }
  });

  it('keeps a number and its text apart (value has no type affinity)', () => {
    repo.insertEvidence([
      { deviceId: devices[0]!, e: fact(0, { key: 'ip.ttl', value: 64 }) },
      { deviceId: devices[0]!, e: fact(0, { key: 'ip.ttl', value: '64' }) },
    ]);
    expect(repo.evidence(devices[0]!).map((e) => e.value)).toEqual(expect.arrayContaining([64, '64']));
  });

  it('refuses a fact a new device already has, and the whole statement with it', () => {
    repo.insertEvidence([{ deviceId: devices[0]!, e: fact(1) }]);
    expect(() =>
      repo.insertEvidence([
        { deviceId: devices[1]!, e: fact(2) },
        { deviceId: devices[0]!, e: fact(1) },
      ]),
    ).toThrow(/UNIQUE/);
    expect(stored()).toHaveLength(1);
  });

  it('adds deltas: counts sum and windows widen, repeats within one statement included', () => {
    repo.insertEvidence([{ deviceId: devices[0]!, e: fact(1, { count: 2 }) }]);
    const early = { firstSeen: '2025-12-31T00:00:00.000Z', lastSeen: '2026-01-01T00:00:30.000Z' };
    const late = { firstSeen: '2026-01-01T00:00:10.000Z', lastSeen: '2026-01-02T00:00:00.000Z' };
    const rows = [
      { deviceId: devices[0]!, e: fact(1, { count: 3, ...early }) },
      ...Array.from({ length: ROWS_PER_STATEMENT + 5 }, (_, i) => ({
        deviceId: devices[1]!,
        e: fact(i + 10),
      })),
      // The same fact again, in the next statement, and a new fact of the first device.
      { deviceId: devices[0]!, e: fact(1, { count: 4, ...late }) },
      { deviceId: devices[0]!, e: fact(3) },
      { deviceId: devices[0]!, e: fact(3, { count: 10 }) },
    ];
    repo.addEvidence(rows);
    const first = repo.evidence(devices[0]!);
    expect(first).toHaveLength(2);
    expect(first.find((e) => e.value === 'host-1')).toEqual({
      ...fact(1),
      count: 9,
      firstSeen: early.firstSeen,
      lastSeen: late.lastSeen,
    });
    expect(first.find((e) => e.value === 'host-3')?.count).toBe(fact(3).count + 10);
    expect(repo.evidence(devices[1]!)).toHaveLength(ROWS_PER_STATEMENT + 5);
  });
});
