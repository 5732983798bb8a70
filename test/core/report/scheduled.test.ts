// Acceptance: a scheduled report produced under a controllable clock; `originmap verify` accepts
// it and rejects it after a one-byte change.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { produceDue } from '../../../core/report/produce.js';
import { generateSigningKeys, loadPrivateKey } from '../../../core/report/signing.js';
import { runCli } from '../../helpers/run-cli.js';
import { sampleInput, TOKYO_MONTHLY } from './sample.js';

describe('scheduled regulator report', () => {
  const keys = generateSigningKeys();
  const dir = mkdtempSync(join(tmpdir(), 'om-scheduled-'));
  const pub = join(dir, 'report.pub');
  writeFileSync(pub, keys.publicPem);
  const gather = () => {
    const { operator, generatorVersion, policy, sites, agents, devices, connections, findings } =
      sampleInput();
    return { operator, generatorVersion, policy, sites, agents, devices, connections, findings };
  };

  it('produces nothing before the period ends and one signed report after, which verify accepts', async () => {
    const clock = new ManualClock('2025-01-31T14:59:00Z');
    const last = { end: new Date('2024-12-31T15:00:00Z'), summary: null };
    const key = loadPrivateKey(keys.privatePem);
    expect(produceDue(TOKYO_MONTHLY, last, clock, gather, key, { lang: 'ja' })).toEqual([]);
    clock.advance(60_000);
    const [report, ...rest] = produceDue(TOKYO_MONTHLY, last, clock, gather, key, { lang: 'ja' });
    expect(rest).toEqual([]);
    expect(report!.summary.period).toMatchObject({
      label: '2025-01',
      start: '2024-12-31T15:00:00.000Z',
      end: '2025-01-31T15:00:00.000Z',
    });
    expect(report!.summary.generatedAt).toBe('2025-01-31T15:00:00.000Z');
    const file = join(dir, `${report!.baseName}.json`);
    writeFileSync(file, report!.json);

    const ok = await runCli(['verify', file, '--key', pub]);
    expect(ok).toEqual({
      code: 0,
      out: `OK ${file}: Kansai Water Works, period 2025-01, signed by ${keys.keyId}\n`,
      err: '',
    });

    // One byte changed: a digit of a count, then a character of a name.
    const bytes = readFileSync(file);
    for (const at of [bytes.indexOf('"total":') + 8, bytes.indexOf('Kansai')]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at] === 0x31 ? 0x32 : 0x31;
      const bad = join(dir, `changed-${at}.json`);
      writeFileSync(bad, changed);
      const r = await runCli(['verify', bad, '--key', pub]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        /^originmap verify: FAILED .*changed-\d+\.json: (signature does not match|the report is not valid JSON)/,
      );
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('catches up on missed periods, each compared with the one before', () => {
    const clock = new ManualClock('2025-04-02T00:00:00Z');
    const reports = produceDue(
      TOKYO_MONTHLY,
      { end: new Date('2024-12-31T15:00:00Z'), summary: null },
      clock,
      gather,
      loadPrivateKey(keys.privatePem),
      { lang: 'en' },
    );
    expect(reports.map((r) => r.summary.period.label)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(reports[0]!.summary.changes).toBeNull();
    expect(reports[1]!.summary.changes?.previousPeriod.label).toBe('2025-01');
    expect(reports[2]!.summary.changes?.previousPeriod.label).toBe('2025-02');
  });
});
