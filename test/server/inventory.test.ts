// Analyst listings: filters, keyset pages, sorts, CSV (escaped), one device in full, connections,
// summaries; the regulator sees aggregates of its sector only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

let t: TestApp;
let a: Tenant;

interface Page {
  items: {
    id: number;
    key: string;
    vendor: string | null;
    class: string | null;
    lastSeen: string;
    siteId: number;
  }[];
  page: { next: string | null; limit: number };
}

const mac = (i: number) =>
  `00:1b:1b:02:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

beforeAll(async () => {
  t = await testApp();
  a = await makeTenant(t, 'Listing Co');
  const devices = [];
  for (let i = 0; i < 30; i++) {
    const banner = i % 3 === 0 ? 'SSH-2.0-HUAWEI-1.5' : i % 3 === 1 ? 'Hikvision-Webs' : 'SIMATIC S7';
    const day = String(1 + (i % 28)).padStart(2, '0');
    devices.push(
      device(
        mac(i),
        { 'ssh.banner': banner, 'dhcp.hostname': `host-${i}` },
        { lastSeen: `2025-03-${day}T00:00:00.000Z` },
      ),
    );
  }
  // Hostile names as an agent would report them: a spreadsheet formula, separators and a line break.
  devices.push(device('02:00:00:00:00:01', {}, { hostnames: ['=HYPERLINK("http://evil")'] }));
  devices.push(device('00:1b:1b:09:09:09', {}, { hostnames: ['plain,"quoted"\nline'] }));
  await call(
    t.app,
    { method: 'POST', url: '/v1/ingest', token: a.agentToken, payload: batch(a.agentId, { devices }) },
    200,
  );
});
afterAll(() => t.close());

const get = <T = Page>(url: string, token = a.analyst) => call<T>(t.app, { method: 'GET', url, token }, 200);

describe('device listing', () => {
  it('walks every device exactly once with keyset pages', async () => {
    const seen: number[] = [];
    let url = '/v1/devices?limit=7';
    for (let pages = 0; pages < 20; pages++) {
      const p = await get(url);
      seen.push(...p.items.map((d) => d.id));
      if (!p.page.next) break;
      url = `/v1/devices?limit=7&cursor=${p.page.next}`;
    }
    expect(seen).toHaveLength(32);
    expect(new Set(seen).size).toBe(32);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
  });

  it('sorts by last-seen day descending across pages, then newest id first', async () => {
    const all: Page['items'] = [];
    let url = '/v1/devices?sort=-lastSeenDay&limit=5';
    for (;;) {
      const p = await get(url);
      all.push(...p.items);
      if (!p.page.next) break;
      url = `/v1/devices?sort=-lastSeenDay&limit=5&cursor=${p.page.next}`;
    }
    expect(all).toHaveLength(32);
    for (let i = 1; i < all.length; i++) {
      const [x, y] = [all[i - 1]!, all[i]!];
      const [dx, dy] = [x.lastSeen.slice(0, 10), y.lastSeen.slice(0, 10)];
      expect(dx > dy || (dx === dy && x.id > y.id)).toBe(true);
    }
  });

  it('filters by class, vendor, vendor country, watch list and randomized MAC', async () => {
    expect((await get('/v1/devices?class=camera')).items).toHaveLength(10);
    expect((await get('/v1/devices?vendor=Siemens')).items).toHaveLength(10);
    expect((await get('/v1/devices?vendorCountry=CN&limit=1000')).items).toHaveLength(20);
    expect((await get('/v1/devices?watchlisted=true')).items).toHaveLength(20);
    expect((await get('/v1/devices?watchlist=ndaa-889')).items).toHaveLength(20);
    expect((await get('/v1/devices?watchlisted=false')).items).toHaveLength(12);
    const random = await get('/v1/devices?randomized=true');
    expect(random.items.map((d) => d.key)).toEqual(['mac:02:00:00:00:00:01']);
    expect(
      (await get(`/v1/devices?siteId=${a.siteId}&class=plc&lastSeenAfter=2025-03-20`)).items.length,
    ).toBeGreaterThan(0);
  });

  it('searches names and banners as literal text', async () => {
    expect((await get('/v1/devices?q=HOST-1')).items.length).toBe(11); // host-1, host-10..19
    expect((await get('/v1/devices?q=%25')).items).toHaveLength(0); // "%" is not a wildcard
    expect((await get('/v1/devices?q=_')).items).toHaveLength(0);
  });

  it('refuses bad filters and forged cursors with a 400', async () => {
    for (const url of [
      '/v1/devices?class=toaster',
      '/v1/devices?limit=0',
      '/v1/devices?limit=5000',
      '/v1/devices?bogus=1',
      '/v1/devices?vendorCountry=cn',
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${a.analyst}` },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('OM_ERR_REQ_VALIDATION');
    }
    const forged = Buffer.from(JSON.stringify(['x', 'DROP TABLE'])).toString('base64url');
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/devices?cursor=${forged}`,
      headers: { authorization: `Bearer ${a.analyst}` },
    });
    expect(res.json().code).toBe('OM_ERR_REQ_BAD_CURSOR');
    const time = await t.app.inject({
      method: 'GET',
      url: '/v1/devices?lastSeenAfter=yesterday',
      headers: { authorization: `Bearer ${a.analyst}` },
    });
    expect(time.statusCode).toBe(400);
  });

  it('exports CSV with formula cells neutralised and separators quoted', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/devices?format=csv&limit=1',
      headers: { authorization: `Bearer ${a.analyst}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,key,siteId,mac,ips,hostnames,vendor,vendorCountry/);
    // Every device, not just one page (limit applies to JSON pages only).
    expect(res.body).toContain('mac:00:1b:1b:09:09:09');
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(res.body).toContain('"plain,""quoted""\nline"');
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('one device', () => {
  it('has its identity, the reasons for it, evidence, connections and history; 404 outside scope', async () => {
    const list = await get('/v1/devices?vendor=Huawei&limit=1');
    const id = list.items[0]!.id;
    const d = await get<{
      device: { vendor: string };
      reasons: { field: string; value: string; evidence: { key: string; value: string; rule: string }[] }[];
      observations: { key: string }[];
      connections: unknown[];
      history: unknown[];
    }>(`/v1/devices/${id}`);
    expect(d.device.vendor).toBe('Huawei');
    expect(d.reasons.map((r) => r.field).sort()).toEqual(['class', 'vendor']);
    expect(d.reasons[0]!.evidence[0]).toMatchObject({ key: 'ssh.banner', value: 'SSH-2.0-HUAWEI-1.5' });
    expect(d.observations.map((o) => o.key).sort()).toEqual(['dhcp.hostname', 'ssh.banner']);
    expect(d.connections).toEqual([]);
    expect(d.history).toEqual([]);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/v1/devices/999999',
      headers: { authorization: `Bearer ${a.analyst}` },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('OM_ERR_DEVICE_NOT_FOUND');
  });
});

describe('connections and summaries', () => {
  beforeAll(async () => {
    const conn = (m: string, ip: string, country: string, asn: number, providerKind: 'cloud' | null) => ({
      device: `mac:${m}`,
      remoteIp: ip,
      direction: 'outbound' as const,
      remotePort: 443,
      localPort: null,
      proto: 'tcp' as const,
      country,
      asn,
      asOrg: `AS${asn}`,
      provider: null,
      providerKind,
      names: [],
      packets: 1,
      bytes: 100,
      firstSeen: '2025-03-01T00:00:00.000Z',
      lastSeen: '2025-03-01T00:00:00.000Z',
    });
    const connections = [
      conn(mac(0), '198.51.100.1', 'CN', 4134, null),
      conn(mac(0), '198.51.100.2', 'CN', 4134, null),
      conn(mac(1), '198.51.100.3', 'US', 16509, 'cloud'),
      conn(mac(2), '198.51.100.4', 'JP', 2516, null),
    ];
    await call(
      t.app,
      { method: 'POST', url: '/v1/ingest', token: a.agentToken, payload: batch(a.agentId, { connections }) },
      200,
    );
  });

  it('filters connections by country, ASN, provider kind, foreign-ness and device', async () => {
    type CPage = { items: { remoteIp: string; deviceId: number }[]; page: { next: string | null } };
    expect((await get<CPage>('/v1/connections?country=CN')).items).toHaveLength(2);
    expect((await get<CPage>('/v1/connections?asn=16509')).items).toHaveLength(1);
    expect((await get<CPage>('/v1/connections?providerKind=cloud')).items.map((c) => c.remoteIp)).toEqual([
      '198.51.100.3',
    ]);
    expect((await get<CPage>('/v1/connections?foreign=true')).items).toHaveLength(3);
    expect((await get<CPage>('/v1/connections?foreign=false')).items).toHaveLength(1);
    const one = (await get<CPage>('/v1/connections?country=US')).items[0]!;
    expect((await get<CPage>(`/v1/connections?deviceId=${one.deviceId}`)).items).toHaveLength(1);
    const paged = await get<CPage>('/v1/connections?limit=3');
    expect(paged.page.next).not.toBeNull();
    expect((await get<CPage>(`/v1/connections?limit=3&cursor=${paged.page.next}`)).items).toHaveLength(1);
    const csv = await t.app.inject({
      method: 'GET',
      url: '/v1/connections?format=csv',
      headers: { authorization: `Bearer ${a.analyst}` },
    });
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(5);
  });

  it('summarises by class × vendor country with the top foreign destinations', async () => {
    const s = await get<{
      devices: number;
      watchlisted: number;
      randomizedMacs: number;
      unidentified: number;
      byClassCountry: { class: string | null; vendorCountry: string | null; devices: number }[];
      foreignConnections: number;
      topForeignDestinations: { country: string; asn: number; connections: number; devices: number }[];
    }>('/v1/summary');
    expect(s).toMatchObject({
      devices: 32,
      watchlisted: 20,
      randomizedMacs: 1,
      unidentified: 2,
      foreignConnections: 3,
    });
    expect(s.byClassCountry).toContainEqual({ class: 'camera', vendorCountry: 'CN', devices: 10 });
    expect(s.byClassCountry).toContainEqual({ class: null, vendorCountry: null, devices: 2 });
    expect(s.topForeignDestinations[0]).toMatchObject({
      country: 'CN',
      asn: 4134,
      connections: 2,
      devices: 1,
    });
  });

  it('gives a sector regulator the aggregates of every operator of its sector, and no others', async () => {
    const gas = await makeTenant(t, 'Gas Co', 'gas');
    const regulator = await call<{ token: string }>(
      t.app,
      {
        method: 'POST',
        url: '/v1/tokens',
        token: t.admin,
        payload: { role: 'regulator', sector: 'electricity' },
      },
      201,
    );
    const r = await get<{ items: { operator: string; devices: number }[] }>(
      '/v1/regulator/summaries',
      regulator.token,
    );
    expect(r.items.map((i) => i.operator)).toEqual(['Listing Co']);
    const own = await get<{ items: { operator: string }[] }>('/v1/regulator/summaries', gas.regulator);
    expect(own.items.map((i) => i.operator)).toEqual(['Gas Co']);
  });
});

describe('an analyst limited to one site', () => {
  it('sees that site only: listings, one device, summary, sites', async () => {
    const site2 = await call<{ id: number }>(
      t.app,
      {
        method: 'POST',
        url: `/v1/operators/${a.operatorId}/sites`,
        token: t.admin,
        payload: { name: 'plant-2' },
      },
      201,
    );
    const made = await call<{ agent: { id: number }; enrollment: { token: string } }>(
      t.app,
      { method: 'POST', url: `/v1/sites/${site2.id}/agents`, token: t.admin, payload: { name: 'agent-2' } },
      201,
    );
    const enrolled = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: '/v1/enroll', token: made.enrollment.token, payload: {} },
      201,
    );
    await call(
      t.app,
      {
        method: 'POST',
        url: '/v1/ingest',
        token: enrolled.token,
        payload: batch(made.agent.id, {
          devices: [device('00:1b:1b:08:00:01', { 'dhcp.hostname': 'site-2-only' })],
        }),
      },
      200,
    );
    const limited = await call<{ token: string }>(
      t.app,
      {
        method: 'POST',
        url: '/v1/tokens',
        token: t.admin,
        payload: { role: 'analyst', operatorId: a.operatorId, siteId: site2.id },
      },
      201,
    );
    const mine = await get('/v1/devices', limited.token);
    expect(mine.items.map((d) => d.key)).toEqual(['mac:00:1b:1b:08:00:01']);
    // Asking for the other site gives nothing, not the other site's devices.
    expect((await get(`/v1/devices?siteId=${a.siteId}`, limited.token)).items).toEqual([]);
    const other = (await get('/v1/devices?limit=1')).items[0]!;
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/devices/${other.id}`,
      headers: { authorization: `Bearer ${limited.token}` },
    });
    expect(res.statusCode).toBe(404);
    expect((await get<{ devices: number }>('/v1/summary', limited.token)).devices).toBe(1);
    expect((await get<{ id: number }[]>('/v1/sites', limited.token)).map((s) => s.id)).toEqual([site2.id]);
    // The operator-wide analyst sees both sites.
    expect((await get<{ devices: number }>('/v1/summary')).devices).toBe(33);
  });
});
