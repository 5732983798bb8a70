// Enrollment against a real collector: the token is traded once and stored 0600; a used token is
// refused with a clear reason; a stored file that was loosened is tightened; a damaged one is an error.
// And the uplink's HTTP client: a private CA over https, no plain http off loopback, capped answers.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CREDENTIALS_FILE,
  EnrollError,
  enroll,
  loadCredentials,
  saveCredentials,
} from '../../../agent/uplink/enrollment.js';
import { createHttpFetch, HttpClientError } from '../../../agent/uplink/http-client.js';
import { type RunningServer, startServer } from '../../../server/main.js';
import { FakeIdentifier } from '../../server/fake-identifier.js';
import { call } from '../../server/helpers.js';

let server: RunningServer;
let dir: string;
let admin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'om-enroll-'));
  server = await startServer({
    db: join(dir, 'c.db'),
    identifier: new FakeIdentifier(),
    signaturesVersion: 's',
    host: '127.0.0.1',
    port: 0,
    handleSignals: false,
  });
  admin = server.app.services.tokens.issue({ role: 'admin' }, new Date().toISOString()).token;
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function enrollmentToken(): Promise<string> {
  const op = await call<{ id: number }>(
    server.app,
    {
      method: 'POST',
      url: '/v1/operators',
      token: admin,
      payload: { name: `Op ${Math.random()}`, sector: 'gas', country: 'JP' },
    },
    201,
  );
  const site = await call<{ id: number }>(
    server.app,
    { method: 'POST', url: `/v1/operators/${op.id}/sites`, token: admin, payload: { name: 's' } },
    201,
  );
  const made = await call<{ enrollment: { token: string } }>(
    server.app,
    { method: 'POST', url: `/v1/sites/${site.id}/agents`, token: admin, payload: { name: 'a' } },
    201,
  );
  return made.enrollment.token;
}

describe('enrollment', () => {
  it('trades the enrollment token once and stores the agent token with mode 0600', async () => {
    const state = mkdtempSync(join(dir, 'state-'));
    const token = await enrollmentToken();
    const opts = { url: server.url, enrollmentToken: token, fetch, timeoutMs: 5000, version: '0.1.0' };
    const creds = await enroll(opts);
    saveCredentials(state, creds);
    expect(statSync(join(state, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect(loadCredentials(state)).toEqual({ credentials: creds, loosened: false });
    // The agent token works; the enrollment token does not work twice.
    await call(server.app, { method: 'GET', url: '/v1/agent/config', token: creds.token }, 200);
    const again = await enroll(opts).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(EnrollError);
    expect(again).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/ask its admin for a new one/),
    });
  });

  it('says "network" when the collector cannot be reached', async () => {
    const err = await enroll({
      url: 'http://127.0.0.1:9',
      enrollmentToken: `om_${'a'.repeat(43)}`,
      fetch,
      timeoutMs: 2000,
      version: 'x',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'network' });
  });

  it('tightens a loosened credentials file and refuses a damaged one', () => {
    const state = mkdtempSync(join(dir, 'state-'));
    const creds = {
      agentId: 1,
      siteId: 2,
      token: `om_${'b'.repeat(43)}`,
      collector: 'https://c/',
      enrolledAt: '',
    };
    saveCredentials(state, creds);
    chmodSync(join(state, CREDENTIALS_FILE), 0o644);
    expect(loadCredentials(state)?.loosened).toBe(true);
    expect(statSync(join(state, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(state, CREDENTIALS_FILE), '{"agentId":"x"}');
    expect(() => loadCredentials(state)).toThrow(/does not hold agent credentials/);
    writeFileSync(join(state, CREDENTIALS_FILE), 'not json');
    expect(() => loadCredentials(state)).toThrow(/not JSON/);
    expect(loadCredentials(mkdtempSync(join(dir, 'empty-')))).toBeNull();
  });
});

describe('http client', () => {
  it('refuses plain http to a host that is not loopback unless allowed', async () => {
    const f = createHttpFetch();
    await expect(f('http://192.0.2.1/v1/heartbeat')).rejects.toBeInstanceOf(HttpClientError);
    await expect(f(`${server.url}/healthz`)).resolves.toMatchObject({ status: 200 });
  });

  it('refuses an unreadable or non-PEM CA file with one line', () => {
    expect(() => createHttpFetch({ caFile: join(dir, 'missing.pem') })).toThrow(/cannot read the CA file/);
    writeFileSync(join(dir, 'junk.pem'), 'junk');
    expect(() => createHttpFetch({ caFile: join(dir, 'junk.pem') })).toThrow(/holds no PEM certificate/);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))(
    'trusts a private CA given as a file, and only with it',
    async () => {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          key,
          '-out',
          cert,
        ],
        { stdio: 'ignore' },
      );
      const https = createHttps({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
        res
          .writeHead(req.url === '/big' ? 200 : 204)
          .end(req.url === '/big' ? Buffer.alloc(2048) : undefined);
      });
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', () => r()));
      const url = `https://127.0.0.1:${(https.address() as { port: number }).port}`;
      try {
        await expect(createHttpFetch()(`${url}/x`)).rejects.toThrow(
          /self-signed|unable to verify|certificate/i,
        );
        const withCa = createHttpFetch({ caFile: cert, maxAnswerBytes: 1024 });
        await expect(withCa(`${url}/x`)).resolves.toMatchObject({ status: 204 });
        await expect(withCa(`${url}/big`)).rejects.toThrow(/larger than 1024 bytes/);
      } finally {
        https.close();
      }
    },
  );
});
