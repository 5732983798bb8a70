import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listProbesText, probesMarkdown, sends } from '../../../agent/active/probe-docs.js';
import { loadProbes } from '../../../agent/active/probe-loader.js';

describe('probe documentation', () => {
  const probes = loadProbes();

  it('docs/probes.md is generated from signatures/probes (run npm run docs:probes after editing them)', () => {
    const committed = readFileSync(new URL('../../../docs/probes.md', import.meta.url), 'utf8');
    expect(committed).toBe(probesMarkdown(probes));
  });

  it('lists every probe with what it sends and why it is read-only', () => {
    const text = listProbesText(probes);
    for (const p of probes) {
      expect(text).toContain(`${p.id}  [${p.safe ? 'safe' : 'not safe'}`);
      expect(text).toContain(p.readOnly);
      expect(sends(p).length).toBeGreaterThan(0);
    }
    const s7 = sends(probes.find((p) => p.id === 's7-szl-identity')!);
    expect(s7[0]).toContain('hex 03 00 00 16 11 e0');
    expect(s7).toHaveLength(4);
  });
});
