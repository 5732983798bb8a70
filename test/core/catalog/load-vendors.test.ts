import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVendorCatalog, parseVendorCatalog } from '../../../core/catalog/load-vendors.js';
import { DataFileError } from '../../../core/catalog/yaml-source.js';
import { DEVICE_CLASSES } from '../../../core/inventory.js';
import { isCountryCode } from '../../../core/vocabulary/countries.js';

const HEAD = `watchlists:
  ndaa-889:
    title: NDAA 889
    source: Pub. L. 115-232 sec. 889
vendors:
`;

function problemsOf(text: string): string[] {
  try {
    parseVendorCatalog(text, 'v.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return [...(err as DataFileError).problems];
  }
  throw new Error('expected the catalog to be rejected');
}

describe('shipped vendors.yaml', () => {
  const catalog = loadVendorCatalog();

  it('loads with enough vendors, valid vocabulary and unique names', () => {
    const all = catalog.all();
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((v) => v.name.toLowerCase())).size).toBe(all.length);
    for (const v of all) {
      expect(isCountryCode(v.country), v.name).toBe(true);
      for (const c of v.classes) expect(DEVICE_CLASSES).toContain(c);
      expect(v.source.length, v.name).toBeGreaterThan(5);
    }
  });

  it('keeps registrant country and vendor country apart (DESIGN.md §3 example)', () => {
    const v = catalog.byRegistrant('Siemens Numerical Control Ltd., Nanjing');
    expect(v?.name).toBe('Siemens');
    expect(v?.country).toBe('DE');
  });

  it('lists the NDAA 889 vendors and DJI with cited memberships', () => {
    for (const name of ['Huawei', 'ZTE', 'Hytera', 'Hikvision', 'Dahua']) {
      const m = catalog.byName(name)?.watchlists.find((w) => w.list === 'ndaa-889');
      expect(m, name).toBeDefined();
      expect(m?.since).toBe('2018-08-13');
      expect(m?.source).toMatch(/115-232/);
    }
    const dji = catalog.byName('DJI')!;
    expect(dji.watchlists.map((w) => [w.list, w.since])).toEqual(
      expect.arrayContaining([
        ['commerce-entity-list', '2020-12-18'],
        ['fcc-covered-list', '2025-12-22'],
      ]),
    );
  });

  it('finds vendors by name case-insensitively and flags chipset makers', () => {
    expect(catalog.byName('tp-link')?.name).toBe('TP-Link');
    expect(catalog.byName('Espressif')?.chipset).toBe(true);
    expect(catalog.byName('Siemens')?.chipset).toBe(false);
    expect(catalog.byName('No Such Vendor')).toBeUndefined();
  });
});

describe('vendors.yaml validation', () => {
  it('reports every problem with its line before failing', () => {
    const text = `${HEAD}  - name: Good
    country: DE
    classes: [plc]
    aliases: [Good Automation]
    source: test
  - name: Bad
    country: XX
    classes: [plc, toaster]
    colour: red
    aliases: [Co Ltd, Good Automation, ab]
    watchlists:
      - { list: ndaa-889, since: 2018-13-01, source: x }
      - { list: nope, since: null, source: x }
      - { list: ndaa-889, since: null }
    source: test
  - name: good
    country: de
    classes: plc
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        "v.yaml:12: vendor 'Bad': country 'XX' is not an ISO 3166-1 alpha-2 code",
        expect.stringMatching(/^v\.yaml:13: vendor 'Bad': unknown device class 'toaster'/),
        expect.stringMatching(/^v\.yaml:14: vendor: unknown field 'colour'/),
        expect.stringMatching(/^v\.yaml:15: vendor 'Bad': alias 'Co Ltd' is only generic words/),
        "v.yaml:15: vendor 'Bad': alias 'Good Automation' is already an alias of 'Good'",
        expect.stringMatching(/^v\.yaml:15: vendor 'Bad': alias 'ab' is shorter than 3 letters/),
        "v.yaml:17: vendor 'Bad': since '2018-13-01' is not a date (YYYY-MM-DD)",
        expect.stringMatching(/^v\.yaml:18: vendor 'Bad': unknown watch list 'nope'/),
        "v.yaml:19: vendor 'Bad': watch-list membership: missing field 'source'",
        "v.yaml:21: vendor 'good' is already defined at line 6",
        "v.yaml:22: vendor 'good': country 'de' is not an ISO 3166-1 alpha-2 code",
        "v.yaml:23: vendor 'good': classes must be a list",
        "v.yaml:21: vendor: missing field 'source'",
      ]),
    );
    expect(problems).toHaveLength(13);
  });

  it('rejects YAML syntax errors, anchors and a wrong top level', () => {
    expect(problemsOf('vendors: [\n')[0]).toMatch(/^v\.yaml:\d+: /);
    expect(problemsOf('- a\n- b\n')).toEqual(['v.yaml:1: the file must be a mapping']);
    const anchored = `${HEAD}  - name: A
    country: &c DE
    classes: [plc]
    source: *c
`;
    expect(problemsOf(anchored)).toContain(
      "v.yaml:9: vendor 'A': source: YAML aliases are not allowed in data files",
    );
  });

  it('rejects a watch-list definition without a source and a bad list id', () => {
    const text = `watchlists:
  Bad_Id: { title: x, source: y }
  ok-list: { title: x }
vendors: []
`;
    expect(problemsOf(text)).toEqual([
      "v.yaml:2: watch list id 'Bad_Id' must be lower-case words joined by '-'",
      "v.yaml:3: watch list 'ok-list': missing field 'source'",
    ]);
  });

  it('refuses files above the size limit before reading them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-vendors-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
    expect(() => loadVendorCatalog(file)).toThrow(/above the \d+ limit/);
    expect(() => loadVendorCatalog(join(dir, 'missing.yaml'))).toThrow(/cannot read/);
  });
});
