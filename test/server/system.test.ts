// /metrics (Prometheus text), /docs (OpenAPI of every route, behind a token), request ids, and
// the JSON log lines (no token ever logged).
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from '../../server/logger.js';
import { auth, batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

let t: TestApp;
let a: Tenant;
const lines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await testApp({ logger: createLogger({ level: 'info', pretty: false, destination: sink }) });
  a = await makeTenant(t, 'Metrics Co');
  await call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: a.agentToken,
      payload: batch(a.agentId, { devices: [device('00:1b:1b:06:00:01', { 'dhcp.hostname': 'm' })] }),
    },
    200,
  );
});
afterAll(() => t.close());

describe('metrics', () => {
  it('exposes request, ingest and database series in Prometheus text format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(t.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const body = res.body;
    expect(body).toMatch(/^originmap_ingest_batches_total\{result="accepted"\} 1$/m);
    expect(body).toMatch(/^originmap_ingest_rows_total 2$/m);
    expect(body).toMatch(
      /^originmap_http_requests_total\{method="POST",route="\/v1\/ingest",status="200"\} 1$/m,
    );
    expect(body).toMatch(
      /^originmap_http_request_duration_seconds_bucket\{route="\/v1\/ingest",le="\+Inf"\} 1$/m,
    );
    expect(body).toMatch(/^originmap_db_bytes \d+$/m);
    for (const line of body.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [\d.e+-]+)$/);
  });
});

describe('OpenAPI', () => {
  it('documents every /v1 route with its security, behind a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
    const doc = (
      await t.app.inject({ method: 'GET', url: '/docs/json', headers: auth(a.analyst) })
    ).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.components.securitySchemes.bearer).toBeDefined();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const registered = t.app.services.routes
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    for (const r of registered) expect(documented, r).toContain(r);
    expect(Object.keys(doc.paths['/v1/ingest']!.post!.responses).sort()).toEqual(
      ['200', '400', '401', '403', '413', '415', '429', '500', '503'].sort(),
    );
  });
});

describe('request ids and logs', () => {
  it('keeps a plain incoming x-request-id, replaces a hostile one, and never logs a token', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'agent-7.batch_1' },
    });
    expect(ok.headers['x-request-id']).toBe('agent-7.batch_1');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a\nb<script>' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await t.app.inject({ method: 'GET', url: '/v1/operators', headers: auth(t.admin) });
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [t.admin, a.analyst, a.agentToken]) expect(log).not.toContain(secret.slice(3));
    const rec = JSON.parse(lines[0]!) as { level: number; service: string };
    expect(rec.service).toBe('originmap-collector');
  });

  it("answers the router's own refusals with a registered code, not Fastify's body echoing the URL", async () => {
    for (const [url, detail] of [
      [`/v1/devices/${'9'.repeat(101)}`, 'url: a path parameter is longer than the router accepts'],
      ['/v1/devices/%E0%A4%A', 'url: a path segment is not valid percent-encoding'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: auth(a.analyst) });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { code: string; requestId: string; details: string[] };
      expect(body).toEqual({
        code: 'OM_ERR_REQ_VALIDATION',
        message: 'the request does not match the schema',
        requestId: expect.any(String),
        details: [detail],
      });
      expect(res.body).not.toContain('/v1/devices');
    }
    // The service still answers afterwards.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('pretty-prints a record on one line with values JSON-escaped', () => {
    const line = prettyLine(
      JSON.stringify({ level: 30, time: Date.UTC(2025, 0, 1, 12, 0, 1), msg: 'hi', name: 'a\nb' }),
    );
    expect(line).toBe('12:00:01 INFO  hi name="a\\nb"\n');
  });
});
