import { describe, expect, it } from 'vitest';
import { backtrackingHazard, compilePattern } from '../../../../core/identify/rules/safe-pattern.js';

describe('backtrackingHazard', () => {
  it.each(['(a+)+$', '^(\\w+\\s?)*$', '(?:[a-z]*x)+', '(a{2,})*', '((ab)+c)+', '(.*a){3,}', '(\\d+)\\1'])(
    'refuses %s',
    (src) => {
      expect(backtrackingHazard(src)).not.toBeNull();
    },
  );

  it.each([
    '^SSH-2\\.0-OpenSSH_([\\w.]+)',
    '^(?:Apache|nginx)/([\\d.]+)',
    '(ab)?c+',
    '^[(+*]+x',
    'a{2}b{1,3}',
    '(a|b)+',
    '\\(\\w+\\)+',
    '^(?:x\\d)+$',
  ])('accepts %s', (src) => {
    expect(backtrackingHazard(src)).toBeNull();
  });
});

describe('backtrackingHazard: shapes without nested quantifiers that still backtrack exponentially', () => {
  // Each was accepted and ran for seconds to minutes on a short hostile value ('(a|a)*$' on 30
  // 'a's then '!': 107 s; the others past a 10 s limit on 600 characters).
  it.each([
    '(a|a)*$',
    '(?:a|a)+b',
    '(?:a|b|ab)*c',
    '(a|aa)+$',
    '(.|\\s)*x',
    '(a|\\w)*z',
    '(?:a|a?)+$',
    '(?:A|[a-c])+!',
    '^(a?){25}a{25}$',
    '(?:x?)*y',
    // Classes and escapes overlap by what they match: 29 characters cost (\w|\d)+ 28 s.
    '^(\\w|\\d)+$',
    '(?:x|X){2,}',
    '(a?b|a)+',
    '(a|)+',
  ])('refuses %s', (src) => {
    expect(backtrackingHazard(src)).not.toBeNull();
  });

  it.each([
    '(a|b)+',
    '(?:[\\w-]|\\.)+',
    '(?:ab?)+c',
    '(?:\\d|x)+',
    '^(?:GET|POST) /',
    '(?:foo|bar)?x+',
    '^(?:GET|POST|HEAD)+ ',
    '(\\w|\\d)',
    '(a|a)?',
    '\\w+|\\d+',
    '(a|b)+[(+]',
  ])('accepts %s (alternatives that cannot start alike, groups that cannot match empty)', (src) => {
    expect(backtrackingHazard(src)).toBeNull();
  });
});

describe('backtrackingHazard: repeated groups that can split one text in two ways', () => {
  // Found by timing random patterns the check accepted (tmp/hazardfuzz.mjs): each took 0.1–23 s on
  // 24 characters and a '!'. An ambiguous group inside a repeated one, an optional first atom, a
  // variable atom that may match what the next iteration starts with, behind plain groups too.
  it.each([
    '^((?:[ab]|a)b?)+$',
    '^(?:a?.?(?:ab?))*$',
    '^(?:\\w\\w?)*$',
    '^(?:[ab]a?a?)+$',
    '^(?:aa??a?){3,}$',
    '^(?:(?:[ab]a?a?))*$',
    '^(?:(?:\\w(?:\\wa?a?)?)){3,}$',
    '^(?:(?:..?a?))+a{2}$',
  ])('refuses %s', (src) => {
    expect(backtrackingHazard(src)).toMatch(/two ways/);
  });
});

describe('backtrackingHazard: nested repetition, bounded', () => {
  it.each(['(\\d{1,3}\\.){3}\\d{1,3}', '(?:[0-9a-f]{2}:){5}[0-9a-f]{2}', '(a{1,2}){10}'])(
    'accepts %s (at most 1,024 ways to split)',
    (src) => {
      expect(backtrackingHazard(src)).toBeNull();
    },
  );

  // (a+){12}: n^12 ways on n characters, 2.7 s on 28 'a's and a '!'. ((a{1,2}){5}){5}: 2^25 ways,
  // 37 s on 600 characters, once counted as 2^5.
  it.each([
    '^(a+){12}$',
    '(a{1,2}){32}',
    '(\\d{1,3}){1,50}$',
    '(?:\\w{1,8}\\s?){2,}',
    '((a{1,2}){5}){5}$',
    '(?:(?:a{1,2}){3}b?){4}',
  ])('refuses %s', (src) => {
    expect(backtrackingHazard(src)).toMatch(/nested repetition/);
  });
});

describe('backtrackingHazard: reads the pattern as JavaScript does (pattern-syntax.ts)', () => {
  // ']' right after '[' or '[^' closes the class in JavaScript ([] is empty, [^] any character): the
  // check read it as a literal, so it skipped (a+)+ as class content; [^](a+)+] took 1.9 s on 28
  // characters and was accepted.
  it.each(['[^](a+)+]', '[](a+)+]', '[^](\\w|\\d)+'])('refuses %s', (src) => {
    expect(backtrackingHazard(src)).not.toBeNull();
  });

  it('reads whole escapes: \\x41? is an optional atom, [\\]] one class', () => {
    expect(backtrackingHazard('(\\x41?b)+')).toMatch(/two ways/);
    expect(backtrackingHazard('[\\]](a+)+')).toMatch(/nested repetition/);
    expect(backtrackingHazard('[\\]]+x')).toBeNull();
  });
});

describe('compilePattern', () => {
  it('compiles for the linear-time engine unless asked for backtracking (shipped rules)', () => {
    const linear = compilePattern('^Moxa (\\S+)', 'i');
    expect(linear).toMatchObject({ ok: true, groups: 1 });
    expect(linear.ok && linear.regex.flags).toBe('l');
    const shipped = compilePattern('^Moxa (\\S+)', 'i', 'backtracking');
    expect(shipped.ok && shipped.regex.flags).toBe('i');
    expect(linear).toMatchObject({ engine: 'linear' });
    // A lookaround: the linear engine cannot run it, so it stays on backtracking (hazard-checked).
    expect(compilePattern('^Moxa(?= )', '')).toMatchObject({ ok: true, engine: 'backtracking' });
    expect(compilePattern('^Moxa(?= )', '', 'backtracking')).toMatchObject({ ok: true });
  });

  it('counts capture groups and refuses bad flags, syntax and length', () => {
    expect(compilePattern('^(a)(?:b)(c)', '')).toMatchObject({ ok: true, groups: 2 });
    expect(compilePattern('^(a)(?:b)(c)', '', 'backtracking')).toMatchObject({ ok: true, groups: 2 });
    expect(compilePattern('a', 'g')).toMatchObject({ ok: false });
    expect(compilePattern('(', '')).toMatchObject({ ok: false });
    expect(compilePattern('[', '')).toMatchObject({ ok: false });
    expect(compilePattern('a'.repeat(401), '')).toMatchObject({ ok: false });
  });
});
