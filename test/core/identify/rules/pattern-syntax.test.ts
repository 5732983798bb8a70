// The pattern reader: tokens, escapes and classes as ECMAScript without the u flag reads them
// (Annex B included), checked against what V8 itself matches.
import { describe, expect, it } from 'vitest';
import { atomLength, readClass, tokenize } from '../../../../core/identify/rules/pattern-syntax.js';

const kinds = (src: string) => tokenize(src).map((t) => (t.kind === 'open' ? `open:${t.group}` : t.kind));
const codes = (src: string) => tokenize(src).map((t) => (t.kind === 'char' ? t.code : t.kind));

describe('tokenize', () => {
  it('reads structure', () => {
    expect(kinds('^(a|b)*?(?:c)(?<n>d)(?=e)(?<!f)$')).toEqual([
      'assertion',
      'open:capture',
      'char',
      'bar',
      'char',
      'close',
      'quantifier',
      'open:plain',
      'char',
      'close',
      'open:named',
      'char',
      'close',
      'open:lookahead',
      'char',
      'close',
      'open:lookbehind',
      'char',
      'close',
      'assertion',
    ]);
    expect(tokenize('a{2,5}?b{3,}c{,2}')).toMatchObject([
      { kind: 'char' },
      { kind: 'quantifier', min: 2, max: 5, lazy: true },
      { kind: 'char' },
      { kind: 'quantifier', min: 3, max: Number.POSITIVE_INFINITY, lazy: false },
      { kind: 'char', code: 0x63 },
      // {,2} is no count: four literal characters (Annex B).
      { kind: 'char', code: 0x7b },
      { kind: 'char', code: 0x2c },
      { kind: 'char', code: 0x32 },
      { kind: 'char', code: 0x7d },
    ]);
  });

  it('decodes escapes as V8 does', () => {
    const cases: [string, (number | string)[]][] = [
      ['\\x41\\u212a\\t\\v\\0', [0x41, 0x212a, 9, 11, 0]],
      ['\\x4\\u12', [0x78, 0x34, 0x75, 0x31, 0x32]], // \x and \u without their digits are letters
      ['\\cJ\\cj', [10, 10]],
      ['\\c1', [0x5c, 0x63, 0x31]], // \c without a letter: a backslash, then c
      ['\\012\\08\\0', [10, 0, 0x38, 0]],
      ['\\q\\/\\]', [0x71, 0x2f, 0x5d]],
      ['\\b\\B\\1\\k', ['assertion', 'assertion', 'backreference', 'backreference']],
    ];
    for (const [src, want] of cases) {
      expect(codes(src), src).toEqual(want);
      // Where every token is a character, V8 matches exactly that string.
      if (want.every((w) => typeof w === 'number'))
        expect(new RegExp(`^${src}$`).test(String.fromCharCode(...(want as number[]))), src).toBe(true);
    }
  });
});

/** Built from text, not a literal: a lint fix drops the 'useless' backslashes of \\101, \\8 and \\B. */
const CLASS = '[a-c\\d-z\\b\\-\\101\\8\\c_\\c1\\B-]';

describe('readClass', () => {
  it('closes at the first unescaped "]": [] is empty and [^] any character', () => {
    expect(readClass('[]a]', 0)).toMatchObject({ items: [], end: 2 });
    expect(readClass('[^]a]', 0)).toMatchObject({ negated: true, items: [], end: 3 });
    expect(readClass('[\\]a]', 0)).toMatchObject({ end: 5 });
  });

  it('reads ranges, escapes, Annex B ranges with a class escape, octal and control letters', () => {
    expect(readClass(CLASS, 0).items).toEqual([
      { kind: 'range', lo: 0x61, hi: 0x63 },
      { kind: 'escape', text: '\\d' },
      { kind: 'range', lo: 0x2d, hi: 0x2d },
      { kind: 'range', lo: 0x7a, hi: 0x7a },
      { kind: 'range', lo: 8, hi: 8 },
      { kind: 'range', lo: 0x2d, hi: 0x2d },
      { kind: 'range', lo: 0x41, hi: 0x41 },
      { kind: 'range', lo: 0x38, hi: 0x38 },
      { kind: 'range', lo: 0x1f, hi: 0x1f },
      { kind: 'range', lo: 0x11, hi: 0x11 },
      { kind: 'range', lo: 0x42, hi: 0x42 },
      { kind: 'range', lo: 0x2d, hi: 0x2d },
    ]);
    expect(readClass(CLASS, 0).end).toBe(CLASS.length);
    const re = new RegExp(`^${CLASS}+$`);
    expect(re.test('abc0-z\bA8\u001f\u0011B')).toBe(true);
    expect(re.test('d')).toBe(false);
  });
});

describe('atomLength', () => {
  it('spans an escape, a class or a group to its closing parenthesis', () => {
    expect(atomLength('\\x41?')).toBe(4);
    expect(atomLength('\\u212a')).toBe(6);
    expect(atomLength('[^]x')).toBe(3);
    expect(atomLength('[\\])]x')).toBe(5);
    expect(atomLength('(a(b)[)])c')).toBe(9);
    expect(atomLength('(unclosed')).toBe(9);
    expect(atomLength('a+')).toBe(1);
  });
});
