// Findings in the collector: evaluated on ingest (inbound remote access included), listed and
// filtered, exported; triaged with who and when; waivers that expire reopen (controllable clock);
// findings that stop matching resolve and reopen when seen again; a broken evaluation never refuses
// a batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { WireConnection } from '../../core/wire.js';
import { batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

const clock = new ManualClock('2025-01-02T00:00:00Z');
let t: TestApp;
let a: Tenant;
let b: Tenant;
let aiko: string;

const HUAWEI = '00:e0:fc:00:00:01';
const PLC = '00:1b:1b:00:00:02';

interface FindingRow {
  id: number;
  key: string;
  rule: string;
  subject: string;
  status: string;
  deviceId: number | null;
  message: string;
  facts: Record<string, unknown>;
}
interface Detail {
  finding: FindingRow & { waiver: { until: string; approver: string } | null };
  history: {
    seq: number;
    at: string;
    by: string;
    tokenId: number | null;
    from: string | null;
    to: string;
    note: string | null;
  }[];
  rule: { title: string; sources: string[] } | null;
}

function conn(mac: string, over: Partial<WireConnection>): WireConnection {
  return {
    device: `mac:${mac}`,
    remoteIp: '192.0.2.80',
    direction: 'outbound',
    remotePort: 443,
    localPort: null,
    proto: 'tcp',
    country: 'KR',
    asn: 4766,
    asOrg: 'Korea Telecom',
    provider: null,
    providerKind: null,
    names: [],
    packets: 10,
    bytes: 1000,
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: '2025-01-01T00:10:00.000Z',
    ...over,
  };
}

const findings = async (token: string, query = '') =>
  (await call<{ items: FindingRow[] }>(t.app, { method: 'GET', url: `/v1/findings${query}`, token }, 200))
    .items;
const triage = (id: number, payload: object, token = aiko, expected = 200) =>
  call<Detail>(t.app, { method: 'POST', url: `/v1/findings/${id}/triage`, token, payload }, expected);
const ingest = (tn: Tenant, devices: ReturnType<typeof device>[], connections: WireConnection[] = []) =>
  call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: tn.agentToken,
      payload: batch(tn.agentId, { devices, connections }),
    },
    200,
  );

beforeAll(async () => {
  t = await testApp({
    rateLimit: { burst: 1000, perSecond: 1000 },
    now: () => clock.now(),
    schedulerIntervalMs: 0,
  });
  a = await makeTenant(t, 'Kansai Power');
  b = await makeTenant(t, 'Other Power');
  aiko = (
    await call<{ token: string }>(
      t.app,
      {
        method: 'POST',
        url: '/v1/tokens',
        token: t.admin,
        payload: { role: 'analyst', operatorId: a.operatorId, label: 'aiko' },
      },
      201,
    )
  ).token;
  await ingest(
    a,
    [
      device(HUAWEI, { 'ssh.banner': 'SSH-2.0-HUAWEI-1.5' }),
      device(PLC, { 'snmp.sys_descr': 'Siemens SIMATIC S7-1500' }, { ips: ['10.0.0.6'] }),
    ],
    [
      conn(PLC, {}),
      conn(PLC, { direction: 'inbound', remotePort: null, localPort: 5900, bytes: 48_000 }),
      conn(PLC, { remoteIp: '198.51.100.20', country: 'CN', asn: 4134, asOrg: 'CHINANET', remotePort: 8883 }),
    ],
  );
});
afterAll(() => t.close());

describe('findings on ingest', () => {
  it('evaluates the default packs of a JP operator (jp-espa, ot-baseline) over each batch, inbound included', async () => {
    const got = await findings(a.analyst);
    expect(got.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual(
      [
        `jp-espa.foreign-vendor-critical-class mac:${HUAWEI}`,
        `jp-espa.foreign-vendor-critical-class mac:${PLC}`,
        `jp-espa.overseas-remote-access-inbound group:device.id=mac:${PLC},country=KR,proto=tcp,localPort=5900`,
        `ot-baseline.ot-talks-to-internet group:device.id=mac:${PLC},country=CN`,
        `ot-baseline.ot-talks-to-internet group:device.id=mac:${PLC},country=KR`,
        `ot-baseline.remote-access-into-ot-segment group:device.id=mac:${PLC},country=KR,proto=tcp,localPort=5900`,
      ].sort(),
    );
    expect(
      got.every((f) => f.status === 'open' && f.deviceId !== null && /^f-[0-9a-f]{24}$/.test(f.key)),
    ).toBe(true);
    const kr = got.find((f) => f.rule === 'ot-baseline.ot-talks-to-internet' && f.subject.endsWith('KR'))!;
    expect(kr.facts).toMatchObject({ connections: 2, 'device.vendor': 'Siemens' });
    expect(kr.message).toContain('(outbound, inbound; service ports 443, 5900;');
    // Nothing of A for B's analyst.
    expect(await findings(b.analyst)).toEqual([]);
  });

  it('filters by status, rule, severity, device and subject kind, pages with a cursor, and exports CSV', async () => {
    const all = await findings(a.analyst);
    expect(await findings(a.analyst, '?rule=jp-espa.foreign-vendor-critical-class')).toHaveLength(2);
    expect((await findings(a.analyst, '?subjectKind=device')).map((f) => f.rule)).toEqual([
      'jp-espa.foreign-vendor-critical-class',
      'jp-espa.foreign-vendor-critical-class',
    ]);
    const plcId = all.find((f) => f.subject === `mac:${PLC}`)!.deviceId!;
    expect(await findings(a.analyst, `?deviceId=${plcId}`)).toHaveLength(5);
    expect(await findings(a.analyst, '?severity=critical')).toEqual([]);
    const first = await call<{ items: FindingRow[]; page: { next: string } }>(
      t.app,
      { method: 'GET', url: '/v1/findings?limit=4', token: a.analyst },
      200,
    );
    const rest = await findings(a.analyst, `?limit=4&cursor=${first.page.next}`);
    expect([...first.items, ...rest].map((f) => f.id)).toEqual(all.map((f) => f.id));
    const csv = await call<string>(
      t.app,
      { method: 'GET', url: '/v1/findings?format=csv', token: a.analyst },
      200,
    );
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,key,siteId,deviceId,rule,severity,status,statusAt,subjectKind,subject,message,firstSeen,lastSeen,waiverUntil,waiverApprover,waiverReason',
    );
    expect(lines).toHaveLength(all.length + 1);
    await call(t.app, { method: 'GET', url: '/v1/findings?status=sleeping', token: a.analyst }, 400);
  });

  it('shows one finding with its history and the sources of its rule; another tenant gets 404', async () => {
    const f = (await findings(a.analyst, '?rule=jp-espa.overseas-remote-access-inbound'))[0]!;
    const d = await call<Detail>(
      t.app,
      { method: 'GET', url: `/v1/findings/${f.id}`, token: a.analyst },
      200,
    );
    expect(d.history).toEqual([
      {
        seq: 1,
        at: '2025-01-02T00:00:00.000Z',
        by: 'system',
        tokenId: null,
        from: null,
        to: 'open',
        note: 'rule matched',
      },
    ]);
    expect(d.rule?.sources.join(' ')).toContain('Act No. 43 of 2022');
    await call(t.app, { method: 'GET', url: `/v1/findings/${f.id}`, token: b.analyst }, 404);
    await triage(f.id, { action: 'acknowledge' }, b.analyst, 404);
  });
});

describe('triage', () => {
  it('moves open → acknowledged → resolved → open, recording who and when; refuses what the lifecycle does not allow', async () => {
    const f = (await findings(a.analyst, `?rule=jp-espa.foreign-vendor-critical-class`)).find(
      (x) => x.subject === `mac:${HUAWEI}`,
    )!;
    clock.set('2025-01-03T09:00:00Z');
    await triage(f.id, { action: 'acknowledge', note: 'vendor contacted' });
    clock.set('2025-01-04T09:00:00Z');
    const res = await call<{ code: string; details: string[] }>(
      t.app,
      { method: 'POST', url: `/v1/findings/${f.id}/triage`, token: aiko, payload: { action: 'acknowledge' } },
      409,
    );
    expect(res).toMatchObject({
      code: 'OM_ERR_FINDING_TRANSITION',
      details: ['cannot acknowledge a finding that is acknowledged'],
    });
    await triage(f.id, { action: 'resolve', note: 'replaced by a domestic router' }, a.analyst);
    const d = await triage(f.id, { action: 'reopen' });
    expect(d.finding.status).toBe('open');
    const tokenA = d.history[1]!.tokenId;
    expect(d.history.map((h) => [h.at, h.by, h.from, h.to, h.note])).toEqual([
      ['2025-01-02T00:00:00.000Z', 'system', null, 'open', 'rule matched'],
      ['2025-01-03T09:00:00.000Z', 'aiko', 'open', 'acknowledged', 'vendor contacted'],
      [
        '2025-01-04T09:00:00.000Z',
        expect.stringMatching(/^token #\d+$/),
        'acknowledged',
        'resolved',
        'replaced by a domestic router',
      ],
      ['2025-01-04T09:00:00.000Z', 'aiko', 'resolved', 'open', null],
    ]);
    expect(tokenA).toBeGreaterThan(0);
    expect(d.history[0]!.tokenId).toBeNull();
  });

  it('waives only with reason, approver and a future expiry within the limit; lists every problem', async () => {
    const f = (await findings(a.analyst, '?rule=ot-baseline.remote-access-into-ot-segment'))[0]!;
    const bad = await call<{ code: string; details: string[] }>(
      t.app,
      {
        method: 'POST',
        url: `/v1/findings/${f.id}/triage`,
        token: aiko,
        payload: { action: 'waive', note: 'x' },
      },
      400,
    );
    expect(bad.code).toBe('OM_ERR_FINDING_INVALID');
    expect(bad.details).toEqual([
      '/reason: a waiver needs a reason',
      '/approver: a waiver needs a approver',
      '/until: a waiver needs a expiry (until)',
      '/note: a waiver takes its reason, not a note',
    ]);
    const past = { action: 'waive', reason: 'r', approver: 'p', until: '2024-12-01T00:00:00Z' };
    expect(((await triage(f.id, past, aiko, 400)) as unknown as { details: string[] }).details).toEqual([
      'waiver expiry 2024-12-01T00:00:00Z is not in the future',
    ]);
    await triage(f.id, { ...past, until: '2027-01-01T00:00:00Z' }, aiko, 400);
    await triage(f.id, { action: 'resolve', reason: 'x' }, aiko, 400);
  });

  it('reopens a waived finding when its waiver expires (the system records it)', async () => {
    clock.set('2025-01-05T00:00:00Z');
    const f = (await findings(a.analyst, '?rule=ot-baseline.remote-access-into-ot-segment'))[0]!;
    const waived = await triage(f.id, {
      action: 'waive',
      reason: 'vendor VNC session for commissioning, supervised',
      approver: 'plant manager Sato',
      until: '2025-01-06T00:00:00Z',
    });
    expect(waived.finding).toMatchObject({
      status: 'waived',
      waiver: { until: '2025-01-06T00:00:00.000Z', approver: 'plant manager Sato' },
    });
    expect(await findings(a.analyst, '?status=waived')).toHaveLength(1);
    clock.set('2025-01-06T00:00:01Z');
    const d = await call<Detail>(
      t.app,
      { method: 'GET', url: `/v1/findings/${f.id}`, token: a.analyst },
      200,
    );
    expect(d.finding).toMatchObject({ status: 'open', waiver: null });
    expect(d.history.at(-1)).toMatchObject({
      at: '2025-01-06T00:00:01.000Z',
      by: 'system',
      from: 'waived',
      to: 'open',
      note: 'waiver expired 2025-01-06T00:00:00.000Z',
    });
    expect(await findings(a.analyst, '?status=waived')).toEqual([]);
  });
});

describe('re-evaluation on ingest', () => {
  it('reopens a resolved finding whose subject is seen again after it was resolved', async () => {
    clock.set('2025-01-07T00:00:00Z');
    const before = (await findings(a.analyst, '?rule=jp-espa.foreign-vendor-critical-class')).find(
      (f) => f.subject === `mac:${PLC}`,
    )!;
    await triage(before.id, { action: 'resolve', note: 'swapped' });
    clock.set('2025-01-08T00:00:00Z');
    // Seen again after it was resolved: reopened by the system.
    await ingest(a, [
      device(
        PLC,
        { 'snmp.sys_descr': 'Siemens SIMATIC S7-1500' },
        {
          ips: ['10.0.0.6'],
          firstSeen: '2025-01-07T12:00:00.000Z',
          lastSeen: '2025-01-07T13:00:00.000Z',
        },
      ),
    ]);
    const d = await call<Detail>(
      t.app,
      { method: 'GET', url: `/v1/findings/${before.id}`, token: a.analyst },
      200,
    );
    expect(d.finding.status).toBe('open');
    expect(d.history.at(-1)).toMatchObject({
      by: 'system',
      from: 'resolved',
      to: 'open',
      note: 'seen again 2025-01-07T13:00:00.000Z',
    });
  });
});

describe('a failing evaluation', () => {
  it('never refuses the batch: the data is kept and a full evaluation is queued', async () => {
    const evaluator = t.app.services.evaluator;
    const original = evaluator.devices.bind(evaluator);
    let broken = true;
    evaluator.devices = (...args) => {
      if (!broken) return original(...args);
      broken = false;
      throw new Error('simulated evaluation bug');
    };
    try {
      clock.set('2025-01-09T00:00:00Z');
      await ingest(a, [device('00:1b:1b:00:00:03', { 'snmp.sys_descr': 'SIMATIC S7-300' })]);
      const dev = await call<{ items: { key: string }[] }>(
        t.app,
        { method: 'GET', url: '/v1/devices?vendor=Siemens', token: a.analyst },
        200,
      );
      expect(dev.items.map((d) => d.key)).toContain('mac:00:1b:1b:00:00:03');
    } finally {
      evaluator.devices = original;
    }
    await t.app.services.evaluations.idle();
    const got = await findings(a.analyst, '?rule=jp-espa.foreign-vendor-critical-class');
    expect(got.map((f) => f.subject)).toContain('mac:00:1b:1b:00:00:03');
  });
});
