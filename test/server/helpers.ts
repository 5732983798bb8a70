// Server test kit: an app on a temporary database, tenants made through the API, tokens per role,
// and batch builders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Batch, WireDevice } from '../../core/wire.js';
import { type AppOptions, buildApp } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { FakeIdentifier } from './fake-identifier.js';

export interface TestApp {
  app: FastifyInstance;
  admin: string;
  dir: string;
  close(): Promise<void>;
}

export async function testApp(over: Partial<AppOptions> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'om-collector-'));
  const app = await buildApp({
    db: join(dir, 'collector.db'),
    identifier: new FakeIdentifier(),
    signaturesVersion: 'sig-1',
    // OM_TEST_LOG=debug shows the server log while a test runs.
    logger: process.env.OM_TEST_LOG ? createLogger({ level: process.env.OM_TEST_LOG, pretty: true }) : false,
    ...over,
  });
  await app.ready();
  const admin = app.services.tokens.issue({ role: 'admin', label: 'test' }, new Date().toISOString()).token;
  return {
    app,
    admin,
    dir,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** inject() that fails loudly on an unexpected status, returning the JSON body. */
export async function call<T = unknown>(
  app: FastifyInstance,
  opts: InjectOptions & { token?: string },
  expected: number,
): Promise<T> {
  const { token, ...rest } = opts;
  const res = await app.inject({ ...rest, headers: { ...rest.headers, ...(token ? auth(token) : {}) } });
  if (res.statusCode !== expected) {
    throw new Error(`${opts.method} ${opts.url}: expected ${expected}, got ${res.statusCode}: ${res.body}`);
  }
  return (
    res.body ? (String(res.headers['content-type']).includes('json') ? res.json() : res.body) : undefined
  ) as T;
}

export interface Tenant {
  operatorId: number;
  siteId: number;
  agentId: number;
  agentToken: string;
  analyst: string;
  regulator: string;
}

/** An operator with one site, one enrolled agent, an analyst and a regulator token. */
export async function makeTenant(t: TestApp, name: string, sector = 'electricity'): Promise<Tenant> {
  const { app, admin } = t;
  const op = await call<{ id: number }>(
    app,
    { method: 'POST', url: '/v1/operators', token: admin, payload: { name, sector, country: 'JP' } },
    201,
  );
  const site = await call<{ id: number }>(
    app,
    {
      method: 'POST',
      url: `/v1/operators/${op.id}/sites`,
      token: admin,
      payload: { name: 'plant-1', homeNet: ['10.0.0.0/8'] },
    },
    201,
  );
  const created = await call<{ agent: { id: number }; enrollment: { token: string } }>(
    app,
    { method: 'POST', url: `/v1/sites/${site.id}/agents`, token: admin, payload: { name: 'agent-1' } },
    201,
  );
  const enrolled = await call<{ token: string }>(
    app,
    { method: 'POST', url: '/v1/enroll', token: created.enrollment.token, payload: { hostname: 'box' } },
    201,
  );
  const analyst = await call<{ token: string }>(
    app,
    { method: 'POST', url: '/v1/tokens', token: admin, payload: { role: 'analyst', operatorId: op.id } },
    201,
  );
  const regulator = await call<{ token: string }>(
    app,
    { method: 'POST', url: '/v1/tokens', token: admin, payload: { role: 'regulator', operatorId: op.id } },
    201,
  );
  return {
    operatorId: op.id,
    siteId: site.id,
    agentId: created.agent.id,
    agentToken: enrolled.token,
    analyst: analyst.token,
    regulator: regulator.token,
  };
}

let batchCounter = 0;

export function device(
  mac: string,
  banners: Record<string, string> = {},
  over: Partial<WireDevice> = {},
): WireDevice {
  return {
    id: `mac:${mac}`,
    mac,
    ips: ['10.0.0.5'],
    hostnames: [],
    vlans: [],
    services: [],
    roles: [],
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: '2025-01-01T01:00:00.000Z',
    observations: Object.entries(banners).map(([key, value]) => ({
      key,
      value,
      source: 'passive' as const,
      count: 1,
      firstSeen: '2025-01-01T00:00:00.000Z',
      lastSeen: '2025-01-01T01:00:00.000Z',
    })),
    ...over,
  };
}

export function batch(agentId: number, over: Partial<Batch> = {}): Batch {
  batchCounter++;
  return {
    agentId,
    batchId: `batch-${String(batchCounter).padStart(6, '0')}-${Math.random().toString(36).slice(2, 10)}`,
    seq: batchCounter,
    createdAt: '2025-01-01T01:00:00.000Z',
    devices: [],
    connections: [],
    observations: [],
    ...over,
  };
}
