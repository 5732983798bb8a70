// A device's facts in the inventory's order: the small-list sort agrees with Array.prototype.sort.
import { describe, expect, it } from 'vitest';
import { sortSmall } from '../../../agent/observe/device-facts.js';

describe('sortSmall', () => {
  it('gives the order of the stable built-in sort, ties in place, short lists and long', () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return Math.floor((seed / 2147483647) * n);
    };
    for (let round = 0; round < 500; round++) {
      // Few distinct keys, so most lists have ties; the index tells tied items apart.
      const list = Array.from({ length: rand(40) }, (_, i) => ({ key: rand(6), i }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...list].sort(byKey);
      expect(sortSmall(list, byKey)).toEqual(expected);
    }
  });
});
