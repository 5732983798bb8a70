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
    const head = rows.start('v0', 100, 'passive');
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
    const head = rows.start(1, 5, 'passive');
    expect(rows.find(head, '1')).toBe(-1);
    const nan = rows.append(head, Number.NaN, 6, 'passive');
    expect(rows.find(head, Number.NaN)).toBe(nan);
    for (let i = 0; i < 10; i++) rows.append(head, 100 + i, 7, 'passive');
    expect(rows.find(head, Number.NaN)).toBe(nan);
    expect(rows.find(head, '1')).toBe(-1);
  });

  it('counts sightings with the earliest and latest time, whatever their order', () => {
    const rows = new FactRows();
    const row = rows.start('x', 500, 'passive');
    rows.bump(row, 700);
    rows.bump(row, 300);
    expect(chain(rows, row)).toEqual([['x', 3, 300, 700]]);
    rows.markSent(row, 3);
    expect(rows.sent(row)).toBe(3);
  });

  it('grows past its first columns and reuses freed rows without touching live chains', () => {
    const rows = new FactRows();
    const heads = Array.from({ length: 3000 }, (_, i) => rows.start(i, i, 'passive'));
    for (const h of heads) rows.bump(h, 10_000);
    expect(chain(rows, heads[2999]!)).toEqual([[2999, 2, 2999, 10_000]]);
    const gone = rows.start('a', 1, 'passive');
    for (const v of ['b', 'c']) rows.append(gone, v, 2, 'passive');
    rows.freeChain(gone);
    const again = rows.start('new', 9, 'active');
    rows.append(again, 'newer', 9, 'active');
    // The three freed rows were taken again; the new chain reads as new.
    expect(chain(rows, again)).toEqual([
      ['new', 1, 9, 9],
      ['newer', 1, 9, 9],
    ]);
    expect(rows.sent(again)).toBe(0);
    expect(chain(rows, heads[0]!)).toEqual([[0, 2, 0, 10_000]]);
  });
});
