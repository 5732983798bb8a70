// The self-test of signatures/rules/ (STYLE.md, after Recog): every file loads against the schema and
// the vocabulary, every example is decided by its own rule (no earlier rule claims it first, no
// specific rule pre-empts a generic one) and yields exactly the fields it states.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../core/identify/rules/load-rules.js';
import { compilePattern } from '../../core/identify/rules/safe-pattern.js';

// The shipped vendor catalog is the vocabulary: a vendor name it lacks fails the load.
const set = loadRules();
const rules = set.rules();

describe('signatures/rules', () => {
  it('holds at least 400 rules, each with at least one example', () => {
    expect(rules.length).toBeGreaterThanOrEqual(400);
    expect(rules.filter((r) => r.examples.length === 0).map((r) => r.ref)).toEqual([]);
  });

  it('has no pattern matching the empty string and uses every capture group', () => {
    for (const rule of rules) {
      if (!rule.pattern) continue;
      const compiled = compilePattern(rule.pattern, rule.regex!.flags, 'backtracking');
      expect(compiled.ok, rule.ref).toBe(true);
      if (!compiled.ok) continue;
      expect(compiled.regex.test(''), rule.ref).toBe(false);
      const used = new Set(Object.values(rule.params).filter((p) => typeof p === 'number'));
      for (let g = 1; g <= compiled.groups; g++) expect(used.has(g), `${rule.ref} group ${g}`).toBe(true);
    }
  });

  it('stays fast on hostile 600-character values (no pattern backtracks badly)', () => {
    const fillers = ['a', ' ', '0.', 'A-', '\\w', '1,', 'x(', '.-_', 'SSH-2.0-'];
    const hostile = fillers.map((f) => `${f.repeat(Math.ceil(600 / f.length)).slice(0, 599)}!`);
    let worst = { ms: 0, ref: '' };
    for (const rule of rules) {
      if (!rule.regex) continue;
      const t = performance.now();
      for (const v of hostile) rule.regex.exec(v);
      const ms = performance.now() - t;
      if (ms > worst.ms) worst = { ms, ref: rule.ref };
    }
    // Generous for a loaded CI box: a catastrophic pattern takes seconds to minutes here.
    expect(worst.ms, worst.ref).toBeLessThan(250);
  });

  for (const key of set.keys()) {
    it(`${key}: every example is decided by its own rule and yields exactly its fields`, () => {
      const failures: string[] = [];
      for (const rule of set.rules(key)) {
        for (const ex of rule.examples) {
          const hit = set.hit(key, ex.value);
          const where = `${rule.file}:${ex.line}`;
          if (!hit) {
            failures.push(`${where}: "${ex.value}" matches no rule (expected ${rule.id})`);
            continue;
          }
          if (hit.rule !== rule) {
            failures.push(
              `${where}: "${ex.value}" is claimed first by ${hit.rule.id} (line ${hit.rule.line})`,
            );
            continue;
          }
          const got = Object.fromEntries(hit.claims.map((c) => [c.field, c.value]));
          if (
            JSON.stringify(got, Object.keys(got).sort()) !==
            JSON.stringify(ex.expect, Object.keys(ex.expect).sort())
          )
            failures.push(
              `${where}: "${ex.value}" yields ${JSON.stringify(got)}, expected ${JSON.stringify(ex.expect)}`,
            );
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
