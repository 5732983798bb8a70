// Policy loader: every problem reported as file:line, vocabularies, bounded patterns, message fields.
import { describe, expect, it } from 'vitest';
import { policyFromText } from '../../../core/policy/packs.js';
import { PolicyError } from '../../../core/policy/types.js';

function problems(text: string): string[] {
  try {
    policyFromText(text, 'site.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return [...err.problems];
    throw err;
  }
  return [];
}

const HEAD = `policy: site
title: Site rules
sources:
  ops: Operator's own rule book, section 4
`;

describe('policy loader', () => {
  it('loads a valid rule with implicit and, shorthands and operators', () => {
    const policy = policyFromText(
      `${HEAD}rules:
  - id: site.cameras
    subject: device
    severity: low
    title: Cameras
    when:
      class: [camera, nvr]
      vendor: { matches: "^hik", ne: Dahua }
    message: "{vendor} camera at {ips}"
    sources: ops
`,
      'site.yaml',
    );
    expect(policy.rules).toHaveLength(1);
    const rule = policy.rules[0]!;
    expect(rule).toMatchObject({
      id: 'site.cameras',
      subject: 'device',
      severity: 'low',
      enabled: true,
      pack: 'site',
    });
    expect(rule.sources).toEqual(["Operator's own rule book, section 4"]);
    expect(rule.when.kind).toBe('all');
  });

  it('reports every problem with file:line, not only the first', () => {
    const found = problems(`${HEAD}rules:
  - id: Bad Id
    subject: host
    severity: severe
    title: x
    when:
      vendorcountry: DE
      class: toaster
      registrantCountry: de
      confidence: { gt: high }
      vendor: { near: x }
      watchlists: entity-list
    message: "{vendor} {nope"
    sources: [ops, nowhere]
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^site\.yaml:6: rule id 'Bad Id'/),
        expect.stringMatching(/^site\.yaml:7: subject is device or connection, not 'host'/),
        expect.stringMatching(/^site\.yaml:8: severity is one of .*/),
        expect.stringMatching(/^site\.yaml:17: message: '\{' at character 10/),
        expect.stringMatching(/^site\.yaml:18: unknown source 'nowhere'/),
      ]),
    );
    // The condition can only be checked once the subject is known; check it separately.
    const cond = problems(`${HEAD}rules:
  - id: site.x
    subject: device
    severity: high
    title: x
    when:
      vendorcountry: DE
      class: toaster
      registrantCountry: de
      confidence: { gt: high }
      vendor: { near: x }
      watchlists: entity-list
    message: "{vendor}"
    sources: [ops]
`);
    expect(cond).toEqual([
      "site.yaml:11: unknown device field 'vendorcountry' (did you mean 'vendorCountry'?)",
      expect.stringMatching(/^site\.yaml:12: 'toaster' is not a known class/),
      "site.yaml:13: 'de' is not an ISO 3166-1 alpha-2 country code (write it in upper case: DE)",
      "site.yaml:14: 'confidence' compares with a number",
      "site.yaml:15: unknown operator 'near' (did you mean 'ne'?)",
      expect.stringMatching(/^site\.yaml:16: 'entity-list' is not a known watch list/),
    ]);
  });

  it('rejects unknown keys, duplicate ids, missing sources and YAML syntax errors', () => {
    expect(problems(`${HEAD}colour: blue\nrules: []\n`)).toEqual([
      expect.stringMatching(/^site\.yaml:5: unknown key 'colour'/),
    ]);
    const dup = problems(`${HEAD}rules:
  - { id: a.b, subject: device, severity: low, title: t, when: { ot: true }, message: m, sources: ops }
  - { id: a.b, subject: device, severity: low, title: t, when: { ot: true }, message: m, sources: ops }
`);
    expect(dup).toEqual([
      "site.yaml:7: rule 'a.b' is already defined at site.yaml:6; change it under overrides:",
    ]);
    expect(
      problems(
        `${HEAD}rules:\n  - { id: a.c, subject: device, severity: low, title: t, when: { ot: true }, message: m }\n`,
      ),
    ).toEqual([expect.stringMatching(/^site\.yaml:6: sources .* must be non-empty text/)]);
    expect(problems(`${HEAD}rules: [\n`)[0]).toMatch(/^site\.yaml:\d+: YAML: /);
  });

  it('refuses aliases and anchors (no billion-laughs expansion)', () => {
    const found = problems(
      `${HEAD}x: &a [1, 2]\nrules:\n  - { id: a.b, subject: device, severity: low, title: t, when: { vlans: *a }, message: m, sources: ops }\n`,
    );
    expect(found.some((p) => /anchors \(&name\) are not supported/.test(p))).toBe(true);
    expect(found.some((p) => /aliases \(\*name\) are not supported/.test(p))).toBe(true);
  });

  it('checks operators against field types and values against vocabularies', () => {
    const rule = (when: string, subject = 'device') =>
      problems(
        `${HEAD}rules:\n  - id: a.b\n    subject: ${subject}\n    severity: low\n    title: t\n    when: ${when}\n    message: m\n    sources: ops\n`,
      );
    expect(rule('{ ot: { gt: 1 } }')).toEqual(["site.yaml:10: 'ot' (bool) takes eq, exists, not 'gt'"]);
    expect(rule('{ providerKind: cloud }')).toEqual([
      expect.stringMatching(/unknown device field 'providerKind'/),
    ]);
    expect(rule('{ providerKind: clod }', 'connection')).toEqual([
      expect.stringMatching(/'clod' is not a known providerKind \(did you mean 'cloud'\?\)/),
    ]);
    expect(rule('{ sector: power }')).toEqual([expect.stringMatching(/'power' is not a known sector/)]);
    expect(rule('{ device.class: plc, remotePort: { lt: 1024 } }', 'connection')).toEqual([]);
    expect(rule('{ all: [] }')).toEqual([expect.stringMatching(/all takes a non-empty list/)]);
    expect(rule('{ not: { ot: true }, exists: true }')).toEqual([
      expect.stringMatching(/unknown device field 'exists'/),
    ]);
  });

  it('bounds patterns: no empty match, no nested repetition, a length cap', () => {
    const rule = (pattern: string) =>
      problems(
        `${HEAD}rules:\n  - id: a.b\n    subject: device\n    severity: low\n    title: t\n    when: { model: { matches: '${pattern}' } }\n    message: m\n    sources: ops\n`,
      );
    expect(rule('^S7-1[25]00')).toEqual([]);
    expect(rule('(\\d{1,3}\\.){3}\\d{1,3}')).toEqual([]);
    expect(rule('.*')).toEqual([expect.stringMatching(/matches the empty string/)]);
    expect(rule('(a+)+$')).toEqual([
      expect.stringMatching(/exponential time on hostile text: nested repetition/),
    ]);
    // Bounded outside, unbounded inside: n^12 ways on n characters (2.7 s on 28), accepted before.
    expect(rule('^(a+){12}$')).toEqual([expect.stringMatching(/nested repetition/)]);
    expect(rule('x'.repeat(300))).toEqual([expect.stringMatching(/longer than 256/)]);
    expect(rule('(unclosed')).toEqual([expect.stringMatching(/bad regular expression/)]);
    // Exponential without nested repetition: 29 characters kept the collector's loop busy 28 s.
    expect(rule('^(\\w|\\d)+$')).toEqual([expect.stringMatching(/may start with the same character/)]);
    expect(rule('^(?:ab|cd)+$')).toEqual([]);
    expect(rule('((ab)*c)+')).toEqual([expect.stringMatching(/nested repetition/)]);
    expect(rule('(a|b)+[(+]')).toEqual([]);
    expect(rule('(\\(+)x')).toEqual([]);
  });

  it('validates message fields against the subject', () => {
    const msg = (m: string, subject = 'device') =>
      problems(
        `${HEAD}rules:\n  - id: a.b\n    subject: ${subject}\n    severity: low\n    title: t\n    when: { ot: true }\n    message: "${m}"\n    sources: ops\n`.replace(
          '{ ot: true }',
          subject === 'device' ? '{ ot: true }' : '{ foreign: true }',
        ),
      );
    expect(msg('{vendor} at {ips} {{literal}}')).toEqual([]);
    expect(msg('{remoteIp}')).toEqual(['site.yaml:11: message: unknown field {remoteIp}']);
    expect(msg('{device.vendor} to {remoteIp}', 'connection')).toEqual([]);
    expect(msg('stray } here')).toEqual([expect.stringMatching(/stray '\}'/)]);
  });
});
