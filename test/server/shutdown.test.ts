// Graceful shutdown over real HTTP: a request in flight when close() starts still completes,
// new connections are refused, and the database is closed at the end.

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/main.js';
import { FakeIdentifier } from './fake-identifier.js';
import { batch, device, makeTenant } from './helpers.js';

describe('graceful shutdown', () => {
  it('finishes in-flight uploads, then closes the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-shutdown-'));
    const server = await startServer({
      db: join(dir, 'c.db'),
      identifier: new FakeIdentifier(),
      signaturesVersion: 's',
      host: '127.0.0.1',
      port: 0,
      handleSignals: false,
    });
    try {
      const admin = server.app.services.tokens.issue({ role: 'admin' }, new Date().toISOString()).token;
      const tenant = await makeTenant({ app: server.app, admin, dir, close: async () => {} }, 'Shut Co');
      const body = JSON.stringify(batch(tenant.agentId, { devices: [device('00:1b:1b:05:00:01')] }));
      const url = new URL(server.url);
      // Send the headers and half the body, start closing, then send the rest.
      const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/v1/ingest',
            headers: {
              authorization: `Bearer ${tenant.agentToken}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 40));
        setTimeout(() => {
          closing = server.stop();
          setTimeout(() => req.end(body.slice(40)), 50);
        }, 50);
      });
      let closing: Promise<void> | undefined;
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ devices: 1, duplicate: false });
      await closing;
      expect(server.app.services.db.open).toBe(false);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops accepting connections as soon as close() starts, and keep-alive clients are told to hang up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-shutdown-'));
    const server = await startServer({
      db: join(dir, 'c.db'),
      identifier: new FakeIdentifier(),
      signaturesVersion: 's',
      host: '127.0.0.1',
      port: 0,
      handleSignals: false,
    });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const closing = server.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await closing;
    expect(server.app.services.db.open).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
