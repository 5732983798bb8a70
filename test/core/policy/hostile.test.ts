// Hostile input: mutated policy files, analyze documents and signed reports raise only their own
// clear errors (PolicyError, InputError, SignatureError), never a crash or a silent pass.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policiesDir, policyFromText } from '../../../core/policy/packs.js';
import { PolicyError } from '../../../core/policy/types.js';
import { InputError, parseAnalyzeDocument } from '../../../core/report/analyze-input.js';
import {
  generateSigningKeys,
  loadPrivateKey,
  loadPublicKey,
  SignatureError,
  signDocument,
  verifyDocument,
} from '../../../core/report/signing.js';
import { generateInventory } from '../../../scripts/lib/inventory-gen.js';
import { rng } from '../../../scripts/lib/xorshift.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);
// ~1.3 ms a round for policy packs here: a longer run by FUZZ_ITERATIONS gets the time it needs.
const LONG_RUN = { timeout: Math.max(30_000, ITERATIONS * 5) };

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '\n',
  '  ',
  '*a',
  '&a ',
  '!!js/function ',
  '"',
  "'",
  '#',
  '\t',
  '\u0000',
  '~',
  'null',
  '1e999',
  '(a+)+',
  '{x}',
];

function mutateText(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * out.length);
    const op = rand();
    if (op < 0.4) out = out.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 20));
    else if (op < 0.85) out = out.slice(0, at);
    else out = out.slice(0, at) + String.fromCharCode(Math.floor(rand() * 128)) + out.slice(at + 1);
  }
  return out;
}

describe('hostile input', () => {
  it('mutated policy packs load or fail with PolicyError and file:line problems', LONG_RUN, () => {
    const rand = rng(0x51);
    const text = readFileSync(`${policiesDir()}/jp-espa.yaml`, 'utf8');
    let failed = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const bad = mutateText(text, rand);
      try {
        policyFromText(bad, 'mutant.yaml');
      } catch (err) {
        if (!(err instanceof PolicyError)) throw new Error(`non-policy error ${String(err)} on:\n${bad}`);
        for (const p of err.problems)
          expect(p).toMatch(/^(mutant\.yaml:\d+: |.*\.yaml:\d+: |unknown policy pack|extends cycle)/);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(ITERATIONS / 4);
  });

  it('mutated analyze documents parse or fail with InputError', LONG_RUN, () => {
    const rand = rng(0x52);
    const text = JSON.stringify(generateInventory({ seed: 2, devices: 3 }));
    for (let i = 0; i < ITERATIONS; i++) {
      const bad = mutateText(text, rand);
      try {
        parseAnalyzeDocument(bad);
      } catch (err) {
        if (!(err instanceof InputError)) throw new Error(`non-input error ${String(err)} on:\n${bad}`);
      }
    }
  });

  it('mutated signed reports never verify and fail with SignatureError', LONG_RUN, () => {
    const rand = rng(0x53);
    const keys = generateSigningKeys();
    const signed = signDocument({ schema: 'x', a: [1, 2, { b: 'ドイツ' }] }, loadPrivateKey(keys.privatePem));
    const pub = loadPublicKey(keys.publicPem);
    for (let i = 0; i < ITERATIONS; i++) {
      const bad = mutateText(signed, rand);
      if (bad === signed) continue;
      expect(() => verifyDocument(Buffer.from(bad), pub)).toThrow(SignatureError);
    }
  });
});
