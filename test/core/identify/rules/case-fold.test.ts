// Case folding without the u flag: the equivalence classes computed from the spec's Canonicalize
// are the ones V8's own 'i' flag uses, and the class escapes are already closed under them.
import { describe, expect, it } from 'vitest';
import { canonicalize, caseClass, caseClosure } from '../../../../core/identify/rules/case-fold.js';

/** Every code unit once, in order: position k holds code unit k. */
const ALL = Array.from({ length: 0x10000 }, (_, k) => String.fromCharCode(k)).join('');

const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/** The code units V8 matches with `source` under 'i', found by scanning every code unit once. */
function v8Matches(source: string): number[] {
  return [...ALL.matchAll(new RegExp(source, 'gi'))].map((m) => m.index!);
}

/** Expands ranges into their code units. */
function units(ranges: readonly [number, number][]): number[] {
  return ranges.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k));
}

describe('canonicalize (ECMA-262 §22.2.2.7.3, ignoreCase, not unicode)', () => {
  it('folds ASCII letters and keeps the characters where it differs from lower-casing', () => {
    expect(canonicalize(0x61)).toBe(0x41); // a → A
    expect(canonicalize(0x17f)).toBe(0x17f); // ſ: upper case is 'S', but non-ASCII never folds into ASCII
    expect(canonicalize(0x131)).toBe(0x131); // ı (dotless i): likewise
    expect(canonicalize(0x212a)).toBe(0x212a); // K (Kelvin): its own upper case
    expect(canonicalize(0xdf)).toBe(0xdf); // ß: upper case 'SS' is two code units
    expect(canonicalize(0x130)).toBe(0x130); // İ
    expect(canonicalize(0xb5)).toBe(0x39c); // µ (micro) → Μ (Greek capital mu)
  });

  it('gives the classes where those characters belong', () => {
    expect(caseClass(0x6b)).toEqual([0x4b, 0x6b]); // k: not Kelvin
    expect(caseClass(0x212a)).toEqual([0x212a]);
    expect(caseClass(0x17f)).toEqual([0x17f]);
    expect(caseClass(0xdf)).toEqual([0xdf]);
    expect(caseClass(0xb5)).toEqual([0xb5, 0x39c, 0x3bc]); // µ Μ μ
    expect(caseClass(0x1c5)).toEqual([0x1c4, 0x1c5, 0x1c6]); // Ǆ ǅ ǆ
  });
});

describe('V8 agreement', () => {
  it('every code unit with a case mapping (and every 61st other) matches under V8 "i" exactly its class', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (ch.toUpperCase() === ch && ch.toLowerCase() === ch && caseClass(c).length === 1 && c % 61 !== 0)
        continue;
      checked++;
      const got = v8Matches(hex(c));
      if (JSON.stringify(got) !== JSON.stringify(caseClass(c)))
        mismatches.push(`${hex(c)}: V8 ${got.map(hex)}`);
    }
    expect(checked).toBeGreaterThan(2500);
    expect(mismatches).toEqual([]);
  });

  it('the closure of every 256-unit block, and of its complement, is what V8 "i" matches with the class', () => {
    const mismatches: string[] = [];
    for (let lo = 0; lo <= 0xffff; lo += 0x100) {
      const hi = lo + 0xff;
      const closure = units(caseClosure([[lo, hi]]));
      if (JSON.stringify(v8Matches(`[${hex(lo)}-${hex(hi)}]`)) !== JSON.stringify(closure))
        mismatches.push(hex(lo));
      // A negated class matches what is outside the closure (a union of whole classes): removing
      // what it matches leaves the closure.
      const left = ALL.replace(new RegExp(`[^${hex(lo)}-${hex(hi)}]`, 'gi'), '');
      if (left !== String.fromCharCode(...closure)) mismatches.push(`^${hex(lo)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('\\d \\D \\s \\S \\w \\W and . are closed under folding, so they stay as written', () => {
    for (const set of ['\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '.']) {
      const re = new RegExp(`^${set}$`);
      const open: string[] = [];
      for (let c = 0; c <= 0xffff; c++) {
        const inSet = re.test(String.fromCharCode(c));
        if (caseClass(c).some((m) => re.test(String.fromCharCode(m)) !== inSet)) open.push(hex(c));
      }
      expect(open, set).toEqual([]);
    }
  });
});

describe('caseClosure', () => {
  it('adds the partners of the members and merges ranges', () => {
    expect(caseClosure([[0x61, 0x7a]])).toEqual([
      [0x41, 0x5a],
      [0x61, 0x7a],
    ]);
    expect(caseClosure([[0x6b, 0x6b]])).toEqual([
      [0x4b, 0x4b],
      [0x6b, 0x6b],
    ]);
    expect(caseClosure([])).toEqual([]);
    expect(caseClosure([[0, 0xffff]])).toEqual([[0, 0xffff]]);
  });
});
