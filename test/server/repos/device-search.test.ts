// Text search through the trigram index: the same devices, in the same order, whatever the index
// holds — nothing, part, all, or stale texts — as a literal substring test of every device's text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDevice } from '../../../core/wire.js';
import { rng } from '../../../scripts/lib/xorshift.js';
import { SearchIndexer } from '../../../server/db/search-indexer.js';
import { DeviceSearch, MAX_TRIGRAMS, trigramQuery } from '../../../server/repos/device-search.js';
import { IngestRepo } from '../../../server/repos/ingest-repo.js';
import { Where } from '../../../server/repos/scope.js';
import { batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from '../helpers.js';

describe('trigramQuery', () => {
  it('needs three characters, quotes every trigram and ANDs them', () => {
    expect(trigramQuery('ab')).toBeNull();
    expect(trigramQuery('abc')).toBe('"abc"');
    expect(trigramQuery('abcd')).toBe('"abc" AND "bcd"');
    // Lower case already (the repository lowers the needle); quotes doubled, operators plain text.
    expect(trigramQuery('a"b or c')).toBe('"a""b" AND """b " AND "b o" AND " or" AND "or " AND "r c"');
  });

  it('counts characters, not UTF-16 units, and leaves out what would not reach the tokenizer', () => {
    expect(trigramQuery('a😀b')).toBe('"a😀b"');
    expect(trigramQuery('a\0bcd')).toBe('"bcd"');
    expect(trigramQuery('\uD800ab')).toBeNull();
    expect(trigramQuery('aaaa')).toBe('"aaa"');
  });

  it('keeps at most MAX_TRIGRAMS, the first and the last among them', () => {
    const needle = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const q = trigramQuery(needle)!;
    const grams = q.split(' AND ');
    expect(grams).toHaveLength(MAX_TRIGRAMS);
    expect(grams[0]).toBe('"abc"');
    expect(grams.at(-1)).toBe('"789"');
  });
});

// A small alphabet, so that substrings repeat across devices; with characters FTS5 and SQL treat
// specially, upper case (folded by the collector) and a character outside the BMP.
const ALPHABET = ['a', 'b', 'c', 'A', '-', ' ', '"', '*', '%', '_', "'", '(', ':', 'é', '😀'];

function word(rand: () => number, min: number, max: number): string {
  const n = min + Math.floor(rand() * (max - min + 1));
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

const mac = (i: number) =>
  `00:1b:1b:07:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

function fleet(rand: () => number, from: number, n: number, tag: string): WireDevice[] {
  const out: WireDevice[] = [];
  for (let i = from; i < from + n; i++) {
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    out.push(
      device(
        mac(i),
        { 'http.server': word(rand, 3, 12), 'ssh.banner': `${tag}${word(rand, 0, 6)}` },
        { hostnames: [word(rand, 1, 8)], lastSeen: `2025-03-${day}T00:00:00.000Z` },
      ),
    );
  }
  return out;
}

let t: TestApp;
let a: Tenant;
let b: Tenant;
let indexer: SearchIndexer;
const rand = rng(0x5ea4c4);

interface Page {
  items: { id: number; lastSeen: string }[];
  page: { next: string | null };
}

async function ingest(tenant: Tenant, devices: WireDevice[]): Promise<void> {
  await call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: tenant.agentToken,
      payload: batch(tenant.agentId, { devices }),
    },
    200,
  );
}

/** Every page of a search, as ids in the order served. */
async function search(needle: string, sort: string): Promise<number[]> {
  const ids: number[] = [];
  let cursor = '';
  for (let pages = 0; pages < 200; pages++) {
    const url = `/v1/devices?limit=7&sort=${sort}&q=${encodeURIComponent(needle)}${cursor}`;
    const p = await call<Page>(t.app, { method: 'GET', url, token: a.analyst }, 200);
    ids.push(...p.items.map((d) => d.id));
    if (!p.page.next) return ids;
    cursor = `&cursor=${p.page.next}`;
  }
  throw new Error('too many pages');
}

/** What the listing must return: tenant a's devices whose stored text contains the needle. */
function expected(needle: string, sort: string): number[] {
  const rows = t.app.services.db
    .prepare('SELECT id, search, last_seen_day AS day FROM devices WHERE operator_id = ?')
    .all(a.operatorId) as { id: number; search: string; day: string }[];
  const hits = rows.filter((r) => r.search.includes(needle.toLowerCase()));
  const sign = sort.startsWith('-') ? -1 : 1;
  const byDay = sort.endsWith('lastSeenDay');
  return hits
    .sort((x, y) => (byDay && x.day !== y.day ? (x.day < y.day ? -sign : sign) : (x.id - y.id) * sign))
    .map((r) => r.id);
}

function needles(): string[] {
  const texts = (t.app.services.db.prepare('SELECT search FROM devices').all() as { search: string }[]).map(
    (r) => [...r.search],
  );
  const out = ['ab', 'zzz', '"*', 'a"b', '%_', "'(:", 'é😀a', 'AND', 'new-', 'old-'];
  for (let i = 0; i < 24; i++) {
    const chars = texts[Math.floor(rand() * texts.length)]!;
    const at = Math.floor(rand() * chars.length);
    out.push(chars.slice(at, at + 3 + Math.floor(rand() * 5)).join(''));
  }
  return out.filter((n) => n.length > 0 && !n.includes('\n'));
}

async function agreeEverywhere(): Promise<void> {
  for (const needle of needles()) {
    for (const sort of ['id', '-id', 'lastSeenDay', '-lastSeenDay']) {
      expect({ needle, sort, ids: await search(needle, sort) }).toEqual({
        needle,
        sort,
        ids: expected(needle, sort),
      });
    }
  }
}

beforeAll(async () => {
  t = await testApp();
  a = await makeTenant(t, 'Search Co');
  b = await makeTenant(t, 'Other Co');
  await ingest(a, fleet(rand, 0, 150, 'old-'));
  await ingest(b, fleet(rand, 1000, 60, 'old-'));
  indexer = new SearchIndexer(t.app.services.db);
});
afterAll(() => t.close());

describe('text search with the index', () => {
  it('finds the same devices before the index holds any', async () => {
    expect(indexer.lag().devices).toBe(210);
    await agreeEverywhere();
  });

  it('scans instead while the index is further behind than it may be', () => {
    const db = t.app.services.db;
    const where = new Where().add('operator_id = ?', a.operatorId).add('instr(search, ?) > 0', 'old');
    const listing = { columns: 'id', where, sort: { column: 'id' as const, desc: false }, rows: 1000 };
    expect(new DeviceSearch(db, (sql) => db.prepare(sql), 209).rows('old', listing)).toBeNull();
    expect(new DeviceSearch(db, (sql) => db.prepare(sql), 210).rows('old', listing)).toHaveLength(150);
  });

  it('finds the same devices with part of them indexed', async () => {
    expect(indexer.step(80)).toBe(80);
    expect(indexer.lag()).toEqual({ devices: 130, changes: 0 });
    await agreeEverywhere();
  });

  it('scans instead when the index file is damaged, and lets any other error through', () => {
    const db = t.app.services.db;
    const where = new Where().add('operator_id = ?', a.operatorId).add('instr(search, ?) > 0', 'old');
    const listing = { columns: 'id', where, sort: { column: 'id' as const, desc: false }, rows: 10 };
    const failing = (code: string) => (sql: string) => {
      if (sql.includes('device_text')) throw Object.assign(new Error(`simulated ${code}`), { code });
      return db.prepare(sql);
    };
    expect(new DeviceSearch(db, failing('SQLITE_CORRUPT_VTAB')).rows('old', listing)).toBeNull();
    expect(new DeviceSearch(db, failing('SQLITE_NOTADB')).rows('old', listing)).toBeNull();
    expect(() => new DeviceSearch(db, failing('SQLITE_ERROR')).rows('old', listing)).toThrow(/simulated/);
  });

  it('finds the same devices once all are indexed, through the index', async () => {
    expect(indexer.catchUp()).toBe(130);
    expect(indexer.lag()).toEqual({ devices: 0, changes: 0 });
    await agreeEverywhere();
    // The index answered (not a scan): its candidates come back for a needle of three characters.
    const db = t.app.services.db;
    const where = new Where().add('operator_id = ?', a.operatorId).add('instr(search, ?) > 0', 'old');
    const rows = new DeviceSearch(db, (sql) => db.prepare(sql)).rows('old', {
      columns: 'id',
      where,
      sort: { column: 'id', desc: false },
      rows: 1000,
    });
    expect(rows?.length).toBe(150);
  });

  it('finds changed texts before the index takes them in, and after', async () => {
    // The same devices with new banners: their texts change, the index still holds the old ones.
    await ingest(a, fleet(rng(7), 0, 40, 'new-'));
    await ingest(a, fleet(rng(8), 150, 20, 'new-')); // and 20 new devices
    const lag = indexer.lag();
    expect(lag.devices).toBe(20);
    expect(lag.changes).toBe(40);
    await agreeEverywhere();
    indexer.catchUp();
    expect(indexer.lag()).toEqual({ devices: 0, changes: 0 });
    await agreeEverywhere();
  });

  it('trims the change log to what the index has not taken in', () => {
    const db = t.app.services.db;
    const count = () => (db.prepare('SELECT count(*) AS n FROM search_log').get() as { n: number }).n;
    expect(count()).toBe(40);
    db.prepare('INSERT INTO search_log (device_id) VALUES (1)').run();
    new IngestRepo(db).pruneSearchLog();
    expect(count()).toBe(1);
  });
});
