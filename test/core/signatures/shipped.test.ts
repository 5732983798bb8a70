// The compiled signatures (dist/signatures.json) must identify exactly as the YAML they come from.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVendorCatalog } from '../../../core/catalog/load-vendors.js';
import { loadRules } from '../../../core/identify/rules/load-rules.js';
import { sourceHash, writeCompiledSignatures } from '../../../core/signatures/shipped.js';

describe('compiled signatures', () => {
  it('round-trip every rule, vendor and provider, and carry the hash of their sources', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'om-sig-')), 'signatures.json');
    const counts = writeCompiledSignatures(path);
    const data = JSON.parse(readFileSync(path, 'utf8'));
    expect(data.sourceHash).toBe(sourceHash());
    const catalog = loadVendorCatalog();
    const rules = loadRules(undefined, { catalog });
    expect(counts).toEqual({
      rules: rules.rules().length,
      vendors: catalog.all().length,
      providers: data.providers.length,
    });
    // Same rule, same matching: every compiled pattern with its flags matches every example of its rule.
    const byRef = new Map(data.rules.map((r: { ref: string }) => [r.ref, r]));
    for (const rule of rules.rules()) {
      const stored = byRef.get(rule.ref) as {
        pattern: string | null;
        flags: string;
        params: unknown;
        exact: string | null;
      };
      expect(stored, rule.ref).toBeDefined();
      expect(stored.params).toEqual(rule.params);
      expect(stored.exact).toEqual(rule.exact);
      if (stored.pattern !== null) {
        const re = new RegExp(stored.pattern, stored.flags);
        for (const ex of rule.examples) expect(re.test(ex.value), `${rule.ref}: ${ex.value}`).toBe(true);
      }
    }
  });

  it('changes its source hash when any signature file changes', () => {
    const before = sourceHash();
    expect(sourceHash()).toBe(before);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
  });
});
