// AppDecoder.firstBytes against its sniff: the dispatcher never calls sniff for bytes starting
// otherwise, so a byte missing from a list would lose that decoder's traffic. Every seed of every
// decoder, with each first byte the list leaves out, in the seeds' contexts and on the decoder's
// own ports from either side, must be refused.
import { describe, expect, it } from 'vitest';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import type { AppContext, AppDecoder } from '../../../agent/decode/types.js';
import { rng } from '../../../scripts/lib/xorshift.js';
import { ctx, type FuzzSeed, loadSeeds } from './helpers.js';

/** The seeds' own contexts, and the decoder's ports as sender or receiver, each way a connection may go. */
function contexts(d: AppDecoder, seeds: readonly FuzzSeed[]): AppContext[] {
  const out: AppContext[] = [];
  for (const s of seeds) if (d.transports.includes(s.transport)) out.push(ctx(s.transport, s.ctx));
  for (const transport of d.transports) {
    if (transport === 'link') continue;
    for (const port of d.ports) {
      for (const fromClient of transport === 'tcp' ? [true, false, null] : [null]) {
        const base = ctx(transport);
        out.push({ ...base, fromClient, src: { ...base.src, port }, dst: { ...base.dst, port: 50000 } });
        out.push({ ...base, fromClient, src: { ...base.src, port: 50000 }, dst: { ...base.dst, port } });
      }
    }
  }
  return out;
}

describe('first bytes a sniff accepts', async () => {
  const seeds = await loadSeeds();
  const all = [...seeds.values()].flat();
  const rand = rng(0xf1257);
  const random = Array.from({ length: 40 }, () =>
    Uint8Array.from({ length: 8 + Math.floor(rand() * 120) }, () => Math.floor(rand() * 256)),
  );

  for (const d of APP_DECODERS.filter((x) => x.firstBytes)) {
    it(`${d.id}: refuses bytes that start with a byte its list leaves out`, () => {
      const listed = new Set(d.firstBytes);
      expect(listed.size).toBeGreaterThan(0);
      for (const b of listed) expect(Number.isInteger(b) && b >= 0 && b <= 0xff).toBe(true);
      const inputs = [...all.map((s) => s.bytes), ...random];
      const accepted: string[] = [];
      for (const c of contexts(d, all)) {
        for (const input of inputs) {
          if (input.length === 0) continue;
          const bytes = Uint8Array.from(input);
          for (let b = 0; b < 256; b++) {
            if (listed.has(b)) continue;
            bytes[0] = b;
            if (d.sniff(bytes, c))
              accepted.push(`0x${b.toString(16)} ${Buffer.from(bytes.subarray(0, 8)).toString('hex')}`);
          }
        }
      }
      expect(accepted).toEqual([]);
    });

    it(`${d.id}: lists the first byte of each of its seeds it sniffs`, () => {
      for (const s of seeds.get(d.id) ?? []) {
        if (s.bytes.length && d.sniff(s.bytes, ctx(s.transport, s.ctx)))
          expect(d.firstBytes).toContain(s.bytes[0]);
      }
    });
  }
});
