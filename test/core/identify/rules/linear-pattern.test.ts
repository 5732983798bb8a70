// The linear-time compile gives the same answers as the backtracking engine: same test(), same
// exec() (match, index, groups) for the shipped rule and policy patterns and for generated ones,
// on mixed-case inputs and the characters where case folding is subtle. And it stays linear.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  compileLinear,
  LinearPatternError,
  linearSource,
} from '../../../../core/identify/rules/linear-pattern.js';
import { loadRules } from '../../../../core/identify/rules/load-rules.js';
import { signaturesDir } from '../../../../core/paths.js';
import { rng } from '../../../../scripts/lib/xorshift.js';
import { alphabetOf, caseVariants, PatternGen, randomInputs, TRICKY } from './pattern-gen.js';

/** exec() as plain data: null, or the match with its index, captures and named groups. */
function run(re: RegExp, input: string): string {
  const m = re.exec(input);
  return m === null ? 'null' : JSON.stringify({ index: m.index, captures: [...m], groups: m.groups ?? null });
}

/** Runs `src` both ways on every input; returns the first disagreement, or null. */
function disagreement(src: string, flags: '' | 'i', inputs: readonly string[]): string | null {
  const reference = new RegExp(src, flags);
  const { regex, groups } = compileLinear(src, flags);
  const probe = new RegExp(`${src}|`, flags).exec('')!.length - 1;
  if (groups !== probe) return `/${src}/${flags}: ${groups} groups counted, ${probe} in the pattern`;
  for (const input of inputs) {
    const want = run(reference, input);
    const got = run(regex, input);
    if (want !== got || reference.test(input) !== regex.test(input))
      return `/${src}/${flags} on ${JSON.stringify(input)}: backtracking ${want}, linear ${got}`;
  }
  return null;
}

/** Every `matches:` pattern of the shipped policy packs. */
function policyPatterns(): string[] {
  const dir = join(signaturesDir(), 'policies');
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === 'matches' && typeof v === 'string') out.push(v);
        else walk(v);
      }
  };
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')))
    walk(parse(readFileSync(join(dir, name), 'utf8')));
  return out;
}

const HOSTILE = ['a', ' ', '0.', 'A-', 'sS', 'Kk', 'ſK'].map((f) => f.repeat(300).slice(0, 599));

describe('equivalence with the backtracking engine', () => {
  const rules = loadRules(undefined, { catalog: null })
    .rules()
    .filter((r) => r.pattern !== null);

  it('all shipped rule patterns, with their flags and with "i": same exec() on examples, case variants, tricky letters', () => {
    expect(rules.length).toBeGreaterThanOrEqual(500);
    const next = rng(0x11e);
    const failures: string[] = [];
    const refused = new Map<string, string>();
    let compared = 0;
    for (const rule of rules) {
      const src = rule.pattern!;
      const examples = rule.examples.map((e) => e.value);
      const inputs = [
        ...examples,
        ...examples.flatMap(caseVariants),
        ...randomInputs(next, alphabetOf(src), 12, 40),
        ...HOSTILE,
        '',
      ];
      for (const flags of new Set([rule.regex!.flags as '' | 'i', 'i' as const])) {
        try {
          const d = disagreement(src, flags, inputs);
          if (d) failures.push(`${rule.ref}: ${d}`);
          compared++;
        } catch (err) {
          if (!(err instanceof LinearPatternError)) throw err;
          refused.set(rule.ref, err.message);
        }
      }
    }
    expect(failures).toEqual([]);
    // The shipped patterns the linear engine cannot run are those with lookaheads, and only those.
    for (const [ref, message] of refused) expect(message, ref).toMatch(/^lookahead \(\?[=!] at \d+:/);
    const withLookaround = rules.filter((r) => /\(\?[=!]/.test(r.pattern!)).map((r) => r.ref);
    expect([...refused.keys()].sort()).toEqual(withLookaround.sort());
    expect(compared).toBeGreaterThan(800);
  });

  it('the policy packs\' patterns (always "i")', () => {
    const patterns = policyPatterns();
    expect(patterns.length).toBeGreaterThan(0);
    const next = rng(0x9ac);
    const failures: string[] = [];
    for (const src of patterns) {
      const seeds = [
        'China Telecom',
        'CHINANET-BACKBONE',
        'China Unicom China169 Backbone',
        'Pacific Networks Corp',
      ];
      const inputs = [
        ...seeds,
        ...seeds.flatMap(caseVariants),
        ...randomInputs(next, alphabetOf(src), 50, 40),
      ];
      const d = disagreement(src, 'i', inputs);
      if (d) failures.push(d);
    }
    expect(failures).toEqual([]);
  });

  it('3,000 generated patterns, with and without "i", on random inputs over their letters and the tricky ones', () => {
    const next = rng(0x5eed);
    const gen = new PatternGen(next);
    const failures: string[] = [];
    let valid = 0;
    let refused = 0;
    for (let k = 0; k < 3000; k++) {
      const src = gen.pattern();
      try {
        new RegExp(src, 'i');
      } catch {
        continue; // the generator may write invalid syntax (a range out of order, \k beside a named group)
      }
      valid++;
      const inputs = randomInputs(next, alphabetOf(src), 30, 16);
      for (const flags of ['', 'i'] as const) {
        try {
          const d = disagreement(src, flags, inputs);
          if (d) failures.push(d);
        } catch (err) {
          if (!(err instanceof LinearPatternError)) throw err;
          // Only two refusals are expected here: a count V8 would unroll past 16 copies (a {0,20}
          // inside a counted group), and an optional group that can match empty.
          expect(err.message, src).toMatch(/more than 16 copies|can match the empty string/);
          refused++;
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(valid).toBeGreaterThan(2500);
    expect(refused).toBeLessThan(valid / 2);
    expect(2 * valid - refused, 'patterns compared').toBeGreaterThan(4000);
  });

  it('hand-picked cases: folding, escapes, Annex B syntax, counts unrolled', () => {
    const cases: [string, '' | 'i', string[]][] = [
      ['^stra(ss|ß)e$', 'i', ['STRASSE', 'straße', 'STRAẞE', 'Straſſe']],
      ['kelvin', 'i', ['KELVIN', '\u212aelvin', 'kelvin']],
      ['[a-z]+', 'i', ['ſ\u212a', 'ABC', 'ı', 'İ']],
      ['[^a-z]', 'i', ['ſ', 'K', 'k', '\u212a', 'Z']],
      ['\\u00b5\\x4b', 'i', ['Μk', 'μK', 'µ\u212a']],
      ['[\\w-.]+', 'i', ['a-b.c', 'ſ']],
      ['\\c1\\cJ[\\c1\\c_]', '', ['\\c1\n\u0011', '\\c1\n\u001f']],
      ['\\c{2}x', '', ['\\ccx', '\u0003x']],
      ['\\012\\08[\\101\\8]', '', ['\n\u00008A', '\n\u000088']],
      ['[]a|[^]b', 'i', ['a', 'xB']],
      ['^.{0,80}?Version (\\S+)', 'i', [`${'x'.repeat(70)}version 1.2`, `${'y'.repeat(90)}Version 3`]],
      ['^(\\S.{0,63})$', '', ['a'.repeat(64), 'a'.repeat(65), ' a']],
      ['^(.{0,20}?)(\\d*)$', '', ['abc123', `${'x'.repeat(18)}12`]],
      ['^a{20,}$', 'i', ['a'.repeat(19), 'A'.repeat(20), 'a'.repeat(40)]],
      ['(a{17})(a{0,30}?)b', 'i', [`${'a'.repeat(50)}b`, `${'A'.repeat(17)}B`]],
      ['\\bſ\\b|\\B\u212a', 'i', ['ſ', 'a\u212a', 's', 'K']],
      // Captures of repeated groups are reset on each pass (ECMA-262 RepeatMatcher).
      ['(?:(a)|b)+', '', ['ab', 'ba', 'bab']],
      ['(z)((a+)?(b+)?(c))*', '', ['zaacbbbcac']],
      ['^(?:(x)|(y))*$', 'i', ['xY', 'YX', 'xyx']],
      ...TRICKY.map((c): [string, 'i', string[]] => [c, 'i', [...TRICKY, c.toUpperCase(), c.toLowerCase()]]),
    ];
    for (const [src, flags, inputs] of cases) expect(disagreement(src, flags, inputs), src).toBeNull();
  });
});

describe('compileLinear', () => {
  it('compiles with the linear engine: the flags hold "l", never "i"', () => {
    const { regex, groups } = compileLinear('^(?<v>\\w+)/(\\d+)', 'i');
    expect(regex.flags).toContain('l');
    expect(regex.flags).not.toContain('i');
    expect(groups).toBe(2);
  });

  it('stays linear where backtracking is polynomial or worse: 600 hostile characters in milliseconds', () => {
    for (const [src, flags] of [
      ['\\w*\\w*\\w*x', ''],
      ['.*a.*b.*c', 'i'],
      ['^(a|a)*$', ''],
      ['^(\\w+\\s?)*$', 'i'],
    ] as const) {
      const { regex } = compileLinear(src, flags);
      const t = performance.now();
      regex.test(`${'a'.repeat(600)}!`);
      regex.test(`${'ab '.repeat(200)}!`);
      expect(performance.now() - t, src).toBeLessThan(100);
    }
  });

  it('refuses what the linear engine cannot run, in one line naming it and where', () => {
    const refusal = (src: string, flags: '' | 'i' = '') => {
      try {
        compileLinear(src, flags);
      } catch (err) {
        expect(err).toBeInstanceOf(LinearPatternError);
        return (err as Error).message;
      }
      return null;
    };
    expect(refusal('^Cisco\\b(?!-Linksys)', 'i')).toMatch(/^lookahead \(\?! at 8: .*no lookarounds/);
    expect(refusal('(?<=a)b')).toMatch(/^lookbehind \(\?<= at 0/);
    expect(refusal('(a)\\1')).toMatch(/^backreference \\1 at 3/);
    expect(refusal('(?<n>a)\\k<n>')).toMatch(/^backreference \\k at 7/);
    expect(refusal('a{0,1001}')).toMatch(/count \{0,1001\} at 1 is over 1000/);
    expect(refusal('(\\d{1,3}\\.){6}')).toMatch(/more than 16 copies/);
    expect(refusal('(?:ab){17}')).toMatch(/more than 16 copies/);
    // An empty optional pass: ECMA-262 fails it, V8's linear engine takes it (captures differ).
    expect(refusal('(?:x*)?y')).toMatch(
      /^the group at 0 is optional or repeated and can match the empty string/,
    );
    expect(refusal('a(\\b|b)?', 'i')).toMatch(/^the group at 1 is optional/);
    expect(refusal('(a|)*')).toMatch(/^the group at 0 is optional/);
    for (const m of [refusal('(?=a)'), refusal('(a)\\1'), refusal('(?:ab){17}')]) expect(m).not.toMatch(/\n/);
  });

  it('unrolls long counts of one character and leaves the rest as written', () => {
    expect(linearSource('a.{0,40}b', false).source).toBe('a.{0,16}.{0,16}.{0,8}b');
    expect(linearSource('x{20,}?', false).source).toBe('x{16}x{4}x*?');
    expect(linearSource('[ab]{33}', false).source).toBe('[ab]{16}[ab]{16}[ab]{1}');
    expect(linearSource('(?:ab){3}\\d{2,16}', false).source).toBe('(?:ab){3}\\d{2,16}');
    expect(linearSource('Ab\\.', true).source).toBe('[Aa][Bb]\\u002e');
  });
});
