// Per-operator policies in the collector: defaults by country, an admin's configuration checked
// with every problem reported (JSON paths, operator-policy.yaml:<line>), hostile policy files,
// findings evaluated again when the policy changes, a stored policy that stops loading, and a
// change of signatures re-identifying and then re-evaluating.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { buildApp } from '../../server/app.js';
import { FakeIdentifier } from './fake-identifier.js';
import { batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

const clock = new ManualClock('2025-01-02T00:00:00Z');
let t: TestApp;
let a: Tenant;

interface PolicyView {
  configured: boolean;
  packs: string[];
  updatedBy: string | null;
  effective: {
    sources: string[];
    rules: { id: string; severity: string; overriddenBy: string | null }[];
    problems: string[];
  };
}
interface FindingRow {
  id: number;
  rule: string;
  subject: string;
  status: string;
  severity: string;
}

const put = (payload: object, expected: number) =>
  call<PolicyView & { code: string; details: string[] }>(
    t.app,
    { method: 'PUT', url: `/v1/operators/${a.operatorId}/policy`, token: t.admin, payload },
    expected,
  );
const findings = async (query = '') =>
  (
    await call<{ items: FindingRow[] }>(
      t.app,
      { method: 'GET', url: `/v1/findings${query}`, token: a.analyst },
      200,
    )
  ).items;

const ACME = `policy: acme
title: ACME plant rules
sources:
  acme: ACME security standard 2025, section 3.2
rules:
  - id: acme.unapproved-router
    subject: device
    severity: hgh
    title: Router of an unapproved vendor
    when:
      class: router
      vendr: { notIn: [NEC, Fujitsu] }
    message: "{vendor} router at {ips}"
    sources: [acme]
overrides:
  - id: us-ndaa-889.covered-vendor
    severity: low
`;

beforeAll(async () => {
  t = await testApp({ now: () => clock.now(), schedulerIntervalMs: 0 });
  a = await makeTenant(t, 'Chubu Gas', 'gas');
  await call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: a.agentToken,
      payload: batch(a.agentId, {
        devices: [device('00:e0:fc:00:00:01', { 'ssh.banner': 'SSH-2.0-HUAWEI-1.5' })],
      }),
    },
    200,
  );
});
afterAll(() => t.close());

describe('operator policy', () => {
  it('defaults to the packs of the operator country, and says so', async () => {
    const v = await call<PolicyView>(
      t.app,
      { method: 'GET', url: `/v1/operators/${a.operatorId}/policy`, token: t.admin },
      200,
    );
    expect(v).toMatchObject({ configured: false, packs: ['jp-espa', 'ot-baseline'], updatedBy: null });
    expect(v.effective.rules.map((r) => r.id)).toContain('jp-espa.foreign-vendor-critical-class');
    expect((await findings()).map((f) => f.rule)).toEqual(['jp-espa.foreign-vendor-critical-class']);
    await call(t.app, { method: 'GET', url: '/v1/operators/9999/policy', token: t.admin }, 404);
  });

  it('reports every problem at once: JSON paths for the body, file:line for the policy file', async () => {
    const res = await put(
      {
        packs: ['us-ndaa-88', 'us-ndaa-889', 'us-ndaa-889'],
        homeCountry: 'XX',
        otNetworks: ['10.1.0.0/16', '10.2.0.0/33'],
        policy: ACME,
      },
      400,
    );
    expect(res.code).toBe('OM_ERR_POLICY_INVALID');
    expect(res.details).toEqual([
      expect.stringMatching(
        /^\/packs\/0: unknown policy pack 'us-ndaa-88' \(did you mean 'us-ndaa-889'\?\); shipped: /,
      ),
      "/packs/2: 'us-ndaa-889' is listed twice",
      "/homeCountry: 'XX' is not an ISO 3166-1 alpha-2 country code",
      expect.stringMatching(/^\/otNetworks\/1: /),
      expect.stringMatching(
        /^operator-policy\.yaml:8: severity is one of info, low, medium, high, critical \(did you mean 'high'\?\)/,
      ),
      expect.stringMatching(
        /^operator-policy\.yaml:12: unknown device field 'vendr' \(did you mean 'vendor'\?\)/,
      ),
    ]);
    // Nothing changed.
    const v = await call<PolicyView>(
      t.app,
      { method: 'GET', url: `/v1/operators/${a.operatorId}/policy`, token: t.admin },
      200,
    );
    expect(v.configured).toBe(false);
  });

  it('refuses hostile policy files: extends of server files, aliases, custom tags, oversize', async () => {
    const extendsFile = await put(
      { packs: [], policy: 'policy: x\ntitle: t\nextends: [/etc/passwd, ../../../etc/shadow]\n' },
      400,
    );
    expect(extendsFile.details).toEqual([
      expect.stringMatching(/^operator-policy\.yaml:3: extends '\/etc\/passwd': only shipped pack names/),
      expect.stringMatching(
        /^operator-policy\.yaml:3: extends '\.\.\/\.\.\/\.\.\/etc\/shadow': only shipped pack names/,
      ),
    ]);
    expect(JSON.stringify(extendsFile)).not.toContain('root:');
    const bomb = `policy: x\ntitle: t\nsources: { s: &a src }\nrules: []\nextends: [*a]\n`;
    expect((await put({ packs: ['jp-espa'], policy: bomb }, 400)).details.join('\n')).toMatch(
      /anchors|aliases/,
    );
    expect((await put({ packs: ['jp-espa'], policy: 'policy: !!js/function x\n' }, 400)).code).toBe(
      'OM_ERR_POLICY_INVALID',
    );
    const big = `# ${'x'.repeat(256 * 1024)}\npolicy: x\n`;
    expect((await put({ packs: ['jp-espa'], policy: big }, 400)).details).toEqual([
      '/policy: larger than 262144 bytes',
    ]);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/v1/operators/${a.operatorId}/policy`,
      headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ packs: ['jp-espa'], policy: 'x'.repeat(600 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect((await put({ packs: [] }, 400)).details).toEqual([
      '/packs: name at least one pack, or send a policy file',
    ]);
    await put({ packs: ['jp-espa'], extra: 1 }, 400);
  });

  it('applies a valid policy, records who set it, and evaluates every finding again', async () => {
    const before = await findings();
    clock.set('2025-01-03T00:00:00Z');
    const v = await put(
      { packs: ['us-ndaa-889'], policy: ACME.replace('hgh', 'high').replace('vendr', 'vendor') },
      200,
    );
    expect(v).toMatchObject({ configured: true, packs: ['us-ndaa-889'], updatedBy: 'test' });
    expect(v.effective.sources).toEqual(['us-ndaa-889', 'acme']);
    expect(v.effective.rules.find((r) => r.id === 'us-ndaa-889.covered-vendor')).toMatchObject({
      severity: 'low',
      overriddenBy: 'acme',
    });
    await t.app.services.evaluations.idle();
    const after = await findings();
    expect(after.map((f) => [f.rule, f.status]).sort()).toEqual(
      [
        ['acme.unapproved-router', 'open'],
        ['jp-espa.foreign-vendor-critical-class', 'resolved'],
        ['us-ndaa-889.covered-telecom-or-video', 'open'],
      ].sort(),
    );
    const old = after.find((f) => f.id === before[0]!.id)!;
    const d = await call<{ history: { by: string; to: string; note: string; at: string }[] }>(
      t.app,
      { method: 'GET', url: `/v1/findings/${old.id}`, token: a.analyst },
      200,
    );
    expect(d.history.at(-1)).toEqual(
      expect.objectContaining({
        at: '2025-01-03T00:00:00.000Z',
        by: 'system',
        to: 'resolved',
        note: 'rule no longer matches',
      }),
    );
    const status = await call<{ running: boolean; opened: number; resolved: number }>(
      t.app,
      { method: 'GET', url: '/v1/admin/evaluate', token: t.admin },
      200,
    );
    expect(status).toMatchObject({ running: false, opened: 2, resolved: 1 });
  });

  it('keeps accepting batches when a stored policy stops loading (after an upgrade), and says why', async () => {
    const s = t.app.services;
    s.policies.save(a.operatorId, {
      packs: ['jp-espa'],
      homeCountry: null,
      otNetworks: [],
      policyText:
        'policy: x\ntitle: t\noverrides:\n  - { id: jp-espa.rule-removed-in-a-new-version, severity: low }\n',
      updatedAt: '2025-01-03T00:00:00.000Z',
      updatedBy: 'test',
    });
    await call(
      t.app,
      {
        method: 'POST',
        url: '/v1/ingest',
        token: a.agentToken,
        payload: batch(a.agentId, {
          devices: [device('00:e0:fc:00:00:02', { 'ssh.banner': 'SSH-2.0-HUAWEI-1.5' })],
        }),
      },
      200,
    );
    const v = await call<PolicyView>(
      t.app,
      { method: 'GET', url: `/v1/operators/${a.operatorId}/policy`, token: t.admin },
      200,
    );
    expect(v.effective.problems).toEqual([
      expect.stringMatching(
        /^operator-policy\.yaml:4: override of unknown rule 'jp-espa\.rule-removed-in-a-new-version'/,
      ),
    ]);
    expect((await findings()).some((f) => f.subject === 'mac:00:e0:fc:00:00:02')).toBe(false);
  });
});

describe('signatures change', () => {
  it('re-identifies stored devices at start, then evaluates their findings again', async () => {
    const one = await testApp({ now: () => clock.now(), schedulerIntervalMs: 0 });
    const tn = await makeTenant(one, 'Tohoku Rail', 'rail');
    const rtr = device('00:19:c6:00:00:01', { 'http.server': 'ZTE Web Server/1.0' });
    await call(
      one.app,
      {
        method: 'POST',
        url: '/v1/ingest',
        token: tn.agentToken,
        payload: batch(tn.agentId, { devices: [rtr] }),
      },
      200,
    );
    const list = async (app: typeof one.app) =>
      (
        await call<{ items: FindingRow[] }>(
          app,
          { method: 'GET', url: '/v1/findings', token: tn.analyst },
          200,
        )
      ).items;
    expect(await list(one.app)).toEqual([]);
    await one.app.close();
    // New signatures know the banner: a ZTE router (CN) — a finding after the restart.
    const two = await buildApp({
      db: join(one.dir, 'collector.db'),
      identifier: new FakeIdentifier([
        { test: /^ZTE Web Server/, vendor: 'ZTE', country: 'CN', watchlists: ['ndaa-889'], class: 'router' },
      ]),
      signaturesVersion: 'sig-2',
      now: () => clock.now(),
      schedulerIntervalMs: 0,
    });
    try {
      await two.ready();
      await two.services.reidentifier.idle();
      await two.services.evaluations.idle();
      expect((await list(two)).map((f) => [f.rule, f.subject, f.status])).toEqual([
        ['jp-espa.foreign-vendor-critical-class', 'mac:00:19:c6:00:00:01', 'open'],
      ]);
      expect(two.services.evaluations.stale()).toEqual([]);
    } finally {
      await two.close();
      rmSync(one.dir, { recursive: true, force: true });
    }
  });
});
