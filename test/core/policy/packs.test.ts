// Policy packs: the shipped packs, combining specs, operator files that extend and override.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../core/policy/evaluate.js';
import { listPacks, loadPolicy, policyFromParts } from '../../../core/policy/packs.js';
import { PolicyError } from '../../../core/policy/types.js';
import { s7Plc } from '../../helpers/records.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof PolicyError) return [...err.problems];
    throw err;
  }
  return [];
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'om-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('policy packs', () => {
  it('ships the four packs, each valid, each rule citing a source', () => {
    expect(listPacks()).toEqual(['fcc-covered-list', 'jp-espa', 'ot-baseline', 'us-ndaa-889']);
    for (const pack of listPacks()) {
      const policy = loadPolicy(pack);
      expect(policy.rules.length).toBeGreaterThan(0);
      for (const rule of policy.rules) {
        expect(rule.id.startsWith(`${pack}.`)).toBe(true);
        expect(rule.sources.length).toBeGreaterThan(0);
        for (const s of rule.sources) expect(s.length).toBeGreaterThan(40);
      }
    }
    expect(loadPolicy('jp-espa').defaults.homeCountry).toBe('JP');
  });

  it('combines packs in order and names unknown packs with a suggestion', () => {
    const policy = loadPolicy('jp-espa, ot-baseline');
    expect(policy.sources).toEqual(['jp-espa', 'ot-baseline']);
    expect(problemsOf(() => loadPolicy('jp-espa,jp-esp'))).toEqual([
      "unknown policy pack 'jp-esp' (did you mean 'jp-espa'?); shipped packs: fcc-covered-list, jp-espa, ot-baseline, us-ndaa-889",
    ]);
    expect(problemsOf(() => loadPolicy(''))).toEqual([expect.stringMatching(/empty policy spec/)]);
  });

  it('lets an operator file extend packs, add rules and override shipped rules by id', () => {
    const d = dir({
      'site.yaml': `policy: acme
title: ACME plant rules
extends: [jp-espa]
defaults: { homeCountry: JP }
sources:
  acme: ACME security standard 2025, section 3.2
rules:
  - id: acme.siemens-plc
    subject: device
    severity: info
    title: Siemens PLCs are approved
    when: { vendor: Siemens, class: plc }
    message: "approved {model}"
    sources: acme
overrides:
  - id: jp-espa.foreign-vendor-critical-class
    severity: medium
    when: { vendorForeign: true, class: [plc], not: { vendor: Siemens } }
  - id: jp-espa.overseas-datacenter
    enabled: false
`,
    });
    const policy = loadPolicy(join(d, 'site.yaml'));
    const rule = policy.rules.find((r) => r.id === 'jp-espa.foreign-vendor-critical-class')!;
    expect(rule).toMatchObject({ severity: 'medium', pack: 'jp-espa', overriddenBy: 'acme' });
    expect(policy.rules.find((r) => r.id === 'jp-espa.overseas-datacenter')!.enabled).toBe(false);
    const findings = evaluate(policy, { devices: [s7Plc()], connections: [] });
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['acme.siemens-plc', 'info', 'approved IM151-8 PN/DP CPU (6ES7 151-8AB01-0AB0)'],
    ]);
  });

  it('builds an operator policy from packs and stored text; stored text may not extend files', () => {
    const text = `policy: acme\ntitle: t\noverrides:\n  - { id: jp-espa.overseas-datacenter, severity: low }\n`;
    const policy = policyFromParts({ packs: ['jp-espa', 'ot-baseline'], text, name: 'operator-policy.yaml' });
    expect(policy.sources).toEqual(['jp-espa', 'ot-baseline', 'acme']);
    expect(policy.rules.find((r) => r.id === 'jp-espa.overseas-datacenter')).toMatchObject({
      severity: 'low',
      overriddenBy: 'acme',
    });
    // A file next to nothing: the resolver must refuse before it ever reads the path.
    const secret = dir({ 'secret.yaml': 'policy: secret\ntitle: s\nrules: []\n' });
    const hostile = `policy: x\ntitle: t\nextends: [${join(secret, 'secret.yaml')}, ../../etc/passwd, jp-espa]\n`;
    const problems = problemsOf(() =>
      policyFromParts(
        { packs: ['nope/../x'], text: hostile, name: 'operator-policy.yaml' },
        { packsOnly: true },
      ),
    );
    expect(problems).toEqual([
      "packs/0: 'nope/../x' is not a pack name (packs are named, not paths)",
      expect.stringMatching(/^operator-policy\.yaml:3: extends '.*secret\.yaml': only shipped pack names/),
      expect.stringMatching(
        /^operator-policy\.yaml:3: extends '\.\.\/\.\.\/etc\/passwd': only shipped pack names/,
      ),
    ]);
  });

  it('reports override and extends problems across files with their lines', () => {
    const d = dir({
      'a.yaml': `policy: a
title: A
extends: [./b.yaml]
sources: { s: a source }
rules:
  - { id: jp-espa.foreign-vendor-critical-class, subject: device, severity: low, title: t, when: { ot: true }, message: m, sources: s }
overrides:
  - { id: b.missing, severity: low }
  - { id: b.rule, when: { remoteIp: 1.2.3.4 } }
`,
      'b.yaml': `policy: b
title: B
extends: [./a.yaml, jp-espa]
sources: { s: b source }
rules:
  - { id: b.rule, subject: device, severity: low, title: t, when: { ot: true }, message: m, sources: s }
`,
    });
    const found = problemsOf(() => loadPolicy(join(d, 'a.yaml')));
    expect(found).toEqual([
      expect.stringMatching(/b\.yaml:3: extends cycle: .*a\.yaml → .*b\.yaml → .*a\.yaml$/),
      expect.stringMatching(
        /a\.yaml:6: rule 'jp-espa\.foreign-vendor-critical-class' is already defined at .*jp-espa\.yaml:\d+; change it under overrides:/,
      ),
      expect.stringMatching(/a\.yaml:8: override of unknown rule 'b\.missing'$/),
      expect.stringMatching(/a\.yaml:9: unknown device field 'remoteIp'/),
    ]);
    expect(problemsOf(() => loadPolicy(join(d, 'none.yaml')))).toEqual([
      expect.stringMatching(/cannot read policy file .*none\.yaml: ENOENT/),
    ]);
  });

  it('refuses an endless device as a policy file at the size cap (it was read until memory ran out)', () => {
    if (!existsSync('/dev/zero')) return;
    expect(problemsOf(() => loadPolicy('/dev/zero'))).toEqual([
      expect.stringMatching(/\/dev\/zero: larger than \d+ bytes/),
    ]);
  });
});
