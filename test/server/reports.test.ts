// Regulator reports from the collector: a schedule per operator, produced by the scheduler under a
// controllable clock, signed with the collector's key, listed and downloaded by the regulator (JSON
// byte for byte, HTML in Japanese, CSV), verified by `originmap verify` and refused after a one-byte
// change; agent coverage from heartbeats; the delivery directory; the signing key on disk.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Summary } from '../../core/report/schema.js';
import { KEY_FILE, loadOrCreateSigningKey, PUB_FILE } from '../../server/reports/signing-key.js';
import { runCli } from '../helpers/run-cli.js';
import { auth, batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

const clock = new ManualClock('2025-01-10T00:00:00Z');
const delivery = mkdtempSync(join(tmpdir(), 'om-delivery-'));
const SCRIPT = '<script>alert(1)</script>';
let t: TestApp;
let a: Tenant;
let b: Tenant;

interface ReportInfo {
  id: number;
  operatorId: number;
  period: { label: string; start: string; end: string };
  keyId: string;
  sha256: string;
  deliveredAt: string | null;
  tables: string[];
}

const list = async (token: string) =>
  (await call<{ items: ReportInfo[] }>(t.app, { method: 'GET', url: '/v1/reports', token }, 200)).items;
const beat = (tn: Tenant, at: string) => {
  clock.set(at);
  return call(
    t.app,
    {
      method: 'POST',
      url: '/v1/heartbeat',
      token: tn.agentToken,
      payload: { version: '0.1.0', uptimeSeconds: 1 },
    },
    200,
  );
};
const seen = { firstSeen: '2025-01-15T00:00:00.000Z', lastSeen: '2025-01-15T06:00:00.000Z' };

beforeAll(async () => {
  t = await testApp({
    rateLimit: { burst: 1000, perSecond: 1000 },
    now: () => clock.now(),
    schedulerIntervalMs: 0,
    deliveryDir: delivery,
  });
  a = await makeTenant(t, 'Kansai Water Works', 'water');
  b = await makeTenant(t, 'Hokkaido Water', 'water');
  // Heartbeats: the 10th for two minutes, then silent until the 20th, then until the 31st at 14:00.
  for (const at of ['2025-01-10T00:00:00Z', '2025-01-10T00:01:00Z', '2025-01-10T00:02:00Z'])
    await beat(a, at);
  for (const at of ['2025-01-20T00:00:00Z', '2025-01-20T00:02:00Z', '2025-01-31T14:00:00Z'])
    await beat(a, at);
  clock.set('2025-01-16T00:00:00Z');
  await call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: a.agentToken,
      payload: batch(a.agentId, {
        devices: [
          device(
            '00:1b:1b:00:00:02',
            { 'snmp.sys_descr': 'Siemens SIMATIC S7-1500' },
            { ...seen, vlans: [10] },
          ),
          // A phone with a randomised MAC on the PLC's VLAN: its DHCP host name is hostile wire text.
          device('da:a1:19:00:00:01', {}, { ...seen, vlans: [10], ips: ['10.0.0.9'], hostnames: [SCRIPT] }),
        ],
        connections: [
          {
            device: 'mac:00:1b:1b:00:00:02',
            remoteIp: '198.51.100.50',
            direction: 'outbound',
            remotePort: 443,
            localPort: null,
            proto: 'tcp',
            country: 'SG',
            asn: 45102,
            asOrg: 'Alibaba (US) Technology Co., Ltd.',
            provider: 'Alibaba Cloud',
            providerKind: 'cloud',
            names: [`${SCRIPT}.example`],
            packets: 100,
            bytes: 50_000,
            ...seen,
          },
        ],
      }),
    },
    200,
  );
});
afterAll(async () => {
  await t.close();
  rmSync(delivery, { recursive: true, force: true });
});

describe('report schedule', () => {
  it('is monthly in UTC by default, and an admin sets cron, zone and language with every problem named', async () => {
    const url = `/v1/operators/${a.operatorId}/report-schedule`;
    expect(await call(t.app, { method: 'GET', url, token: t.admin }, 200)).toMatchObject({
      configured: false,
      cron: '@monthly',
      timeZone: 'UTC',
      lang: 'en',
      lastPeriodEnd: null,
      nextReportAt: '2025-02-01T00:00:00.000Z',
    });
    const bad = await call<{ code: string; details: string[] }>(
      t.app,
      { method: 'PUT', url, token: t.admin, payload: { cron: '0 0 31 2 *', timeZone: 'UTC' } },
      400,
    );
    expect(bad).toMatchObject({
      code: 'OM_ERR_REPORT_SCHEDULE_INVALID',
      details: [expect.stringMatching(/never fires/)],
    });
    await call(
      t.app,
      { method: 'PUT', url, token: t.admin, payload: { cron: '@monthly', timeZone: 'Mars/Olympus' } },
      400,
    );
    expect(
      await call(
        t.app,
        {
          method: 'PUT',
          url,
          token: t.admin,
          payload: { cron: '@monthly', timeZone: 'Asia/Tokyo', lang: 'ja' },
        },
        200,
      ),
    ).toMatchObject({
      configured: true,
      timeZone: 'Asia/Tokyo',
      lang: 'ja',
      nextReportAt: '2025-01-31T15:00:00.000Z',
    });
  });
});

describe('scheduled reports', () => {
  it('produces nothing before the period ends, then one signed report per operator and period', async () => {
    clock.set('2025-01-31T14:59:00Z');
    expect(
      (await t.app.services.scheduler.tick()).produced.filter((p) => p.operatorId === a.operatorId),
    ).toEqual([]);
    clock.set('2025-01-31T15:01:00Z');
    const r = await t.app.services.scheduler.tick();
    expect(r.produced.filter((p) => p.operatorId === a.operatorId).map((p) => p.label)).toEqual([
      '2025-01-10/2025-02-01',
    ]);
    expect(r.failed).toEqual([]);
    expect(
      (await t.app.services.scheduler.tick()).produced.filter((p) => p.operatorId === a.operatorId),
    ).toEqual([]);
    clock.set('2025-02-28T15:00:30Z');
    const feb = await t.app.services.scheduler.tick();
    expect(feb.produced.filter((p) => p.operatorId === a.operatorId).map((p) => p.label)).toEqual([
      '2025-02',
    ]);
  });

  it('lists reports by scope: the regulator its operators, the analyst its own, never another operator', async () => {
    const mine = await list(a.regulator);
    expect(mine.map((r) => [r.operatorId, r.period.label])).toEqual([
      [a.operatorId, '2025-02'],
      [a.operatorId, '2025-01-10/2025-02-01'],
    ]);
    expect((await list(a.analyst)).map((r) => r.id)).toEqual(mine.map((r) => r.id));
    expect((await list(b.regulator)).every((r) => r.operatorId === b.operatorId)).toBe(true);
    const id = mine[1]!.id;
    await call(t.app, { method: 'GET', url: `/v1/reports/${id}`, token: b.regulator }, 404);
    await call(t.app, { method: 'GET', url: `/v1/reports/${id}`, token: b.analyst }, 404);
    await call(t.app, { method: 'GET', url: '/v1/reports/999999', token: a.regulator }, 404);
    expect(mine[1]!.tables).toContain('agent-silences.csv');
  });

  it('gives the regulator the signed JSON byte for byte; verify accepts it and refuses a one-byte change', async () => {
    const [feb, jan] = await list(a.regulator);
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/reports/${jan!.id}`,
      headers: auth(a.regulator),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-originmap-sha256']).toBe(jan!.sha256);
    expect(res.rawPayload.equals(Buffer.from(t.app.services.reports.document(jan!.id)!, 'utf8'))).toBe(true);
    const keyRes = await t.app.inject({
      method: 'GET',
      url: '/v1/reports/signing-key',
      headers: auth(a.regulator),
    });
    expect(keyRes.statusCode).toBe(200);
    expect(keyRes.headers['x-originmap-key-id']).toBe(jan!.keyId);
    const dir = mkdtempSync(join(tmpdir(), 'om-regulator-'));
    try {
      const pub = join(dir, 'collector.pub');
      writeFileSync(pub, keyRes.rawPayload);
      const file = join(dir, 'report.json');
      writeFileSync(file, res.rawPayload);
      const ok = await runCli(['verify', file, '--key', pub]);
      expect(ok).toEqual({
        code: 0,
        out: `OK ${file}: Kansai Water Works, period 2025-01-10/2025-02-01, signed by ${jan!.keyId}\n`,
        err: '',
      });
      for (const at of [res.rawPayload.indexOf('"total":') + 8, res.rawPayload.indexOf('Kansai')]) {
        const changed = Buffer.from(res.rawPayload);
        changed[at] = changed[at] === 0x31 ? 0x32 : 0x31;
        writeFileSync(file, changed);
        const bad = await runCli(['verify', file, '--key', pub]);
        expect(bad.code).toBe(1);
        expect(bad.err).toMatch(
          /^originmap verify: FAILED .*report\.json: (signature does not match|the report is not valid JSON)/,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The February report compares itself with January's.
    const febDoc = JSON.parse(t.app.services.reports.document(feb!.id)!) as Summary;
    expect(febDoc.changes?.previousPeriod.label).toBe('2025-01-10/2025-02-01');
  });

  it('summarises the period: devices, foreign connections, findings and agent coverage from heartbeats', () => {
    const [, jan] = t.app.services.reports.list([a.operatorId], {}, 10).items;
    const s = JSON.parse(t.app.services.reports.document(jan!.id)!) as Summary;
    expect(s.operator).toEqual({
      id: String(a.operatorId),
      name: 'Kansai Water Works',
      sector: 'water',
      homeCountry: 'JP',
    });
    expect(s.period).toMatchObject({
      start: '2025-01-10T00:00:00.000Z',
      end: '2025-01-31T15:00:00.000Z',
      timeZone: 'Asia/Tokyo',
    });
    expect(s.policy.packs).toEqual(['jp-espa', 'ot-baseline']);
    expect(s.devices.total).toBe(2);
    expect(s.foreignConnections.byCountry).toEqual([
      { country: 'SG', connections: 1, devices: 1, bytes: 50_000 },
    ]);
    expect(s.findings.byRule.map((r) => r.rule)).toEqual([
      'jp-espa.foreign-vendor-critical-class',
      'jp-espa.ot-overseas-datacenter',
      'ot-baseline.ot-talks-to-internet',
      'ot-baseline.randomized-mac-on-ot-segment',
    ]);
    expect(s.coverage).toMatchObject({
      agentsTotal: 1,
      agentsReporting: 1,
      agents: [{ id: 'agent-1', site: 'plant-1', lastSeen: '2025-01-31T14:00:00.000Z', reporting: true }],
      silences: [
        { agent: 'agent-1', from: '2025-01-10T00:02:00.000Z', to: '2025-01-20T00:00:00.000Z', hours: 239 },
        { agent: 'agent-1', from: '2025-01-20T00:02:00.000Z', to: '2025-01-31T14:00:00.000Z', hours: 277 },
        { agent: 'agent-1', from: '2025-01-31T14:00:00.000Z', to: null, hours: 1 },
      ],
    });
    expect(s.coverage!.agents[0]!.uptime).toBeLessThan(0.001);
  });

  it('renders HTML in Japanese with wire text escaped and scripts forbidden, and each CSV table', async () => {
    const [, jan] = await list(a.regulator);
    const html = await t.app.inject({
      method: 'GET',
      url: `/v1/reports/${jan!.id}?format=html&lang=ja`,
      headers: auth(a.regulator),
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    );
    expect(html.body).toContain('<html lang="ja">');
    expect(html.body).toContain('規制当局向けサマリー');
    expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).not.toMatch(/<script/i);
    const csv = await call<string>(
      t.app,
      {
        method: 'GET',
        url: `/v1/reports/${jan!.id}?format=csv&table=open-findings.csv&lang=ja`,
        token: a.regulator,
      },
      200,
    );
    expect(csv.startsWith('\ufeffid,rule,severity,status,subject,message,first_seen\r\n')).toBe(true);
    const bad = await call<{ details: string[] }>(
      t.app,
      { method: 'GET', url: `/v1/reports/${jan!.id}?format=csv&table=passwd.csv`, token: a.regulator },
      400,
    );
    expect(bad.details[0]).toMatch(/^querystring\/table: one of agent-silences\.csv, agents\.csv/);
    await call(
      t.app,
      { method: 'GET', url: `/v1/reports/${jan!.id}?format=csv&table=../x`, token: a.regulator },
      400,
    );
    await call(t.app, { method: 'GET', url: `/v1/reports/${jan!.id}?lang=ja`, token: a.regulator }, 400);
  });

  it('writes each report to the delivery directory once, whole, the JSON identical to the record', async () => {
    const reports = await list(t.admin);
    const dirs = readdirSync(delivery).filter((d) => d.startsWith(`originmap-summary-${a.operatorId}-`));
    expect(dirs.sort()).toEqual([
      `originmap-summary-${a.operatorId}-2025-01-10_2025-02-01`,
      `originmap-summary-${a.operatorId}-2025-02`,
    ]);
    expect(readdirSync(delivery).some((d) => d.startsWith('.'))).toBe(false);
    const jan = reports.find(
      (r) => r.operatorId === a.operatorId && r.period.label === '2025-01-10/2025-02-01',
    )!;
    const base = `originmap-summary-${a.operatorId}-2025-01-10_2025-02-01`;
    expect(readFileSync(join(delivery, base, `${base}.json`), 'utf8')).toBe(
      t.app.services.reports.document(jan.id),
    );
    expect(readFileSync(join(delivery, base, `${base}.ja.html`), 'utf8')).toContain('規制当局向けサマリー');
    expect(readdirSync(join(delivery, base, 'csv'))).toContain('open-findings.csv');
    expect(jan.deliveredAt).not.toBeNull();
    expect((await t.app.services.scheduler.tick()).delivered).toEqual([]);
  });
});

describe('signing key', () => {
  it('is made at first start in the data directory (0600), reused after, and refused when others can read it', () => {
    const key = join(t.dir, KEY_FILE);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, PUB_FILE)).mode & 0o777).toBe(0o644);
    expect(loadOrCreateSigningKey(t.dir)).toMatchObject({
      created: false,
      key: { keyId: t.app.services.signingKey!.keyId },
    });
    const dir = mkdtempSync(join(tmpdir(), 'om-key-'));
    try {
      const made = loadOrCreateSigningKey(dir);
      expect(made.created).toBe(true);
      chmodSync(join(dir, KEY_FILE), 0o644);
      expect(() => loadOrCreateSigningKey(dir)).toThrow(/readable by others \(mode 644\); run chmod 600/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
