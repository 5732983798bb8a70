// The uploader against a real collector on loopback: the spool drains in order; a batch whose
// acknowledgement was lost is resent and acknowledged as a duplicate; a refused batch is set aside;
// an unreachable collector or a revoked token means backing off, never losing the batch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgentLogger } from '../../../agent/daemon/log.js';
import { AgentMetrics } from '../../../agent/daemon/metrics.js';
import { Backoff } from '../../../agent/uplink/backoff.js';
import { Spool } from '../../../agent/uplink/spool.js';
import { uploadGzipped } from '../../../agent/uplink/upload.js';
import { Uploader, wireBody } from '../../../agent/uplink/uploader.js';
import { Batch } from '../../../core/wire.js';
import { type RunningServer, startServer } from '../../../server/main.js';
import { FakeIdentifier } from '../../server/fake-identifier.js';
import { makeTenant, type Tenant } from '../../server/helpers.js';
import { until } from '../daemon/harness/procs.js';
import { conn, dev } from './wire-fixtures.js';

let server: RunningServer;
let tenant: Tenant;
let dir: string;
let spool: Spool;
const LIMITS = { maxDevices: 1000, maxChars: 1 << 22 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'om-uploader-'));
  server = await startServer({
    db: join(dir, 'c.db'),
    identifier: new FakeIdentifier(),
    signaturesVersion: 's',
    host: '127.0.0.1',
    port: 0,
    handleSignals: false,
  });
  const admin = server.app.services.tokens.issue({ role: 'admin' }, new Date().toISOString()).token;
  tenant = await makeTenant({ app: server.app, admin, dir, close: async () => {} }, 'Uploader Co');
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  spool?.close();
  spool = Spool.open(join(mkdtempSync(join(dir, 's-')), 'spool.db'));
});

function uploader(over: { url?: string; token?: string } = {}) {
  const lines: string[] = [];
  const metrics = new AgentMetrics();
  const u = new Uploader({
    spool: () => spool,
    url: over.url ?? server.url,
    credentials: () => ({ agentId: tenant.agentId, token: over.token ?? tenant.agentToken }),
    fetch,
    timeoutMs: 5000,
    backoff: new Backoff({ minMs: 50, maxMs: 100 }),
    authRetryMs: 200,
    log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
    metrics,
  });
  return { u, metrics, lines };
}

function batchCount(): number {
  return (server.app.services.db.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n;
}

describe('uploader', () => {
  it('sends the spool in order and empties it', async () => {
    const before = batchCount();
    for (let i = 0; i < 3; i++)
      spool.put(
        { devices: [dev(`00:00:00:00:02:0${i}`, { [`h${i}`]: 1 })], connections: [], observations: [] },
        LIMITS,
      );
    const { u, metrics } = uploader();
    u.kick();
    await until('the spool to empty', () => spool.depth().batches === 0, 10_000);
    expect(batchCount()).toBe(before + 3);
    expect(metrics.get('batches_uploaded_total')).toBe(3);
    await u.stop();
  });

  it('resends a batch whose acknowledgement was lost: the collector says duplicate, nothing doubles', async () => {
    const mac = '00:00:00:00:03:01';
    spool.put(
      { devices: [dev(mac, { plc: 1 })], connections: [conn(mac, 502, 4, 400)], observations: [] },
      LIMITS,
    );
    const b = spool.next()!;
    spool.markAttempt(b.seq);
    // The first attempt reached the collector; its answer never came back.
    await uploadGzipped(gzipSync(wireBody(b, tenant.agentId)), { url: server.url, token: tenant.agentToken });
    const { u, metrics } = uploader();
    u.kick();
    await until('the spool to empty', () => spool.depth().batches === 0, 10_000);
    expect(metrics.get('batches_duplicate_total')).toBe(1);
    const row = server.app.services.db
      .prepare('SELECT packets, bytes FROM connections WHERE port = 502')
      .get() as { packets: number; bytes: number };
    expect(row).toEqual({ packets: 4, bytes: 400 });
    await u.stop();
  });

  it('sets a refused batch aside and goes on with the next', async () => {
    const bad = dev('00:00:00:00:04:01', { x: 1 });
    bad.firstSeen = '2025-02-01T00:00:00.000Z'; // after lastSeen: the collector refuses the batch
    spool.put({ devices: [bad], connections: [], observations: [] }, LIMITS);
    spool.put({ devices: [dev('00:00:00:00:04:02', { y: 1 })], connections: [], observations: [] }, LIMITS);
    const { u, metrics, lines } = uploader();
    u.kick();
    await until('the spool to empty', () => spool.depth().batches === 0, 10_000);
    expect(spool.depth().rejected).toBe(1);
    expect(metrics.get('batches_rejected_total')).toBe(1);
    expect(lines.some((l) => l.includes('refused a batch for good'))).toBe(true);
    await u.stop();
  });

  it('backs off while the collector is unreachable and keeps the batch', async () => {
    spool.put({ devices: [dev('00:00:00:00:05:01', { z: 1 })], connections: [], observations: [] }, LIMITS);
    const { u, metrics, lines } = uploader({ url: 'http://127.0.0.1:9' });
    u.kick();
    await until('three failures', () => metrics.get('upload_failures_total') >= 3, 10_000);
    expect(spool.depth().batches).toBe(1);
    expect(spool.next()!.attempts).toBeGreaterThanOrEqual(3);
    // One warning for the outage, not one per attempt.
    expect(lines.filter((l) => l.includes('"level":40')).length).toBe(1);
    await u.stop();
  });

  it('waits, and says what to do, when the token is refused', async () => {
    spool.put({ devices: [dev('00:00:00:00:06:01', { z: 1 })], connections: [], observations: [] }, LIMITS);
    const { u, lines } = uploader({ token: `om_${'A'.repeat(43)}` });
    u.kick();
    await until('the refusal', () => lines.some((l) => l.includes('re-enroll the agent')), 10_000);
    expect(u.retryInMs).toBeGreaterThan(0);
    expect(spool.depth().batches).toBe(1);
    await u.stop();
  });
});

describe('wireBody', () => {
  it('is a schema-valid batch carrying the spooled content', () => {
    spool.put({ devices: [dev('00:00:00:00:07:01', { a: 2 })], connections: [], observations: [] }, LIMITS);
    const b = spool.next()!;
    const body = JSON.parse(wireBody(b, 42));
    expect(Compile(Batch).Check(body)).toBe(true);
    expect(body).toMatchObject({ agentId: 42, batchId: b.batchId, seq: b.seq, createdAt: b.createdAt });
    expect(body.devices[0].observations[0].count).toBe(2);
  });
});
