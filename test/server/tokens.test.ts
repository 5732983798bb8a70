// Tokens: stored only as SHA-256 hashes, revocable, expiring; enrollment tokens work once; scopes
// are checked against the role; the env bootstrap token is refused unless strong.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/auth/tokens.js';
import { startServer } from '../../server/main.js';
import { FakeIdentifier } from './fake-identifier.js';
import { auth, call, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

let t: TestApp;
let a: Tenant;
beforeAll(async () => {
  t = await testApp();
  a = await makeTenant(t, 'Token Co');
});
afterAll(() => t.close());

describe('tokens', () => {
  it('keeps only hashes: no secret is anywhere in the database', async () => {
    const rows = t.app.services.db.prepare('SELECT * FROM tokens').all() as Record<string, unknown>[];
    const dump = JSON.stringify(rows);
    for (const secret of [t.admin, a.analyst, a.agentToken, a.regulator]) {
      expect(dump).not.toContain(secret.slice(3));
      expect(rows.some((r) => Buffer.compare(r.hash as Buffer, hashToken(secret)) === 0)).toBe(true);
    }
    const listed = await call<{ hint: string }[]>(
      t.app,
      { method: 'GET', url: '/v1/tokens', token: t.admin },
      200,
    );
    expect(JSON.stringify(listed)).not.toContain(a.analyst.slice(10));
    expect(listed.every((x) => x.hint.length === 9)).toBe(true);
  });

  it('stops working when revoked', async () => {
    const made = await call<{ tokenId: number; token: string }>(
      t.app,
      {
        method: 'POST',
        url: '/v1/tokens',
        token: t.admin,
        payload: { role: 'analyst', operatorId: a.operatorId },
      },
      201,
    );
    await call(t.app, { method: 'GET', url: '/v1/summary', token: made.token }, 200);
    await call(t.app, { method: 'DELETE', url: `/v1/tokens/${made.tokenId}`, token: t.admin }, 204);
    const res = await t.app.inject({ method: 'GET', url: '/v1/summary', headers: auth(made.token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('OM_ERR_AUTH_INVALID');
    await call(t.app, { method: 'DELETE', url: `/v1/tokens/${made.tokenId}`, token: t.admin }, 404);
  });

  it('stops working when expired', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const x = await testApp({ now: () => now });
    try {
      const made = await call<{ token: string; expiresAt: string }>(
        x.app,
        { method: 'POST', url: '/v1/tokens', token: x.admin, payload: { role: 'metrics', expiresInDays: 1 } },
        201,
      );
      expect(made.expiresAt).toBe('2025-01-02T00:00:00.000Z');
      await call(x.app, { method: 'GET', url: '/metrics', token: made.token }, 200);
      now = new Date('2025-01-02T00:00:01Z');
      expect(
        (await x.app.inject({ method: 'GET', url: '/metrics', headers: auth(made.token) })).statusCode,
      ).toBe(401);
    } finally {
      await x.close();
    }
  });

  it('enrollment tokens work once, and re-enrollment retires the old agent token', async () => {
    const created = await call<{ agent: { id: number }; enrollment: { token: string } }>(
      t.app,
      { method: 'POST', url: `/v1/sites/${a.siteId}/agents`, token: t.admin, payload: { name: 'once' } },
      201,
    );
    const first = await call<{ token: string; agentId: number }>(
      t.app,
      { method: 'POST', url: '/v1/enroll', token: created.enrollment.token, payload: {} },
      201,
    );
    expect(first.agentId).toBe(created.agent.id);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/v1/enroll',
      headers: auth(created.enrollment.token),
      payload: {},
    });
    expect(replay.statusCode).toBe(401);
    await call(t.app, { method: 'GET', url: '/v1/agent/config', token: first.token }, 200);
    const fresh = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: `/v1/agents/${created.agent.id}/enrollment`, token: t.admin },
      201,
    );
    const second = await call<{ token: string }>(
      t.app,
      { method: 'POST', url: '/v1/enroll', token: fresh.token, payload: {} },
      201,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/agent/config', headers: auth(first.token) })).statusCode,
    ).toBe(401);
    const config = await call<{ agentId: number; homeNet: string[] }>(
      t.app,
      { method: 'GET', url: '/v1/agent/config', token: second.token },
      200,
    );
    expect(config).toMatchObject({
      agentId: created.agent.id,
      homeNet: ['10.0.0.0/8'],
      uploadIntervalSeconds: 60,
    });
  });

  it('checks scopes against roles', async () => {
    const bad = [
      { role: 'analyst' },
      { role: 'admin', operatorId: a.operatorId },
      { role: 'regulator' },
      { role: 'regulator', operatorId: a.operatorId, sector: 'gas' },
      { role: 'analyst', operatorId: a.operatorId, sector: 'gas' },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/tokens', headers: auth(t.admin), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().code).toBe('OM_ERR_TENANT_INVALID');
    }
    const agentRole = await t.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: auth(t.admin),
      payload: { role: 'agent' },
    });
    expect(agentRole.statusCode).toBe(400);
    const otherSite = await t.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: auth(t.admin),
      payload: { role: 'analyst', operatorId: a.operatorId, siteId: 9999 },
    });
    expect(otherSite.statusCode).toBe(404);
  });

  it('refuses malformed Authorization headers without touching the database', async () => {
    for (const header of [
      'om_short',
      'Basic abc',
      'Bearer',
      `Bearer ${t.admin} extra`,
      `Bearer ${t.admin}\u0000`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/operators',
        headers: { authorization: header },
      });
      expect(res.statusCode, header).toBe(401);
    }
  });
});

describe('bootstrap admin token', () => {
  it('accepts a strong ORIGINMAP_ADMIN_TOKEN and refuses a weak one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-boot-'));
    const base = {
      db: join(dir, 'c.db'),
      identifier: new FakeIdentifier(),
      signaturesVersion: 's',
      host: '127.0.0.1',
      port: 0,
      handleSignals: false,
    };
    try {
      await expect(startServer({ ...base, adminToken: 'changeme' })).rejects.toThrow(
        /ORIGINMAP_ADMIN_TOKEN must be/,
      );
      const strong = `om_${'Ab3_'.repeat(11)}`;
      const server = await startServer({ ...base, adminToken: strong });
      const res = await fetch(`${server.url}/v1/operators`, { headers: auth(strong) });
      expect(res.status).toBe(200);
      await server.stop();
      // Starting again with the same token does not add a second row.
      const again = await startServer({ ...base, adminToken: strong });
      expect(again.app.services.tokens.list('admin')).toHaveLength(1);
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
