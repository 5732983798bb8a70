// --unknown: values of rule-bearing keys no specific rule decided, as stubs that load once completed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRules } from '../../../core/identify/rules/load-rules.js';
import { escapePattern, formatUnknownRules, unknownValues } from '../../../core/identify/unknown.js';
import { obs } from './doubles.js';

const rules = loadRules();
const dir = mkdtempSync(join(tmpdir(), 'originmap-unknown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const devices = [
  {
    observations: [
      obs('http.server', 'Hikvision-Webs'), // known (specific rule)
      obs('http.server', 'GoAhead-Webs'), // only a generic rule: still unknown
      obs('http.server', 'Acme-Embedded/2.1 (x)'),
      obs('enip.vendor_id', 4242),
      obs('mac.ip', '10.0.0.1'), // no rule file for this key: never unknown
    ],
  },
  {
    observations: [
      obs('http.server', 'Acme-Embedded/2.1 (x)'),
      { ...obs('ssh.banner', "SSH-2.0-It's\tme"), count: 3 },
    ],
  },
];

describe('unknownValues', () => {
  it('lists values no specific rule matched, most widespread first', () => {
    const { values, omitted } = unknownValues(devices, rules);
    expect(omitted).toBe(0);
    expect(values).toEqual([
      { key: 'http.server', value: 'Acme-Embedded/2.1 (x)', devices: 2, count: 2 },
      { key: 'ssh.banner', value: "SSH-2.0-It's\tme", devices: 1, count: 3 },
      { key: 'enip.vendor_id', value: '4242', devices: 1, count: 1 },
      { key: 'http.server', value: 'GoAhead-Webs', devices: 1, count: 1 },
    ]);
    expect(unknownValues(devices, rules, { limit: 1 })).toMatchObject({ omitted: 3 });
  });
});

describe('formatUnknownRules', () => {
  it('prints stubs whose patterns match exactly their value and which load once completed', () => {
    const { values } = unknownValues(devices, rules);
    const text = formatUnknownRules(values);
    expect(text).toContain('# ---- signatures/rules/http.server.yaml');
    for (const key of ['http.server', 'ssh.banner', 'enip.vendor_id'] as const) {
      const section = text.split('# ---- ').find((s) => s.startsWith(`signatures/rules/${key}.yaml`))!;
      const stubs = parse(section.slice(section.indexOf('\n') + 1).replace(/^ {2}/gm, '')) as Record<
        string,
        unknown
      >[];
      for (const stub of stubs) {
        if (typeof stub.pattern === 'string')
          expect(
            new RegExp(stub.pattern).test(
              String(stub.examples && (stub.examples as { value: string }[])[0]!.value),
            ),
          ).toBe(true);
      }
      // Completed with a real vendor, the stubs form a valid rule file.
      const completed = section
        .slice(section.indexOf('\n') + 1)
        .replaceAll('"TODO"', '"Siemens"')
        .replaceAll('TODO: ', 'a vendor manual: ');
      const sub = mkdtempSync(join(dir, 'k-'));
      writeFileSync(join(sub, `${key}.yaml`), `rules:\n${completed}`);
      const loaded = loadRules(sub);
      expect(loaded.rules().length).toBe(stubs.length);
      for (const r of loaded.rules())
        for (const ex of r.examples) expect(loaded.hit(key, ex.value)?.rule.id).toBe(r.id);
    }
    expect(text).toMatch(/value: 4242/);
  });

  it('escapes every regex metacharacter and non-printable character', () => {
    const nasty = 'a.b*c+(d)[e]{f}|g^h$i\\j/k?l\u0007';
    expect(new RegExp(`^${escapePattern(nasty)}$`).test(nasty)).toBe(true);
    expect(new RegExp(`^${escapePattern(nasty)}$`).test(nasty.replace('.', 'X'))).toBe(false);
  });

  it('writes control, bidi and invisible characters of a wire value as escapes that load back', () => {
    // A hostile banner: C1 CSI (U+009B, "ESC [" to xterm), DEL, a right-to-left override, a
    // zero-width space; the example value quoted them raw, straight to the user's terminal.
    const value = 'x\u009b31mRED\u007f \u202eevil\u200b';
    const text = formatUnknownRules([{ key: 'http.server', value, devices: 1, count: 1 }]);
    expect(text).not.toMatch(/[\u007f-\u009f\u200b\u202e]/);
    const [stub] = parse(text.slice(text.indexOf('\n') + 1).replace(/^ {2}/gm, '')) as {
      pattern: string;
      examples: { value: string }[];
    }[];
    expect(stub!.examples[0]!.value).toBe(value);
    expect(new RegExp(stub!.pattern).test(value)).toBe(true);
  });

  it('is empty for no values and says how many were left out', () => {
    expect(formatUnknownRules([])).toBe('');
    expect(formatUnknownRules([], 4)).toMatch(/4 more unknown value/);
  });
});
