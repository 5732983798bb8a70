// Policy `matches` patterns run on the linear-time engine: hostile device text cannot stall an
// evaluation, the case-insensitive meaning is kept, and what that engine cannot run stays on the
// backtracking engine behind the hazard check.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../core/policy/evaluate.js';
import { policyFromText } from '../../../core/policy/packs.js';
import { type Condition, PolicyError } from '../../../core/policy/types.js';
import { device } from '../../helpers/records.js';

function policy(pattern: string, field = 'model') {
  return policyFromText(
    `policy: t
title: Test rules
sources:
  s: test source
rules:
  - id: t.r
    subject: device
    severity: high
    title: t
    when: { ${field}: { matches: '${pattern}' } }
    message: m
    sources: s
`,
    't.yaml',
  );
}

/** The compiled pattern of the policy's one rule. */
function regexOf(p: ReturnType<typeof policy>): RegExp {
  const when = p.rules[0]!.when as Extract<Condition, { kind: 'test' }>;
  return when.value as RegExp;
}

describe('policy matches', () => {
  it('a polynomial pattern on hostile 4 KB device text finishes (minutes on the backtracking engine)', {
    timeout: 5000,
  }, () => {
    const p = policy('.*a.*b.*c.*d');
    expect(regexOf(p).flags).toContain('l');
    const hostile = 'abc'.repeat(1366).slice(0, 4096);
    const devices = [
      device({ id: 'mac:02:00:00:00:00:01', model: hostile }),
      device({ id: 'mac:02:00:00:00:00:02', model: `${hostile.slice(0, 4000)}d` }),
      device({ id: 'mac:02:00:00:00:00:03', hostnames: [hostile, hostile.toUpperCase()] }),
    ];
    const t = performance.now();
    const findings = evaluate(p, { devices, connections: [] });
    expect(performance.now() - t).toBeLessThan(1000);
    expect(findings.map((f) => f.subject.id)).toEqual(['mac:02:00:00:00:00:02']);
    const names = policy('.*a.*b.*c.*d', 'hostnames');
    expect(evaluate(names, { devices, connections: [] })).toEqual([]);
  });

  it('keeps the case-insensitive meaning, as ECMAScript folds case', () => {
    const p = policy('^acme kelvin-\\d+$');
    const hit = (model: string) =>
      evaluate(p, { devices: [device({ id: 'mac:02:00:00:00:00:01', model })], connections: [] }).length ===
      1;
    expect(hit('ACME Kelvin-7')).toBe(true);
    expect(hit('acme kelvin-7')).toBe(true);
    // Kelvin sign and long s fold to no ASCII letter without the u flag: no match, as with /…/i.
    expect(hit('acme \u212aelvin-7')).toBe(false);
    expect(hit('acme kelvin-x')).toBe(false);
    expect(/^acme kelvin-\d+$/i.test('acme \u212aelvin-7')).toBe(false);
  });

  it('runs a lookaround or an empty-pass group on backtracking behind the hazard check; refuses a backreference in one file:line', () => {
    const problems = (pattern: string) => {
      try {
        policy(pattern);
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyError);
        return (err as PolicyError).problems;
      }
      return [];
    };
    const look = regexOf(policy('^cam(?!era)'));
    expect(look.flags).toBe('i');
    expect([look.test('CAMEL'), look.test('camera')]).toEqual([true, false]);
    expect(regexOf(policy('(?:x*)?y')).flags).toBe('i');
    expect(problems('(x)\\1')[0]).toMatch(
      /^t\.yaml:10: pattern can take exponential time on hostile text: backreference \\1/,
    );
    expect(problems('(\\w|\\d)+$')[0]).toMatch(
      /^t\.yaml:10: pattern can take exponential time on hostile text/,
    );
  });
});
