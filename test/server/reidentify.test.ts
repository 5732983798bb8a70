// New signatures re-label stored devices (DESIGN.md §1): at start when the signatures version
// changed, and on the admin route; every change of a decided field lands in the history.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { FakeIdentifier } from './fake-identifier.js';
import { batch, call, device, makeTenant, testApp } from './helpers.js';

describe('re-identification', () => {
  it('re-decides stored devices at start when the signatures changed, and records the changes', async () => {
    const t = await testApp();
    const a = await makeTenant(t, 'Reid Co');
    const devices = Array.from({ length: 1200 }, (_, i) =>
      device(
        `00:1b:1b:03:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
        {
          'http.server': i % 2 ? 'AcmeCam httpd' : 'nginx',
        },
      ),
    );
    await call(
      t.app,
      { method: 'POST', url: '/v1/ingest', token: a.agentToken, payload: batch(a.agentId, { devices }) },
      200,
    );
    await t.app.close();

    // "New signatures": an identifier that knows AcmeCam, under a new version.
    const newer = new FakeIdentifier([
      { test: /acmecam/i, vendor: 'Acme', country: 'KR', watchlists: [], class: 'camera' },
    ]);
    const app = await buildApp({
      db: join(t.dir, 'collector.db'),
      identifier: newer,
      signaturesVersion: 'sig-2',
    });
    await app.ready();
    const done = await app.services.reidentifier.start();
    expect(done).toMatchObject({ running: false, signatures: 'sig-2', scanned: 1200, changed: 600 });
    const token = app.services.tokens.issue(
      { role: 'analyst', operatorId: a.operatorId },
      new Date().toISOString(),
    ).token;
    const acme = await call<{ items: { id: number }[] }>(
      app,
      { method: 'GET', url: '/v1/devices?vendor=Acme&limit=1000', token },
      200,
    );
    expect(acme.items).toHaveLength(600);
    const detail = await call<{
      history: { cause: string; signatures: string; before: object; after: object }[];
    }>(app, { method: 'GET', url: `/v1/devices/${acme.items[0]!.id}`, token }, 200);
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      cause: 'reidentify',
      signatures: 'sig-2',
      before: { vendor: null, class: null },
      after: { vendor: 'Acme', vendorCountry: 'KR', class: 'camera' },
    });
    await app.close();

    // Same signatures again: nothing to do at start.
    const again = await buildApp({
      db: join(t.dir, 'collector.db'),
      identifier: newer,
      signaturesVersion: 'sig-2',
    });
    await again.ready();
    expect(again.services.reidentifier.needed()).toBe(false);
    await again.close();
    await t.close();
  });

  it('runs from the admin route and reports progress', async () => {
    const t = await testApp();
    const a = await makeTenant(t, 'Route Co');
    await call(
      t.app,
      {
        method: 'POST',
        url: '/v1/ingest',
        token: a.agentToken,
        payload: batch(a.agentId, { devices: [device('00:1b:1b:04:00:01')] }),
      },
      200,
    );
    const started = await call<{ signatures: string }>(
      t.app,
      { method: 'POST', url: '/v1/admin/reidentify', token: t.admin },
      202,
    );
    expect(started.signatures).toBe('sig-1');
    await t.app.services.reidentifier.start();
    const status = await call<{ running: boolean; finishedAt: string | null }>(
      t.app,
      { method: 'GET', url: '/v1/admin/reidentify', token: t.admin },
      200,
    );
    expect(status.running).toBe(false);
    expect(status.finishedAt).not.toBeNull();
    await t.close();
  });
});
