// Renders the HTML report in headless Chromium (Debian package `chromium`, driven by playwright-core)
// and screenshots it in both languages into a temporary directory, never into the repository.
// Skips with a message when Chromium is not installed. The screenshots' paths are printed so a
// person can look at the layout.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../core/report/html.js';
import { hostileSummary, SCRIPT } from './sample.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present)
  console.warn(`skipping the Chromium report test: ${CHROMIUM} not found (apt-get install chromium)`);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe.skipIf(!present)('HTML report in headless Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'om-report-shot-'));
  const summary = hostileSummary();

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`renders inert and lays out (${lang})`, async () => {
      const file = join(dir, `summary.${lang}.html`);
      writeFileSync(file, renderHtml(summary, { lang, keyId: 'ed25519:test' }));
      const page = await browser.newPage({ viewport: { width: 1024, height: 1400 } });
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // A string, not a function: the test's TypeScript has no DOM types; this runs in the page.
      const facts = (await page.evaluate(`({
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        charts: document.querySelectorAll('svg.chart').length,
        text: document.body.innerText,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        lang: document.documentElement.lang,
      })`)) as {
        scripts: number;
        images: number;
        charts: number;
        text: string;
        overflow: number;
        lang: string;
      };
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(facts.scripts).toBe(0);
      expect(facts.images).toBe(0);
      expect(facts.text).toContain(SCRIPT);
      expect(facts.charts).toBeGreaterThanOrEqual(3);
      expect(facts.overflow).toBeLessThanOrEqual(0);
      expect(facts.lang).toBe(lang);
      const shot = join(dir, `summary.${lang}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      console.log(`report screenshot (${lang}): ${shot}`);
      await page.close();
    });
  }
});
