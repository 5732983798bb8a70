// Every registered route (enumerated from the app, so a new route cannot be forgotten) refuses a
// request without a token, with a junk token and with every role it does not allow, and never
// shows tenant A's data to tenant B's token of an allowed role.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Role } from '../../server/auth/tokens.js';
import { auth, batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

interface Case {
  /** A request that succeeds for tenant A with an allowed role. */
  request(t: Tenant): InjectOptions;
  /** With tenant B's token of `role`: assert nothing of A came back. */
  otherTenant?(res: { statusCode: number; body: string }, role: Role): void;
}

let t: TestApp;
let a: Tenant;
let b: Tenant;
let aDevice: number;
let aFinding: number;
let aReport: number;
// Reports need a period that has ended: the test's time is set by hand.
const clock = new ManualClock('2025-01-15T00:00:00Z');
const tokens: Record<string, Record<Role, string>> = {};

const ALL_ROLES: Role[] = ['admin', 'analyst', 'regulator', 'agent', 'enroll', 'metrics'];

async function enrollmentToken(tn: Tenant): Promise<string> {
  const r = await call<{ token: string }>(
    t.app,
    { method: 'POST', url: `/v1/agents/${tn.agentId}/enrollment`, token: t.admin },
    201,
  );
  return r.token;
}

const noneOfA = (res: { statusCode: number; body: string }) => {
  expect(res.statusCode).toBe(200);
  expect(res.body).not.toContain('00:1b:1b:aa:aa:aa');
};

// Keyed "METHOD url" exactly as registered.
const CASES: Record<string, Case> = {
  'GET /metrics': { request: () => ({ method: 'GET', url: '/metrics' }) },
  'POST /v1/operators': {
    request: () => ({
      method: 'POST',
      url: '/v1/operators',
      payload: { name: `op-${Math.random()}`, sector: 'gas', country: 'JP' },
    }),
  },
  'GET /v1/operators': { request: () => ({ method: 'GET', url: '/v1/operators' }) },
  'GET /v1/operators/:operatorId': {
    request: (x) => ({ method: 'GET', url: `/v1/operators/${x.operatorId}` }),
  },
  'POST /v1/operators/:operatorId/sites': {
    request: (x) => ({
      method: 'POST',
      url: `/v1/operators/${x.operatorId}/sites`,
      payload: { name: `s-${Math.random()}` },
    }),
  },
  'GET /v1/sites': {
    request: () => ({ method: 'GET', url: '/v1/sites' }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(200);
      const sites = JSON.parse(res.body) as { operatorId: number }[];
      expect(sites.every((s) => s.operatorId === b.operatorId)).toBe(true);
    },
  },
  'POST /v1/sites/:siteId/agents': {
    request: (x) => ({
      method: 'POST',
      url: `/v1/sites/${x.siteId}/agents`,
      payload: { name: `ag-${Math.random()}` },
    }),
  },
  'GET /v1/agents': { request: () => ({ method: 'GET', url: '/v1/agents' }) },
  'GET /v1/agents/:agentId': { request: (x) => ({ method: 'GET', url: `/v1/agents/${x.agentId}` }) },
  'PUT /v1/agents/:agentId/settings': {
    request: (x) => ({
      method: 'PUT',
      url: `/v1/agents/${x.agentId}/settings`,
      payload: { uploadIntervalSeconds: 60, heartbeatIntervalSeconds: 30, maxBatchDevices: 500 },
    }),
  },
  'POST /v1/agents/:agentId/enrollment': {
    request: (x) => ({ method: 'POST', url: `/v1/agents/${x.agentId}/enrollment` }),
  },
  'POST /v1/tokens': { request: () => ({ method: 'POST', url: '/v1/tokens', payload: { role: 'metrics' } }) },
  'GET /v1/tokens': { request: () => ({ method: 'GET', url: '/v1/tokens' }) },
  'DELETE /v1/tokens/:tokenId': { request: () => ({ method: 'DELETE', url: '/v1/tokens/:fresh' }) },
  'POST /v1/enroll': {
    request: () => ({ method: 'POST', url: '/v1/enroll', payload: {} }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(201);
      expect((JSON.parse(res.body) as { agentId: number }).agentId).toBe(b.agentId);
    },
  },
  'POST /v1/ingest': {
    request: (x) => ({
      method: 'POST',
      url: '/v1/ingest',
      payload: batch(x.agentId, { devices: [device('00:1b:1b:aa:aa:ab')] }),
    }),
    otherTenant: (res) => {
      // B's agent cannot upload as A's agent: the agentId in the batch is A's.
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('OM_ERR_INGEST_AGENT_MISMATCH');
    },
  },
  'POST /v1/heartbeat': {
    request: () => ({
      method: 'POST',
      url: '/v1/heartbeat',
      payload: { version: '0.1.0', uptimeSeconds: 5 },
    }),
    otherTenant: (res) => expect(res.statusCode).toBe(200),
  },
  'GET /v1/agent/config': {
    request: () => ({ method: 'GET', url: '/v1/agent/config' }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(200);
      expect((JSON.parse(res.body) as { agentId: number }).agentId).toBe(b.agentId);
    },
  },
  'GET /v1/devices': { request: () => ({ method: 'GET', url: '/v1/devices' }), otherTenant: noneOfA },
  'GET /v1/devices/:deviceId': {
    request: () => ({ method: 'GET', url: `/v1/devices/${aDevice}` }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('00:1b:1b:aa:aa:aa');
    },
  },
  'GET /v1/connections': { request: () => ({ method: 'GET', url: '/v1/connections' }), otherTenant: noneOfA },
  'GET /v1/summary': {
    request: () => ({ method: 'GET', url: '/v1/summary' }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(200);
      expect((JSON.parse(res.body) as { operatorId: number }).operatorId).toBe(b.operatorId);
    },
  },
  'GET /v1/regulator/summaries': {
    request: () => ({ method: 'GET', url: '/v1/regulator/summaries' }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(200);
      const items = (JSON.parse(res.body) as { items: { operatorId: number }[] }).items;
      expect(items.map((i) => i.operatorId)).toEqual([b.operatorId]);
    },
  },
  'POST /v1/admin/reidentify': { request: () => ({ method: 'POST', url: '/v1/admin/reidentify' }) },
  'GET /v1/admin/reidentify': { request: () => ({ method: 'GET', url: '/v1/admin/reidentify' }) },
  'GET /v1/findings': { request: () => ({ method: 'GET', url: '/v1/findings' }), otherTenant: noneOfA },
  'GET /v1/findings/:findingId': {
    request: () => ({ method: 'GET', url: `/v1/findings/${aFinding}` }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('00:1b:1b:aa:aa:aa');
    },
  },
  'POST /v1/findings/:findingId/triage': {
    request: () => ({
      method: 'POST',
      url: `/v1/findings/${aFinding}/triage`,
      payload: { action: 'acknowledge', note: 'seen' },
    }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('00:1b:1b:aa:aa:aa');
    },
  },
  'GET /v1/operators/:operatorId/policy': {
    request: (x) => ({ method: 'GET', url: `/v1/operators/${x.operatorId}/policy` }),
  },
  'PUT /v1/operators/:operatorId/policy': {
    request: (x) => ({
      method: 'PUT',
      url: `/v1/operators/${x.operatorId}/policy`,
      payload: { packs: ['jp-espa', 'ot-baseline'] },
    }),
  },
  'POST /v1/admin/evaluate': { request: () => ({ method: 'POST', url: '/v1/admin/evaluate' }) },
  'GET /v1/admin/evaluate': { request: () => ({ method: 'GET', url: '/v1/admin/evaluate' }) },
  'GET /v1/operators/:operatorId/report-schedule': {
    request: (x) => ({ method: 'GET', url: `/v1/operators/${x.operatorId}/report-schedule` }),
  },
  'PUT /v1/operators/:operatorId/report-schedule': {
    request: (x) => ({
      method: 'PUT',
      url: `/v1/operators/${x.operatorId}/report-schedule`,
      payload: { cron: '@monthly', timeZone: 'Asia/Tokyo' },
    }),
  },
  'GET /v1/reports': {
    request: () => ({ method: 'GET', url: '/v1/reports' }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(200);
      const items = (JSON.parse(res.body) as { items: { operatorId: number }[] }).items;
      expect(items.every((i) => i.operatorId === b.operatorId)).toBe(true);
    },
  },
  'GET /v1/reports/signing-key': {
    request: () => ({ method: 'GET', url: '/v1/reports/signing-key' }),
    // One key for the collector: public, the same for every regulator.
    otherTenant: (res) => expect(res.statusCode).toBe(200),
  },
  'GET /v1/reports/:reportId': {
    request: () => ({ method: 'GET', url: `/v1/reports/${aReport}` }),
    otherTenant: (res) => {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Tenant A');
    },
  },
};

/** Swagger UI routes: their URLs with wildcards and params filled in. */
function docsRequest(method: string, url: string): InjectOptions {
  return {
    method: method as InjectOptions['method'],
    url: url.replace('*', 'index.html').replace(/:\w+/g, 'x'),
  };
}

beforeAll(async () => {
  t = await testApp({
    rateLimit: { burst: 1000, perSecond: 1000 },
    now: () => clock.now(),
    schedulerIntervalMs: 0,
  });
  a = await makeTenant(t, 'Tenant A');
  b = await makeTenant(t, 'Tenant B');
  const up = batch(a.agentId, {
    devices: [device('00:1b:1b:aa:aa:aa', { 'ssh.banner': 'SSH-2.0-HUAWEI' })],
    connections: [
      {
        device: 'mac:00:1b:1b:aa:aa:aa',
        remoteIp: '203.0.113.9',
        direction: 'outbound',
        remotePort: 443,
        localPort: null,
        proto: 'tcp',
        country: 'CN',
        asn: 4134,
        asOrg: 'CHINANET',
        provider: null,
        providerKind: null,
        names: ['a.example'],
        packets: 10,
        bytes: 1000,
        firstSeen: '2025-01-01T00:00:00.000Z',
        lastSeen: '2025-01-01T00:10:00.000Z',
      },
    ],
  });
  await call(t.app, { method: 'POST', url: '/v1/ingest', token: a.agentToken, payload: up }, 200);
  const list = await call<{ items: { id: number }[] }>(
    t.app,
    { method: 'GET', url: '/v1/devices', token: a.analyst },
    200,
  );
  aDevice = list.items[0]!.id;
  const found = await call<{ items: { id: number }[] }>(
    t.app,
    { method: 'GET', url: '/v1/findings', token: a.analyst },
    200,
  );
  aFinding = found.items[0]!.id;
  clock.set('2025-02-01T00:01:00Z');
  const tick = await t.app.services.scheduler.tick();
  aReport = tick.produced.find((r) => r.operatorId === a.operatorId)!.reportId;
  const metrics = await call<{ token: string }>(
    t.app,
    { method: 'POST', url: '/v1/tokens', token: t.admin, payload: { role: 'metrics' } },
    201,
  );
  for (const [name, tn] of [['A', a] as const, ['B', b] as const]) {
    tokens[name] = {
      admin: t.admin,
      analyst: tn.analyst,
      regulator: tn.regulator,
      agent: tn.agentToken,
      enroll: '',
      metrics: metrics.token,
    };
  }
});

afterAll(() => t.close());

describe('route matrix', () => {
  it('has a case for every registered route', () => {
    const missing = t.app.services.routes
      .filter((r) => r.method !== 'HEAD' && r.auth !== 'public' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !CASES[k]);
    expect(missing).toEqual([]);
    const publicRoutes = t.app.services.routes.filter((r) => r.auth === 'public').map((r) => r.url);
    expect([...new Set(publicRoutes)]).toEqual(['/healthz']);
  });

  it('every route refuses no token, a junk token and the roles it does not allow', async () => {
    let checked = 0;
    for (const route of t.app.services.routes) {
      if (route.auth === 'public') continue;
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;
      const base: InjectOptions = route.url.startsWith('/docs')
        ? docsRequest(route.method, route.url)
        : { ...CASES[key]!.request(a), method: route.method as InjectOptions['method'] };
      const noToken = await t.app.inject(base);
      expect(noToken.statusCode, `${key} without a token`).toBe(401);
      const junk = await t.app.inject({
        ...base,
        headers: auth('om_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      });
      expect(junk.statusCode, `${key} with an unknown token`).toBe(401);
      for (const role of ALL_ROLES) {
        if (route.auth.includes(role)) continue;
        const token = role === 'enroll' ? await enrollmentToken(a) : tokens.A![role];
        const res = await t.app.inject({ ...base, headers: auth(token) });
        expect(res.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403);
        if (route.method !== 'HEAD') expect(res.json().code).toBe('OM_ERR_AUTH_FORBIDDEN');
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('every route works for its own tenant and shows nothing of tenant A to tenant B', async () => {
    for (const route of t.app.services.routes) {
      if (route.auth === 'public' || route.method === 'HEAD' || route.url.startsWith('/docs')) continue;
      const key = `${route.method} ${route.url}`;
      const c = CASES[key]!;
      for (const role of route.auth as Role[]) {
        let req = c.request(a);
        if (req.url === '/v1/tokens/:fresh') {
          const fresh = await call<{ tokenId: number }>(
            t.app,
            { method: 'POST', url: '/v1/tokens', token: t.admin, payload: { role: 'metrics' } },
            201,
          );
          req = { ...req, url: `/v1/tokens/${fresh.tokenId}` };
        }
        const own = role === 'enroll' ? await enrollmentToken(a) : tokens.A![role];
        const ok = await t.app.inject({ ...req, headers: auth(own) });
        expect(ok.statusCode, `${key} as ${role} of A: ${ok.body.slice(0, 200)}`).toBeLessThan(300);
        if (['analyst', 'regulator', 'agent', 'enroll'].includes(role)) {
          expect(c.otherTenant, `${key} needs an otherTenant check`).toBeDefined();
          const other = role === 'enroll' ? await enrollmentToken(b) : tokens.B![role];
          const res = await t.app.inject({ ...c.request(a), headers: auth(other) });
          c.otherTenant!(res, role);
          if (role === 'enroll') tokens.B!.agent = (JSON.parse(res.body) as { token: string }).token;
        }
        if (role === 'enroll') {
          // Enrollment replaced the agents' tokens: pick up the new ones for the next routes.
          tokens.A!.agent = (JSON.parse(ok.body) as { token: string }).token;
        }
      }
    }
  });

  it('/healthz needs no token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});
