// originmap report and verify end to end: keys, files, previous periods, one-line failures.
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInventory } from '../../../scripts/lib/inventory-gen.js';
import { s7Plc } from '../../helpers/records.js';
import { runCli } from '../../helpers/run-cli.js';

describe('originmap report and verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-report-cli-'));
  const keys = join(dir, 'keys');
  const input = join(dir, 'analyze.json');
  writeFileSync(
    input,
    JSON.stringify(generateInventory({ seed: 5, devices: 20, start: '2025-03-01T00:00:00Z', days: 30 })),
  );

  it('keygen writes a 0600 private key and a public key, and never overwrites', async () => {
    const r = await runCli(['report', 'keygen', '--out', keys]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /originmap-report\.key \(private, mode 0600\) and .*originmap-report\.pub: key ed25519:[0-9a-f]{32}\n$/,
    );
    expect(statSync(join(keys, 'originmap-report.key')).mode & 0o777).toBe(0o600);
    const again = await runCli(['report', 'keygen', '--out', keys]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists; refusing to overwrite a signing key\n$/);
  });

  it('produces signed JSON, HTML and CSV that verify accepts; a second month compares with the first', async () => {
    const out = join(dir, 'out');
    const env = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1743465600';
    try {
      const r = await runCli([
        'report',
        input,
        '--operator',
        'Kansai Water Works',
        '--sector',
        'water',
        '--tz',
        'Asia/Tokyo',
        '--lang',
        'ja',
        '--key',
        join(keys, 'originmap-report.key'),
        '--out',
        out,
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        /originmap-summary-kansai-water-works-2025-03\.json: \d+ devices, \d+ watch-listed, \d+ foreign connections, \d+ open findings; signed by ed25519:/,
      );
    } finally {
      if (env === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = env;
    }
    const json = join(out, 'originmap-summary-kansai-water-works-2025-03.json');
    expect(readdirSync(out).sort()).toEqual([
      'csv',
      'originmap-summary-kansai-water-works-2025-03.ja.html',
      'originmap-summary-kansai-water-works-2025-03.json',
    ]);
    expect(readdirSync(join(out, 'csv'))).toContain('devices-by-class-country.csv');
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc).toMatchObject({
      schema: 'originmap.summary/1',
      generatedAt: '2025-04-01T00:00:00.000Z',
      coverage: null,
      operator: { homeCountry: 'JP', sector: 'water' },
    });
    expect(doc.findings.openAtEnd).toBeGreaterThan(0);
    const ok = await runCli(['verify', json, '--key', join(keys, 'originmap-report.pub')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^OK .*: Kansai Water Works, period 2025-03, signed by ed25519:/);

    const second = await runCli([
      'report',
      input,
      '--operator',
      'Kansai Water Works',
      '--period',
      '2025-04',
      '--tz',
      'Asia/Tokyo',
      '--previous',
      json,
      '--key',
      join(keys, 'originmap-report.key'),
      '--out',
      out,
    ]);
    expect(second.code).toBe(0);
    const april = JSON.parse(
      readFileSync(join(out, 'originmap-summary-kansai-water-works-2025-04.json'), 'utf8'),
    );
    expect(april.changes.previousPeriod.label).toBe('2025-03');
  });

  it('fails with one line on bad input, a readable private key, a wrong key or a changed file', async () => {
    const key = join(keys, 'originmap-report.key');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ devices: [{ ...s7Plc(), class: 'toaster' }], connections: [] }));
    const r1 = await runCli(['report', bad, '--operator', 'X', '--key', key, '--out', join(dir, 'o2')]);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(
      /^originmap report: .*bad\.json: not an analyze --json document: \/devices\/0\/class: /,
    );
    writeFileSync(bad, '{"devices": [');
    expect(
      (await runCli(['report', bad, '--operator', 'X', '--key', key, '--out', join(dir, 'o2')])).err,
    ).toMatch(/not JSON/);
    expect(
      (
        await runCli([
          'report',
          input,
          '--operator',
          'X',
          '--key',
          key,
          '--out',
          join(dir, 'o2'),
          '--policy',
          'jp-esp',
        ])
      ).err,
    ).toMatch(/unknown policy pack 'jp-esp' \(did you mean 'jp-espa'\?\)/);
    expect(
      (
        await runCli([
          'report',
          input,
          '--operator',
          'X',
          '--key',
          key,
          '--out',
          join(dir, 'o2'),
          '--period',
          '2025-13',
        ])
      ).err,
    ).toMatch(/--period is YYYY-MM/);
    expect((await runCli(['report', input, '--key', key, '--out', join(dir, 'o2')])).err).toMatch(
      /--operator is required/,
    );
    const loose = join(dir, 'loose.key');
    writeFileSync(loose, readFileSync(key));
    chmodSync(loose, 0o644);
    const r2 = await runCli(['report', input, '--operator', 'X', '--key', loose, '--out', join(dir, 'o2')]);
    expect(r2.err).toMatch(/readable by others \(mode 644\); run chmod 600/);
    expect(existsSync(join(dir, 'o2'))).toBe(false);

    const other = join(dir, 'other');
    await runCli(['report', 'keygen', '--out', other]);
    const json = join(dir, 'out', 'originmap-summary-kansai-water-works-2025-03.json');
    const wrong = await runCli(['verify', json, '--key', join(other, 'originmap-report.pub')]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(
      /^originmap verify: FAILED .*: the report was signed with key "ed25519:\w+", not with the given key ed25519:\w+\n$/,
    );
    expect((await runCli(['verify', json, '--key', key])).err).toMatch(/bad key .*this is a private key/);
    expect((await runCli(['verify', json])).err).toMatch(/--key <public-key.pem> is required/);
    expect(
      (await runCli(['verify', join(dir, 'none.json'), '--key', join(other, 'originmap-report.pub')])).err,
    ).toMatch(/cannot read summary .*none\.json: ENOENT/);
    // A key id carrying terminal escapes and a newline is quoted, and the error stays one line.
    const sly = JSON.parse(readFileSync(json, 'utf8'));
    sly.signature.keyId = 'ed25519:\u001b[2J\nFAKE OK';
    writeFileSync(join(dir, 'sly.json'), JSON.stringify(sly));
    const r3 = await runCli(['verify', join(dir, 'sly.json'), '--key', join(other, 'originmap-report.pub')]);
    expect(r3.code).toBe(1);
    expect(r3.err).not.toContain('\u001b');
    expect(r3.err.trimEnd().split('\n')).toHaveLength(1);
    const help = await runCli(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: originmap verify/);
  });
});
