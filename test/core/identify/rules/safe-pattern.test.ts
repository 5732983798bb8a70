import { describe, expect, it } from 'vitest';
import {
  ambiguousAlternation,
  backtrackingHazard,
  compilePattern,
} from '../../../../core/identify/rules/safe-pattern.js';

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

describe('ambiguousAlternation', () => {
  it.each([
    ['^(\\w|\\d)+$', '(\\w|\\d)+'],
    ['^(a|a)*$', '(a|a)*'],
    ['(.|\\s)*x', '(.|\\s)*'],
    ['(?:x|X){2,}', '(?:x|X){2,}'],
    ['((a|ab)c)+', '((a|ab)c)+'],
    ['(a?b|a)+', '(a?b|a)+'],
    ['(a|)+', '(a|)+'],
    ['(\\d|x){1,30}', '(\\d|x){1,30}'],
  ])('refuses %s', (src, group) => {
    expect(ambiguousAlternation(src)).toBe(group);
    expect(compilePattern(src, 'i')).toMatchObject({ ok: false });
  });

  it.each([
    '(a|b)+',
    '^(?:GET|POST|HEAD)+ ',
    '(\\w|\\d)',
    '(a|a)?',
    '(?:\\.|-)+',
    '\\w+|\\d+',
    '[(|]+',
    '(a|b)+[(+]',
  ])('accepts %s', (src) => {
    expect(ambiguousAlternation(src)).toBeNull();
  });

  it('what it refuses is what backtracks: (\\w|\\d)+ on 20 digits and a bang, against its class form', () => {
    const hostile = `${'1'.repeat(20)}!`;
    let t = performance.now();
    /^[\w\d]+$/i.test(hostile);
    const linear = performance.now() - t;
    t = performance.now();
    /^(\w|\d)+$/i.test(hostile);
    const alternated = performance.now() - t;
    // ~75 ms against well under 1 ms on this machine; the ratio is what matters.
    expect(alternated).toBeGreaterThan(20 * Math.max(linear, 0.5));
  });
});

describe('compilePattern', () => {
  it('counts capture groups and refuses bad flags, syntax and length', () => {
    expect(compilePattern('^(a)(?:b)(c)', '')).toMatchObject({ ok: true, groups: 2 });
    expect(compilePattern('a', 'g')).toMatchObject({ ok: false });
    expect(compilePattern('(', '')).toMatchObject({ ok: false });
    expect(compilePattern('[', '')).toMatchObject({ ok: false });
    expect(compilePattern('a'.repeat(401), '')).toMatchObject({ ok: false });
  });
});
