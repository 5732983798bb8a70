// HTML report: escaping by construction, inert wire text, English and Japanese labels.
import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../../core/report/build.js';
import { renderHtml } from '../../../core/report/html.js';
import { escapeHtml, h } from '../../../core/report/html-escape.js';
import { hostileSummary, sampleInput } from './sample.js';

describe('HTML report', () => {
  it('escapes every interpolated string and nests trusted fragments', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(h`<p>${'<b>'}${h`<i>${'&'}</i>`}${['<', 1, null]}</p>`.html).toBe(
      '<p>&lt;b&gt;<i>&amp;</i>&lt;1</p>',
    );
  });

  it('renders a banner carrying <script> inert, in both languages', () => {
    const s = hostileSummary();
    for (const lang of ['en', 'ja'] as const) {
      const html = renderHtml(s, { lang, keyId: 'ed25519:0123' });
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<img/i);
      expect(html).not.toMatch(/<[^>]*\sonerror=/i);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('Evil&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain('default-src &#39;none&#39;');
    }
  });

  it('labels in English and Japanese, with country names in the language', () => {
    const s = buildSummary(sampleInput());
    const en = renderHtml(s, { lang: 'en' });
    const ja = renderHtml(s, { lang: 'ja' });
    expect(en).toContain('<h1>Regulator summary</h1>');
    expect(en).toContain('Germany (DE)');
    expect(ja).toContain('<h1>規制当局向けサマリー</h1>');
    expect(ja).toContain('ドイツ (DE)');
    expect(ja).toContain('ベンダー国籍別の機器数');
    expect(en).toContain('<svg class="chart"');
    expect(en).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
