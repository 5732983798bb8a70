// `originmap analyze --upload`: the real CLI posts a generated capture to a real collector on
// loopback; the devices arrive with their identity and its evidence, a second upload writes
// nothing twice, and bad targets fail with one line before the capture is read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/paths.js';
import { generateFixtures } from '../../../scripts/generate-fixtures.js';
import { loadIdentifier } from '../../../server/identifier.js';
import { call, makeTenant, type Tenant, type TestApp, testApp } from '../../server/helpers.js';

const CLI = join(packageRoot(), 'dist', 'agent', 'cli.js');
let dir: string;
let demo: string;
let t: TestApp;
let tenant: Tenant;
let url: string;
let tokenFile: string;

/** Runs the CLI without blocking the event loop (the collector answers from this process). */
function originmap(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/ is missing: npm test builds it (npm run build)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'om-upload-'));
  generateFixtures(dir);
  demo = join(dir, 'demo.pcapng');
  t = await testApp(await loadIdentifier());
  tenant = await makeTenant(t, 'upload-co');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  tokenFile = join(dir, 'agent.json');
  writeFileSync(tokenFile, JSON.stringify({ agentId: tenant.agentId, token: tenant.agentToken }), {
    mode: 0o600,
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('originmap analyze --upload', () => {
  it('sends every device and connection of the capture; they are listed with identity and evidence', async () => {
    const local = JSON.parse(
      spawnSync(process.execPath, [CLI, 'analyze', demo, '--json', '--quiet']).stdout.toString(),
    );
    const r = await originmap(['analyze', demo, '--quiet', '--upload', url, '--token-file', tokenFile]);
    expect(r.stderr).toMatch(/^uploaded \d+ devices and \d+ connections in \d+ batches as agent \d+\n$/);
    expect(r.status).toBe(0);
    const [, devices, connections] = /uploaded (\d+) devices and (\d+) connections/.exec(r.stderr)!;
    expect(Number(devices)).toBe(local.devices.length);
    expect(Number(connections)).toBe(local.connections.length);

    const listed = await call<{ items: Array<{ id: number; vendor: string | null }> }>(
      t.app,
      { method: 'GET', url: '/v1/devices?limit=500', token: tenant.analyst },
      200,
    );
    expect(listed.items).toHaveLength(local.devices.length);
    const decided = local.devices.filter((d: { vendor: string | null }) => d.vendor !== null);
    expect(decided.length).toBeGreaterThan(0);
    expect(listed.items.filter((d) => d.vendor !== null)).toHaveLength(decided.length);
    const one = listed.items.find((d) => d.vendor !== null)!;
    const detail = await call<{ reasons: Array<{ field: string; evidence: unknown[] }> }>(
      t.app,
      { method: 'GET', url: `/v1/devices/${one.id}`, token: tenant.analyst },
      200,
    );
    const vendorReason = detail.reasons.find((r) => r.field === 'vendor');
    expect(vendorReason?.evidence.length).toBeGreaterThan(0);
  }, 60_000);

  it('a second upload of the same capture adds no device and doubles no connection', async () => {
    const state = async () => ({
      devices: (
        await call<{ items: unknown[] }>(
          t.app,
          { method: 'GET', url: '/v1/devices?limit=1000', token: tenant.analyst },
          200,
        )
      ).items,
      connections: (
        await call<{ items: unknown[] }>(
          t.app,
          { method: 'GET', url: '/v1/connections?limit=1000', token: tenant.analyst },
          200,
        )
      ).items,
    });
    const before = await state();
    expect(before.connections.length).toBeGreaterThan(0);
    const r = await originmap(['analyze', demo, '--quiet', '--upload', url], {
      ORIGINMAP_TOKEN: tenant.agentToken,
    });
    expect(r.status, r.stderr).toBe(0);
    const [, batches, again] = /in (\d+) batches as agent \d+, (\d+) already there\n$/.exec(r.stderr) ?? [];
    expect(again, r.stderr).toBe(batches);
    expect(await state()).toEqual(before);
  }, 60_000);

  it('fails with one line for a bad target, before reading the capture', async () => {
    const badToken = join(dir, 'bad-token');
    writeFileSync(badToken, 'om_notarealtoken0000000000');
    for (const [args, env, message] of [
      [['--upload', url], { ORIGINMAP_TOKEN: '' }, /--upload needs an agent token/],
      [['--upload', 'ftp://127.0.0.1/', '--token-file', tokenFile], {}, /not an http\(s\) URL/],
      [
        ['--upload', 'http://198.18.0.9:8470', '--token-file', tokenFile],
        {},
        /would send the token in clear/,
      ],
      [['--upload', url, '--token-file', join(dir, 'missing')], {}, /--token-file: cannot read .*ENOENT/],
      [['--upload', url, '--token-file', badToken], {}, /--upload: collector answered 401/],
    ] as const) {
      const r = await originmap(['analyze', demo, '--quiet', ...args], env);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, 'nothing printed: the capture was not read').toBe('');
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
