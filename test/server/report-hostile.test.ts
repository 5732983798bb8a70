// End to end, with the shipped identification engine: a banner carrying <script> sent by an agent
// becomes a device's model, a finding's message and a line of the regulator's summary, and the HTML
// the regulator downloads shows it as text: escaped in the file, inert in headless Chromium (the
// screenshot goes to a temporary directory, never into the repository).
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { loadIdentifier } from '../../core/identify/load-identifier.js';
import { auth, batch, call, device, makeTenant, type Tenant, type TestApp, testApp } from './helpers.js';

const SCRIPT = '<script>alert(1)</script>';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const clock = new ManualClock('2025-03-03T00:00:00Z');
let t: TestApp;
let a: Tenant;
let html = '';

const REVIEW = `policy: acme
title: ACME review list
sources:
  acme: ACME procurement standard 2025, section 4 (equipment under review)
rules:
  - id: acme.siemens-equipment
    subject: device
    severity: low
    title: Siemens equipment on the review list
    when:
      vendor: Siemens
      model: { exists: true }
    message: "{vendor} {model} at {ips} is on the review list"
    sources: [acme]
`;

beforeAll(async () => {
  t = await testApp({
    identifier: loadIdentifier(),
    signaturesVersion: 'shipped',
    now: () => clock.now(),
    schedulerIntervalMs: 0,
  });
  a = await makeTenant(t, 'Shikoku Electric');
  await call(
    t.app,
    {
      method: 'PUT',
      url: `/v1/operators/${a.operatorId}/policy`,
      token: t.admin,
      payload: { packs: ['jp-espa'], policy: REVIEW },
    },
    200,
  );
  await call(
    t.app,
    {
      method: 'POST',
      url: '/v1/ingest',
      token: a.agentToken,
      payload: batch(a.agentId, {
        devices: [
          device(
            '00:01:e3:00:00:07',
            { 'http.server': `Siemens Gigaset ${SCRIPT}` },
            { firstSeen: '2025-03-10T00:00:00.000Z', lastSeen: '2025-03-10T01:00:00.000Z' },
          ),
        ],
      }),
    },
    200,
  );
  clock.set('2025-04-01T00:00:01Z');
  const tick = await t.app.services.scheduler.tick();
  const id = tick.produced.find((r) => r.operatorId === a.operatorId)!.reportId;
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/reports/${id}?format=html`,
    headers: auth(a.regulator),
  });
  expect(res.statusCode).toBe(200);
  html = res.body;
});
afterAll(() => t.close());

describe('a hostile banner, from the agent to the regulator', () => {
  it('is decided into the model by the shipped engine and printed into a finding', async () => {
    const devices = await call<{ items: { vendor: string; model: string }[] }>(
      t.app,
      { method: 'GET', url: '/v1/devices', token: a.analyst },
      200,
    );
    expect(devices.items).toEqual([expect.objectContaining({ vendor: 'Siemens', model: SCRIPT })]);
    const findings = await call<{ items: { rule: string; message: string }[] }>(
      t.app,
      { method: 'GET', url: '/v1/findings', token: a.analyst },
      200,
    );
    expect(findings.items).toEqual([
      expect.objectContaining({
        rule: 'acme.siemens-equipment',
        message: `Siemens ${SCRIPT} at 10.0.0.5 is on the review list`,
      }),
    ]);
  });

  it('is escaped in the downloaded HTML: no markup of the wire survives', () => {
    expect(html).toContain('Siemens &lt;script&gt;alert(1)&lt;/script&gt; at 10.0.0.5');
    expect(html).not.toMatch(/<script/i);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'stays inert in headless Chromium, and the page is screenshotted',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'om-regulator-html-'));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--no-first-run',
        ],
      });
      try {
        const file = join(dir, 'report.html');
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1024, height: 1400 } });
        const dialogs: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const facts = (await page.evaluate(
          `({ scripts: document.querySelectorAll('script').length, text: document.body.innerText })`,
        )) as { scripts: number; text: string };
        expect(dialogs).toEqual([]);
        expect(facts.scripts).toBe(0);
        expect(facts.text).toContain(`Siemens ${SCRIPT} at 10.0.0.5 is on the review list`);
        const shot = join(dir, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        expect(statSync(shot).size).toBeGreaterThan(20_000);
        console.log(`regulator report screenshot: ${shot}`);
      } finally {
        await browser.close();
      }
    },
  );
});

if (!existsSync(CHROMIUM))
  console.warn(`skipping the Chromium part: ${CHROMIUM} not found (apt-get install chromium)`);
