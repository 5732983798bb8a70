// The loader's error reporting: a broken folder yields every problem as file:line, not the first one.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules, RuleLoadError } from '../../../../core/identify/rules/load-rules.js';
import { packageRoot } from '../../../../core/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'originmap-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catalog = {
  byName: (n: string) => (['Siemens', 'Moxa'].includes(n) ? ({ name: n } as never) : undefined),
};

function write(name: string, text: string): string {
  const sub = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(sub, name), text);
  return sub;
}

function problems(folder: string): string[] {
  try {
    loadRules(folder, { catalog });
  } catch (err) {
    expect(err).toBeInstanceOf(RuleLoadError);
    return (err as RuleLoadError).problems.map((p) => `${p.line}: ${p.message}`);
  }
  throw new Error('expected a RuleLoadError');
}

const BROKEN = `description: deliberately broken
rules:
  - id: good
    pattern: '^Siemens (\\S+)'
    description: fine
    params: { vendor: Siemens, model: 1 }
    certainty: 0.9
    source: a vendor manual, page 1
    examples:
      - value: Siemens S7
        expect: { vendor: Siemens, model: S7 }
  - id: Bad Id
    pattern: '(a+)+$'
    description: nested repetition
    params: { vendor: Acme, class: toaster, model: 2 }
    certainty: 1.5
    source: x
    examples: []
  - id: good
    value: 5
    pattern: 'x'
    description: both forms
    params: { vendor: Moxa }
    certainty: 0.5
    source: another manual
    examples:
      - value: 5
        expect: { vendor: Moxa, colour: red }
  - id: empty
    pattern: 'a*'
    description: matches nothing at all
    params: { vendor: Moxa }
    certainty: 0.5
    source: another manual
    weight: 3
    examples:
      - value: aaa
        expect: { vendor: Moxa }
  - id: unused-group
    pattern: '^Moxa (\\w+) (\\w+)'
    description: second group unused
    params: { vendor: Moxa, class: 1 }
    certainty: 0.5
    source: another manual
    examples:
      - value: Moxa a b
        expect: { vendor: Moxa }
`;

describe('loadRules error reporting', () => {
  it('reports every problem of a broken file with its line', () => {
    const got = problems(write('ssh.banner.yaml', BROKEN));
    expect(got).toEqual(
      expect.arrayContaining([
        '12: id must be lower-case letters, digits, ".", "_" or "-" (at most 80)',
        '16: certainty must be a number in (0, 1]',
        '17: source is required: where the banner or number came from',
        '18: at least one example is required',
        '15: vendor "Acme" is not a name in the vendor catalog',
        expect.stringMatching(/^15: class "toaster" is not a device class/),
        '15: params.model: capture group 2 does not exist (0 groups)',
        expect.stringMatching(/^13: nested repetition/),
        '19: a rule has exactly one of "pattern" (a regex) and "value" (an exact value)',
        expect.stringMatching(/^28: expect: unknown field "colour"/),
        '30: pattern matches the empty string',
        '35: unknown rule field "weight"',
        '40: capture group 2 is not used by any param',
        '42: params.class must be fixed text (catalog vocabulary)',
      ]),
    );
    expect(got.length).toBeGreaterThanOrEqual(14);
  });

  it('names files that are not observation keys and YAML syntax errors with their line', () => {
    const folder = write('ssh.banners.yaml', 'rules: []\n');
    writeFileSync(join(folder, 'ftp.banner.yaml'), 'rules:\n  - id: a\n    pattern: [unclosed\n');
    const all = (() => {
      try {
        loadRules(folder, { catalog });
      } catch (err) {
        return (err as RuleLoadError).message;
      }
      return '';
    })();
    expect(all).toMatch(/ssh\.banners\.yaml:1: "ssh\.banners" is not an observation key/);
    expect(all).toMatch(/ftp\.banner\.yaml:\d+: YAML: /);
  });

  it('reports a directory named like a rule file as one problem, and goes on with the others', () => {
    // It was an uncaught EISDIR from readFileSync: `analyze --rules` died with a stack trace.
    const folder = write('ssh.banner.yaml', 'rules: [oops\n');
    mkdirSync(join(folder, 'ftp.banner.yaml'));
    const message = (() => {
      try {
        loadRules(folder, { catalog });
      } catch (err) {
        return err instanceof RuleLoadError ? err.message : `not a RuleLoadError: ${String(err)}`;
      }
      return '';
    })();
    expect(message).toMatch(/ftp\.banner\.yaml:1: cannot read: EISDIR/);
    expect(message).toMatch(/ssh\.banner\.yaml:\d+: YAML: /);
  });

  it('refuses a folder without one rule file (a wrong --rules path ran with no identification)', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    writeFileSync(join(empty, 'README.md'), 'not rules\n');
    expect(problems(empty)).toEqual(['0: no rule files (*.yaml) in this folder']);
  });

  it('reports a duplicate id and a duplicate exact value', () => {
    const rule = (id: string) =>
      `  - id: ${id}\n    value: 42\n    description: d\n    params: { vendor: Moxa }\n    certainty: 0.5\n    source: a manual page\n    examples:\n      - value: 42\n        expect: { vendor: Moxa }\n`;
    const got = problems(write('enip.vendor_id.yaml', `rules:\n${rule('a')}${rule('a')}`));
    expect(got).toEqual([
      '11: duplicate rule id "a" (first at line 2)',
      '11: value "42" already matched by the rule at line 2',
    ]);
  });

  it('checks vendor names against the shipped catalog by default, and skips the check only when told', () => {
    const folder = write(
      'ssh.banner.yaml',
      `rules:\n  - id: a\n    pattern: '^Acme'\n    description: d\n    params: { vendor: Acme Widgets }\n    certainty: 0.5\n    source: a manual page\n    examples:\n      - { value: Acme, expect: { vendor: Acme Widgets } }\n`,
    );
    expect(() => loadRules(folder)).toThrow(
      /ssh\.banner\.yaml:5: vendor "Acme Widgets" is not a name in the vendor catalog/,
    );
    expect(loadRules(folder, { catalog: null }).rules()).toHaveLength(1);
  });

  it('loads a valid folder into a matcher', () => {
    const good = BROKEN.split('  - id: Bad Id')[0]!;
    const set = loadRules(write('ssh.banner.yaml', good), { catalog });
    expect(set.match('ssh.banner', 'Siemens S7-1500')).toEqual([
      { field: 'vendor', value: 'Siemens', certainty: 0.9, rule: 'ssh.banner:good', specific: true },
      { field: 'model', value: 'S7-1500', certainty: 0.9, rule: 'ssh.banner:good', specific: true },
    ]);
    expect(set.match('ssh.banner', 'OpenSSH')).toEqual([]);
    expect(set.match('ftp.banner', 'Siemens S7')).toEqual([]);
    expect([...set.keys()]).toEqual(['ssh.banner']);
  });

  it("runs a passed folder's patterns on the linear-time engine: a polynomial pattern stays fast on hostile text", () => {
    // The hazard check accepts \w*\w*\w*x: on the backtracking engine it took 65 s on 600 'a's.
    const rule = (pattern: string, flags: string) =>
      `  - id: r${flags || 'n'}\n    pattern: '${pattern}'\n    flags: '${flags}'\n    description: d\n    params: { vendor: Moxa }\n    certainty: 0.5\n    source: a manual page\n    examples:\n      - { value: Moxa x, expect: { vendor: Moxa } }\n`;
    const folder = write('ssh.banner.yaml', `rules:\n${rule('^\\w*\\w*\\w*x', '')}${rule('^moxa', 'i')}`);
    const set = loadRules(folder, { catalog });
    for (const r of set.rules()) expect(r.regex!.flags).toBe('l');
    const t = performance.now();
    expect(set.match('ssh.banner', `${'a'.repeat(599)}!`)).toEqual([]);
    expect(performance.now() - t).toBeLessThan(500);
    expect(set.match('ssh.banner', 'MOXA EDS')[0]).toMatchObject({ rule: 'ssh.banner:ri', value: 'Moxa' });
  });

  it('runs what the linear-time engine cannot (a lookaround) on backtracking, and keeps the shipped rules on backtracking', () => {
    const folder = write(
      'ssh.banner.yaml',
      `rules:\n  - id: a\n    pattern: '^Moxa(?! Inc)'\n    description: d\n    params: { vendor: Moxa }\n    certainty: 0.5\n    source: a manual page\n    examples:\n      - { value: Moxa, expect: { vendor: Moxa } }\n`,
    );
    const set = loadRules(folder, { catalog });
    expect(set.rules()[0]!.regex!.flags).toBe('');
    expect(set.match('ssh.banner', 'Moxa EDS')[0]).toMatchObject({ value: 'Moxa' });
    expect(set.match('ssh.banner', 'Moxa Inc')).toEqual([]);
    expect(
      loadRules()
        .rules()
        .every((r) => r.regex === null || !r.regex.flags.includes('l')),
    ).toBe(true);
  });

  it('loads a copy of the shipped rules folder passed with --rules, without a problem', () => {
    const copy = mkdtempSync(join(tmpdir(), 'om-rules-copy-'));
    try {
      cpSync(join(packageRoot(), 'signatures', 'rules'), copy, { recursive: true });
      const shipped = loadRules().rules();
      const copied = loadRules(copy).rules();
      expect(copied.map((r) => r.id)).toEqual(shipped.map((r) => r.id));
      // Most run on the linear-time engine; the 16 with lookaheads on backtracking, as shipped.
      const backtracking = copied.filter((r) => r.regex !== null && !r.regex.flags.includes('l'));
      expect(backtracking.length).toBe(16);
      expect(backtracking.every((r) => /\(\?[=!]/.test(r.regex!.source))).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
