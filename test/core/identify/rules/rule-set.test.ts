// Matching semantics: first specific rule in file order wins (exact or pattern), generic rules
// answer only when no specific rule matched, values are capped before matching.
import { describe, expect, it } from 'vitest';
import { RuleSet } from '../../../../core/identify/rules/rule-set.js';
import type { CompiledRule } from '../../../../core/identify/rules/rule-types.js';

function rule(index: number, over: Partial<CompiledRule>): CompiledRule {
  const id = `r${index}`;
  return {
    ref: `http.server:${id}`,
    id,
    key: 'http.server',
    index,
    pattern: null,
    regex: null,
    exact: null,
    description: 'test',
    params: { vendor: `V${index}` },
    certainty: 0.5,
    specific: true,
    source: 'unit test',
    examples: [],
    file: 'http.server.yaml',
    line: index + 2,
    ...over,
  };
}

const set = new RuleSet([
  rule(0, { regex: /^Linux/, pattern: '^Linux', specific: false, params: { os: 'Linux' } }),
  rule(1, { exact: 'boa/0.94.14rc21' }),
  rule(2, { regex: /^Boa\/([\d.]+\w*)/, pattern: 'x', params: { model: 1 } }),
  rule(3, { regex: /Hikvision/, pattern: 'x' }),
  rule(4, { exact: 'hikvision-webs', specific: false }),
  rule(5, { regex: /(x)?y/, pattern: 'x', params: { model: 1, vendor: 'Y' } }),
]);

describe('RuleSet.match', () => {
  it('takes the first specific rule in file order, exact and pattern alike', () => {
    expect(set.match('http.server', 'Boa/0.94.14rc21').map((c) => c.rule)).toEqual(['http.server:r1']);
    expect(set.match('http.server', 'Boa/0.94.13')).toMatchObject([{ field: 'model', value: '0.94.13' }]);
  });
  it('lets a generic rule answer only when no specific rule matched, even when it comes first', () => {
    expect(set.match('http.server', 'Linux Hikvision').map((c) => c.rule)).toEqual(['http.server:r3']);
    expect(set.match('http.server', 'Linux/2.6')).toMatchObject([{ field: 'os', specific: false }]);
    expect(set.match('http.server', 'HIKVISION-Webs')).toMatchObject([{ rule: 'http.server:r4' }]);
  });
  it('skips a field whose capture group did not take part', () => {
    expect(set.match('http.server', 'y')).toEqual([
      { field: 'vendor', value: 'Y', certainty: 0.5, rule: 'http.server:r5', specific: true },
    ]);
  });
  it('caps the value before matching and knows its keys', () => {
    expect(set.match('http.server', `${'a'.repeat(700)}Hikvision`)).toEqual([]);
    expect(set.match('ssh.banner', 'Linux')).toEqual([]);
    expect([...set.keys()]).toEqual(['http.server']);
  });
});
