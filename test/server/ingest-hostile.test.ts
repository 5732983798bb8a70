// Hostile uploads found by the collector's red-team pass: counts an agent can push past what SQLite
// stores, and the summaries that add them up. Each case failed (a 500) before its fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireConnection } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import { batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

const MAX = Number.MAX_SAFE_INTEGER;

let t: TestApp;
let a: Tenant;

function connection(mac: string, remoteIp: string, over: Partial<WireConnection> = {}): WireConnection {
  return {
    device: `mac:${mac}`,
    remoteIp,
    direction: 'outbound',
    remotePort: 443,
    localPort: null,
    proto: 'tcp',
    country: 'US',
    asn: 15169,
    asOrg: 'GOOGLE',
    provider: null,
    providerKind: null,
    names: [],
    packets: MAX,
    bytes: MAX,
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

const upload = (over: Parameters<typeof batch>[1]) =>
  call(
    t.app,
    { method: 'POST', url: '/v1/ingest', token: a.agentToken, payload: batch(a.agentId, over) },
    200,
  );

beforeAll(async () => {
  t = await testApp({ rateLimit: { burst: 1000, perSecond: 1000 } });
  a = await makeTenant(t, 'Hostile Counts Co');
});
afterAll(() => t.close());

describe('counters saturate at the largest safe integer', () => {
  it('is the limit the wire schema allows for one delta', () => {
    expect(WIRE_LIMITS.counter).toBe(MAX);
  });

  it('adds maximal deltas of one connection without a 500 (2^63 overflowed to a REAL before)', async () => {
    // 1,100 × (2^53 − 1) passes 2^63: SQLite turned the sum into a REAL the STRICT column refused.
    await upload({
      connections: Array.from({ length: 1_100 }, () => connection('02:00:00:00:01:01', '8.8.8.8')),
    });
    await upload({ connections: [connection('02:00:00:00:01:01', '8.8.8.8', { packets: 1, bytes: 1 })] });
    const row = t.app.services.db
      .prepare("SELECT packets, bytes, typeof(packets) AS kind FROM connections WHERE remote_ip = '8.8.8.8'")
      .get() as { packets: number; bytes: number; kind: string };
    expect(row).toEqual({ packets: MAX, bytes: MAX, kind: 'integer' });
  });

  it('adds maximal evidence counts across batches, within a batch and from raw observations', async () => {
    const mac = '02:00:00:00:01:02';
    const maximal = () => {
      const d = device(mac, { 'http.server': 'nginx' });
      d.observations[0]!.count = MAX;
      return d;
    };
    await upload({ devices: [maximal()] });
    // Stored and incoming added in JS (foldEvidence) and in SQL (the evidence upsert).
    for (let i = 0; i < 3; i++) await upload({ devices: [maximal()] });
    await upload({
      observations: Array.from({ length: 50 }, () => ({
        ts: Date.parse('2025-01-01T00:30:00Z'),
        source: 'passive' as const,
        key: 'http.server',
        value: 'nginx',
        mac,
      })),
    });
    const rows = t.app.services.db
      .prepare(
        "SELECT e.count, typeof(e.count) AS kind FROM evidence e JOIN devices d ON d.id = e.device_id WHERE d.mac = ? AND e.key = 'http.server'",
      )
      .all(mac);
    expect(rows).toEqual([{ count: MAX, kind: 'integer' }]);
  });

  it("keeps the analyst's and the regulator's summaries answering (sum() overflowed before)", async () => {
    const many = Array.from({ length: 1_100 }, (_, i) =>
      connection('02:00:00:00:01:03', `8.8.${i >> 8}.${i & 255}`, { packets: 1 }),
    );
    await upload({ connections: many });
    const summary = await call<{ topForeignDestinations: { country: string; bytes: number }[] }>(
      t.app,
      { method: 'GET', url: '/v1/summary', token: a.analyst },
      200,
    );
    expect(summary.topForeignDestinations.find((d) => d.country === 'US')?.bytes).toBe(MAX);
    const regulator = await call<{ items: unknown[] }>(
      t.app,
      { method: 'GET', url: '/v1/regulator/summaries', token: a.regulator },
      200,
    );
    expect(regulator.items).toHaveLength(1);
  });

  it('still adds small counts exactly', async () => {
    const mac = '02:00:00:00:01:04';
    await upload({ connections: [connection(mac, '9.9.9.9', { packets: 2, bytes: 40 })] });
    await upload({ connections: [connection(mac, '9.9.9.9', { packets: 3, bytes: 60 })] });
    expect(
      t.app.services.db.prepare("SELECT packets, bytes FROM connections WHERE remote_ip = '9.9.9.9'").get(),
    ).toEqual({ packets: 5, bytes: 100 });
  });
});

describe('observation times', () => {
  const at = (ts: number) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/ingest',
      headers: { authorization: `Bearer ${a.agentToken}` },
      payload: batch(a.agentId, {
        observations: [
          { ts, source: 'passive', key: 'http.server', value: 'nginx', mac: '02:00:00:00:01:09' },
        ],
      }),
    });

  it('refuses a time past year 9999, which would print as +275760-… and sort before 2025', async () => {
    const res = await at(8.64e15);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('/ts');
  });

  it('takes the last millisecond of year 9999', async () => {
    expect((await at(Date.parse('9999-12-31T23:59:59.999Z'))).statusCode).toBe(200);
  });
});
