import { describe, expect, it } from 'vitest';
import { FactRows } from '../../../agent/observe/fact-rows.js';

function chain(rows: FactRows, head: number) {
  const out: [unknown, number, number, number][] = [];
  for (let r = head; r >= 0; r = rows.next(r))
    out.push([rows.value(r), rows.count(r), rows.first(r), rows.last(r)]);
  return out;
}

describe('fact rows', () => {
  it('keeps a chain in insertion order past the linear scan, finding every value by map then', () => {
    const rows = new FactRows();
    const head = rows.start(0, -1, 'v0', 100, 'passive');
    for (let i = 1; i < 40; i++) rows.append(head, `v${i}`, 100 + i, i % 2 ? 'active' : 'passive');
    expect(rows.length(head)).toBe(40);
    expect(chain(rows, head).map((f) => f[0])).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`));
    for (let i = 0; i < 40; i++) {
      const row = rows.find(head, `v${i}`);
      expect(rows.value(row)).toBe(`v${i}`);
      expect(rows.source(row)).toBe(i % 2 ? 'active' : 'passive');
    }
    expect(rows.find(head, 'v40')).toBe(-1);
  });

  it('finds values as Map keys do: NaN equals NaN, a number is not its text', () => {
    const rows = new FactRows();
    const head = rows.start(0, -1, 1, 5, 'passive');
    expect(rows.find(head, '1')).toBe(-1);
    const nan = rows.append(head, Number.NaN, 6, 'passive');
    expect(rows.find(head, Number.NaN)).toBe(nan);
    for (let i = 0; i < 10; i++) rows.append(head, 100 + i, 7, 'passive');
    expect(rows.find(head, Number.NaN)).toBe(nan);
    expect(rows.find(head, '1')).toBe(-1);
  });

  it('counts sightings with the earliest and latest time, whatever their order', () => {
    const rows = new FactRows();
    const row = rows.start(0, -1, 'x', 500, 'passive');
    rows.bump(row, 700);
    rows.bump(row, 300);
    expect(chain(rows, row)).toEqual([['x', 3, 300, 700]]);
    rows.markSent(row, 3);
    expect(rows.sent(row)).toBe(3);
  });

  it('grows past its first columns and reuses freed rows without touching live chains', () => {
    const rows = new FactRows();
    const heads = Array.from({ length: 3000 }, (_, i) => rows.start(0, -1, i, i, 'passive'));
    for (const h of heads) rows.bump(h, 10_000);
    expect(chain(rows, heads[2999]!)).toEqual([[2999, 2, 2999, 10_000]]);
    const gone = rows.start(0, -1, 'a', 1, 'passive');
    for (const v of ['b', 'c']) rows.append(gone, v, 2, 'passive');
    rows.freeKeys(gone);
    const again = rows.start(0, -1, 'new', 9, 'active');
    rows.append(again, 'newer', 9, 'active');
    // The three freed rows were taken again; the new chain reads as new.
    expect(chain(rows, again)).toEqual([
      ['new', 1, 9, 9],
      ['newer', 1, 9, 9],
    ]);
    expect(rows.sent(again)).toBe(0);
    expect(chain(rows, heads[0]!)).toEqual([[0, 2, 0, 10_000]]);
  });

  it("chains an endpoint's keys in the order they came, and frees them all at once", () => {
    const rows = new FactRows();
    const first = rows.start(7, -1, 'a', 1, 'passive');
    const second = rows.start(3, first, 'b', 2, 'passive');
    rows.append(second, 'c', 3, 'passive');
    const third = rows.start(9, second, 5, 4, 'active');
    expect([rows.findKey(first, 7), rows.findKey(first, 3), rows.findKey(first, 9)]).toEqual([
      first,
      second,
      third,
    ]);
    expect(rows.findKey(first, 4)).toBe(-1);
    const keys: number[] = [];
    for (let h = first; h >= 0; h = rows.nextKey(h)) keys.push(rows.key(h));
    expect(keys).toEqual([7, 3, 9]);
    const live = rows.start(1, -1, 'live', 5, 'passive');
    rows.freeKeys(first);
    // The four freed rows come back before any new one.
    const reused = [rows.start(2, -1, 'w', 6, 'passive')];
    for (const v of ['x', 'y', 'z']) reused.push(rows.append(reused[0]!, v, 6, 'passive'));
    expect(reused.sort((x, y) => x - y)).toEqual([first, second, second + 1, third].sort((x, y) => x - y));
    expect(chain(rows, live)).toEqual([['live', 1, 5, 5]]);
  });
});
