// The decoder contract under hostile input: random and mutated bytes through every registered
// decoder; sniff never throws, decode throws only DecodeError/TruncatedError, observe never throws.
// FUZZ_ITERATIONS raises the count for a longer run; FUZZ_SEED replays one.
import { describe, expect, it } from 'vitest';
import { isDecoderError } from '../../../agent/decode/errors.js';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import type { AppContext, AppDecoder } from '../../../agent/decode/types.js';
import { rng } from '../../../scripts/lib/xorshift.js';
import { ctx, loadSeeds, RecordingEmitter } from './helpers.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
// A longer run by FUZZ_ITERATIONS gets the time it needs, not the suite's 30 s.
const LONG_RUN = { timeout: Math.max(30_000, ITERATIONS * 2) };

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const out = Uint8Array.from(input);
  const edits = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < edits && out.length; i++) {
    const at = Math.floor(rand() * out.length);
    const op = rand();
    if (op < 0.5) out[at] = Math.floor(rand() * 256);
    else if (op < 0.7) out[at] = rand() < 0.5 ? 0xff : 0x00;
    else if (op < 0.85) out[at] = (out[at]! + (rand() < 0.5 ? 1 : -1)) & 0xff;
    else return out.subarray(0, at); // truncation
  }
  return out;
}

function exercise(decoder: AppDecoder, bytes: Uint8Array, c: AppContext): void {
  const sniffed = decoder.sniff(bytes, c);
  expect(typeof sniffed).toBe('boolean');
  let pdu: unknown;
  try {
    pdu = decoder.decode(bytes, c);
  } catch (err) {
    if (isDecoderError(err)) return;
    throw new Error(`${decoder.id}: decode threw ${String(err)} on ${Buffer.from(bytes).toString('hex')}`);
  }
  decoder.observe(pdu, c, new RecordingEmitter());
}

describe('decoder fuzz contract', async () => {
  const seeds = await loadSeeds();

  it('has seeds for every registered decoder and no seeds for unknown ones', () => {
    const ids = APP_DECODERS.map((d) => d.id);
    expect([...seeds.keys()].filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id) => !seeds.get(id)?.length)).toEqual([]);
  });

  for (const decoder of APP_DECODERS) {
    it(`${decoder.id}: random and mutated input raise only decoder errors`, LONG_RUN, () => {
      const rand = rng(SEED ^ decoder.id.length);
      const own = seeds.get(decoder.id) ?? [];
      for (let i = 0; i < ITERATIONS; i++) {
        for (const transport of decoder.transports) {
          const random = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
          exercise(decoder, random, ctx(transport));
        }
        for (const seed of own) exercise(decoder, mutate(seed.bytes, rand), ctx(seed.transport, seed.ctx));
      }
    });
  }
});
