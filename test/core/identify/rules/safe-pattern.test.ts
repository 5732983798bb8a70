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

describe('compilePattern', () => {
  it('counts capture groups and refuses bad flags, syntax and length', () => {
    expect(compilePattern('^(a)(?:b)(c)', '')).toMatchObject({ ok: true, groups: 2 });
    expect(compilePattern('a', 'g')).toMatchObject({ ok: false });
    expect(compilePattern('(', '')).toMatchObject({ ok: false });
    expect(compilePattern('[', '')).toMatchObject({ ok: false });
    expect(compilePattern('a'.repeat(401), '')).toMatchObject({ ok: false });
  });
});
