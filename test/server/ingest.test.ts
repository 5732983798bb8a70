// POST /v1/ingest: replays are no-ops, bad batches write nothing, gzip works and is capped,
// evidence merges across batches, raw observations and connections land on their devices.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireConnection } from '../../core/wire.js';
import { auth, batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

let t: TestApp;
let a: Tenant;

const count = (table: string) =>
  (t.app.services.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const snapshot = () => ['devices', 'evidence', 'connections', 'batches', 'identity_changes'].map(count);

function connection(mac: string, over: Partial<WireConnection> = {}): WireConnection {
  return {
    device: `mac:${mac}`,
    remoteIp: '203.0.113.7',
    direction: 'outbound',
    remotePort: 443,
    localPort: null,
    proto: 'tcp',
    country: 'US',
    asn: 16509,
    asOrg: 'AMAZON-02',
    provider: 'AWS',
    providerKind: 'cloud',
    names: ['api.example.com'],
    packets: 5,
    bytes: 500,
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: '2025-01-01T00:05:00.000Z',
    ...over,
  };
}

beforeAll(async () => {
  t = await testApp({ rateLimit: { burst: 1000, perSecond: 1000 }, limits: { ingestBytes: 256 * 1024 } });
  a = await makeTenant(t, 'Ingest Co');
});
afterAll(() => t.close());

const ingest = (payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { ...auth(a.agentToken), ...headers },
    payload: payload as object,
  });

describe('ingest', () => {
  it('accepts a batch once; a replay is acknowledged, flagged and writes nothing', async () => {
    const b = batch(a.agentId, {
      devices: [
        device('00:1b:1b:00:00:01', { 'ssh.banner': 'SSH-2.0-HUAWEI-1.5', 'dhcp.hostname': 'rtr-1' }),
      ],
      connections: [connection('00:1b:1b:00:00:01')],
    });
    const first = await ingest(b);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ duplicate: false, devices: 1, evidence: 2, connections: 1 });
    const before = snapshot();
    const evidenceCount = t.app.services.db.prepare('SELECT sum(count) AS n FROM evidence').get();
    const again = await ingest(b);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      duplicate: true,
      devices: 1,
      evidence: 2,
      connections: 1,
      batchId: b.batchId,
    });
    expect(snapshot()).toEqual(before);
    expect(t.app.services.db.prepare('SELECT sum(count) AS n FROM evidence').get()).toEqual(evidenceCount);
  });

  it('merges evidence across batches: counts add up, windows widen, identity follows the evidence', async () => {
    const mac = '00:1b:1b:00:00:02';
    await ingest(batch(a.agentId, { devices: [device(mac, { 'dhcp.hostname': 'cam-7' })] }));
    let list = await call<{ items: { id: number; vendor: string | null }[] }>(
      t.app,
      { method: 'GET', url: '/v1/devices?q=cam-7', token: a.analyst },
      200,
    );
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.vendor).toBeNull();
    const later = device(
      mac,
      { 'dhcp.hostname': 'cam-7', 'http.server': 'Hikvision-Webs' },
      { firstSeen: '2025-01-02T00:00:00.000Z', lastSeen: '2025-01-03T00:00:00.000Z', ips: ['10.0.0.9'] },
    );
    later.observations = later.observations.map((o) => ({
      ...o,
      firstSeen: '2025-01-02T00:00:00.000Z',
      lastSeen: '2025-01-03T00:00:00.000Z',
    }));
    await ingest(batch(a.agentId, { devices: [later] }));
    list = await call(t.app, { method: 'GET', url: '/v1/devices?q=cam-7', token: a.analyst }, 200);
    const id = list.items[0]!.id;
    const detail = await call<{
      device: { vendor: string; ips: string[]; firstSeen: string; lastSeen: string };
      observations: { key: string; count: number; firstSeen: string; lastSeen: string }[];
      reasons: { field: string; evidence: { key: string }[] }[];
      history: { cause: string; before: { vendor: unknown }; after: { vendor: unknown } }[];
    }>(t.app, { method: 'GET', url: `/v1/devices/${id}`, token: a.analyst }, 200);
    expect(detail.device.vendor).toBe('Hikvision');
    expect(detail.device.ips).toEqual(['10.0.0.5', '10.0.0.9']);
    expect(detail.device.firstSeen).toBe('2025-01-01T00:00:00.000Z');
    expect(detail.device.lastSeen).toBe('2025-01-03T00:00:00.000Z');
    const hostname = detail.observations.find((o) => o.key === 'dhcp.hostname')!;
    expect(hostname.count).toBe(2);
    expect(hostname).toMatchObject({
      firstSeen: '2025-01-01T00:00:00.000Z',
      lastSeen: '2025-01-03T00:00:00.000Z',
    });
    expect(detail.reasons.find((r) => r.field === 'vendor')!.evidence[0]!.key).toBe('http.server');
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      cause: 'ingest',
      before: { vendor: null },
      after: { vendor: 'Hikvision' },
    });
  });

  it('merges a batch of hundreds of devices, known and new mixed, as one device at a time would', async () => {
    // More devices than one lookup statement takes (LOOKUP_CHUNK, 100): known ones on both sides
    // of chunk boundaries, new ones between them.
    const mac = (i: number) =>
      `00:1b:2c:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    const before = count('evidence');
    const first = Array.from({ length: 250 }, (_, n) =>
      device(mac(2 * n), { 'dhcp.hostname': `h-${2 * n}`, 'ssh.banner': 'SSH-2.0-HUAWEI-1.5' }),
    );
    expect((await ingest(batch(a.agentId, { devices: first }))).json()).toMatchObject({
      devices: 250,
      evidence: 500,
    });
    const second = Array.from({ length: 300 }, (_, i) => device(mac(i), { 'dhcp.hostname': `g-${i}` }));
    expect((await ingest(batch(a.agentId, { devices: second }))).json()).toMatchObject({
      devices: 300,
      evidence: 300,
    });
    expect(count('evidence') - before).toBe(500 + 300);
    const rows = t.app.services.db
      .prepare("SELECT key, vendor, search FROM devices WHERE key LIKE 'mac:00:1b:2c:%'")
      .all() as { key: string; vendor: string | null; search: string }[];
    expect(rows).toHaveLength(400);
    for (const r of rows) {
      const i = Number.parseInt(r.key.slice(-5).replace(':', ''), 16);
      const known = i % 2 === 0;
      // Identity and search come from the stored evidence merged with the new.
      expect(r.vendor, r.key).toBe(known ? 'Huawei' : null);
      expect(r.search.includes(`h-${i}\n`), r.key).toBe(known);
      expect(r.search.includes(`g-${i}\n`), r.key).toBe(i < 300);
    }
  });

  it('folds raw observations into their devices (by MAC, else by IP)', async () => {
    const res = await ingest(
      batch(a.agentId, {
        observations: [
          {
            ts: Date.UTC(2025, 0, 5),
            source: 'passive',
            key: 'snmp.sys_descr',
            value: 'SIMATIC S7-1500',
            mac: '00:1b:1b:00:00:03',
          },
          {
            ts: Date.UTC(2025, 0, 6),
            source: 'passive',
            key: 'snmp.sys_descr',
            value: 'SIMATIC S7-1500',
            mac: '00:1b:1b:00:00:03',
          },
          {
            ts: Date.UTC(2025, 0, 6),
            source: 'active',
            key: 'http.server',
            value: 'lighttpd',
            ip: '192.0.2.44',
          },
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ devices: 2, observations: 3 });
    const plc = await call<{ items: { key: string; vendor: string; firstSeen: string; lastSeen: string }[] }>(
      t.app,
      { method: 'GET', url: '/v1/devices?vendor=Siemens', token: a.analyst },
      200,
    );
    expect(plc.items).toHaveLength(1);
    expect(plc.items[0]).toMatchObject({
      key: 'mac:00:1b:1b:00:00:03',
      firstSeen: '2025-01-05T00:00:00.000Z',
      lastSeen: '2025-01-06T00:00:00.000Z',
    });
    const byIp = await call<{ items: { key: string }[] }>(
      t.app,
      { method: 'GET', url: '/v1/devices?q=lighttpd', token: a.analyst },
      200,
    );
    expect(byIp.items.map((d) => d.key)).toEqual(['ip:192.0.2.44']);
  });

  it('adds connection deltas and makes the device a connection names when the batch did not describe it', async () => {
    const mac = '00:1b:1b:00:00:04';
    await ingest(batch(a.agentId, { connections: [connection(mac, { names: ['a.example'] })] }));
    await ingest(
      batch(a.agentId, {
        connections: [
          connection(mac, {
            names: ['b.example'],
            packets: 7,
            bytes: 700,
            lastSeen: '2025-01-01T00:09:00.000Z',
          }),
        ],
      }),
    );
    const page = await call<{
      items: { device: string; packets: number; bytes: number; names: string[]; lastSeen: string }[];
    }>(t.app, { method: 'GET', url: '/v1/connections?country=US', token: a.analyst }, 200);
    const c = page.items.find((x) => x.device === `mac:${mac}`)!;
    expect(c).toMatchObject({
      packets: 12,
      bytes: 1200,
      names: ['a.example', 'b.example'],
      lastSeen: '2025-01-01T00:09:00.000Z',
    });
  });

  it('skips and counts observation keys it does not know (a newer agent), keeps the rest', async () => {
    const d = device('00:1b:1b:00:00:05', { 'dhcp.hostname': 'x', 'future.thing': 'y' });
    const res = await ingest(batch(a.agentId, { devices: [d] }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ evidence: 1, skipped: { unknownKeys: 1, capped: 0 } });
  });
});

describe('bad batches write nothing', () => {
  const cases: [string, () => unknown, string][] = [
    ['an extra property', () => ({ ...batch(a.agentId), extra: 1 }), 'OM_ERR_REQ_VALIDATION'],
    ['a missing array', () => ({ ...batch(a.agentId), devices: undefined }), 'OM_ERR_REQ_VALIDATION'],
    [
      'a string too long',
      () => batch(a.agentId, { devices: [device('00:1b:1b:00:01:01', { 'ssh.banner': 'x'.repeat(5000) })] }),
      'OM_ERR_REQ_VALIDATION',
    ],
    [
      'a bad MAC',
      () => batch(a.agentId, { devices: [{ ...device('00:1b:1b:00:01:02'), mac: 'ZZ' }] }),
      'OM_ERR_REQ_VALIDATION',
    ],
    ['a number given as a string', () => ({ ...batch(a.agentId), seq: '5' }), 'OM_ERR_REQ_VALIDATION'],
    [
      'a bad device deep in an otherwise good batch',
      () =>
        batch(a.agentId, {
          devices: [
            device('00:1b:1b:00:01:03', { 'dhcp.hostname': 'good' }),
            device(
              '00:1b:1b:00:01:04',
              {},
              { firstSeen: '2025-02-01T00:00:00.000Z', lastSeen: '2025-01-01T00:00:00.000Z' },
            ),
          ],
        }),
      'OM_ERR_INGEST_INVALID',
    ],
    [
      'a device twice',
      () => batch(a.agentId, { devices: [device('00:1b:1b:00:01:05'), device('00:1b:1b:00:01:05')] }),
      'OM_ERR_INGEST_INVALID',
    ],
    [
      'an id that is not its MAC',
      () => batch(a.agentId, { devices: [{ ...device('00:1b:1b:00:01:06'), mac: '00:1b:1b:00:01:07' }] }),
      'OM_ERR_INGEST_INVALID',
    ],
    [
      'an impossible date',
      () =>
        batch(a.agentId, {
          devices: [device('00:1b:1b:00:01:08', {}, { firstSeen: '2025-13-45T00:00:00Z' })],
        }),
      'OM_ERR_INGEST_INVALID',
    ],
    [
      'a bad remote address',
      () => batch(a.agentId, { connections: [connection('00:1b:1b:00:01:09', { remoteIp: '300.1.1.1' })] }),
      'OM_ERR_INGEST_INVALID',
    ],
    [
      'an observation about nobody',
      () =>
        batch(a.agentId, { observations: [{ ts: 1, source: 'passive', key: 'dhcp.hostname', value: 'x' }] }),
      'OM_ERR_INGEST_INVALID',
    ],
    ['another agent', () => batch(a.agentId + 1000), 'OM_ERR_INGEST_AGENT_MISMATCH'],
  ];
  for (const [name, make, code] of cases) {
    it(`refuses ${name} with ${code}`, async () => {
      const before = snapshot();
      const res = await ingest(make());
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      const body = res.json();
      expect(body.code).toBe(code);
      expect(body.details.length).toBeGreaterThan(0);
      expect(snapshot()).toEqual(before);
    });
  }

  it('refuses JSON with __proto__ or constructor.prototype keys (prototype pollution)', async () => {
    const before = snapshot();
    const b = JSON.stringify(batch(a.agentId)).replace('{', '{"__proto__":{"polluted":1},');
    const res = await ingest(b, { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('OM_ERR_REQ_BAD_JSON');
    const c = JSON.stringify(batch(a.agentId)).replace('{', '{"constructor":{"prototype":{"polluted":1}},');
    expect((await ingest(c, { 'content-type': 'application/json' })).statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(snapshot()).toEqual(before);
  });

  it('refuses malformed JSON and other media types', async () => {
    const bad = await ingest('{"agentId":', { 'content-type': 'application/json' });
    expect(bad.json().code).toBe('OM_ERR_REQ_BAD_JSON');
    const xml = await ingest('<batch/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('OM_ERR_REQ_UNSUPPORTED_MEDIA');
  });
});

describe('gzip and size limits', () => {
  const gz = (value: unknown) => gzipSync(Buffer.from(JSON.stringify(value)));

  it('accepts a gzip body', async () => {
    const b = batch(a.agentId, { devices: [device('00:1b:1b:00:02:01', { 'dhcp.hostname': 'gz' })] });
    const res = await ingest(gz(b), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ devices: 1, duplicate: false });
  });

  it('refuses corrupt gzip and unknown encodings', async () => {
    const body = gz(batch(a.agentId));
    body[body.length - 6] = body[body.length - 6]! ^ 0xff; // break the CRC32 trailer
    const corrupt = await ingest(body.subarray(0, body.length - 3), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().code).toBe('OM_ERR_REQ_BAD_ENCODING');
    const br = await ingest(Buffer.from('x'), {
      'content-type': 'application/json',
      'content-encoding': 'br',
    });
    expect(br.statusCode).toBe(415);
    expect(br.json().code).toBe('OM_ERR_REQ_UNSUPPORTED_ENCODING');
  });

  it('stops a gzip bomb at the inflated cap (413), before inflating it all', async () => {
    const before = snapshot();
    // 64 MiB of zeros compresses to ~64 KiB; the test app caps ingest at 256 KiB inflated.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const started = performance.now();
    const res = await ingest(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('OM_ERR_REQ_BODY_TOO_LARGE');
    // Inflating all 64 MiB takes ~100 ms here; stopping at the cap takes a few.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a plain body over the limit with 413', async () => {
    const big = batch(a.agentId, {
      devices: Array.from({ length: 600 }, (_, i) =>
        device(
          `00:1b:1b:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
          {
            'ssh.banner': 'x'.repeat(400),
          },
        ),
      ),
    });
    const res = await ingest(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('OM_ERR_REQ_BODY_TOO_LARGE');
  });

  it('never inflates the body of an unauthenticated request', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/ingest',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gz(batch(a.agentId)),
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once an agent exceeds its bucket, and only for that agent', async () => {
    const rt = await testApp({ rateLimit: { burst: 3, perSecond: 0.01 } });
    try {
      const x = await makeTenant(rt, 'Rate A');
      const y = await makeTenant(rt, 'Rate B');
      const send = (tn: Tenant) =>
        rt.app.inject({
          method: 'POST',
          url: '/v1/ingest',
          headers: auth(tn.agentToken),
          payload: batch(tn.agentId),
        });
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await send(x)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const limited = await send(x);
      expect(limited.json().code).toBe('OM_ERR_REQ_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await send(y)).statusCode).toBe(200);
    } finally {
      await rt.close();
    }
  });
});
