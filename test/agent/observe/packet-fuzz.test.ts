// Hostile frames through the whole passive path: random and mutated frames of every link type go
// through the engine; only decoder errors may occur, and those are counted, never thrown.
import { describe, expect, it } from 'vitest';
import { PacketRef } from '../../../agent/capture/types.js';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import { buildInventory } from '../../../agent/observe/inventory-builder.js';
import { PassiveEngine } from '../../../agent/observe/passive-engine.js';
import { privateRanges } from '../../../core/net/cidr.js';
import { allFixtureFrames } from '../../../scripts/fixtures/index.js';
import { relink } from '../../../scripts/lib/link-types.js';
import { rng } from '../../../scripts/lib/xorshift.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 40);
// A round takes ~10 ms here: a longer run by FUZZ_ITERATIONS gets the time it needs (the suite's
// 30 s would fail the README's 20,000-round run on time alone, after it had run to the end).
const LONG_RUN = { timeout: Math.max(30_000, ITERATIONS * 100) };
const LINK_TYPES = [1, 113, 276, 101, 228, 229, 0];

describe('packet fuzz', () => {
  it('survives mutated and random frames on every link type', LONG_RUN, () => {
    const rand = rng(Number(process.env.FUZZ_SEED ?? 0xf00d));
    const frames = allFixtureFrames();
    for (const linkType of LINK_TYPES) {
      const engine = new PassiveEngine({
        homeNets: privateRanges(),
        decoders: APP_DECODERS,
        maxFlows: 64,
        streamBuffers: 8,
      });
      const pkt = new PacketRef();
      pkt.linkType = linkType;
      for (let round = 0; round < ITERATIONS; round++) {
        for (const f of frames) {
          const base = relink(f.data, linkType);
          if (!base) continue;
          const data = Uint8Array.from(base);
          const edits = 1 + Math.floor(rand() * 4);
          for (let e = 0; e < edits; e++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
          const cut = rand() < 0.2 ? Math.floor(rand() * data.length) : data.length;
          pkt.buf = data;
          pkt.offset = 0;
          pkt.caplen = cut;
          pkt.origLen = data.length;
          pkt.tsMs = Number(f.tsNs / 1_000_000n) + round * 1000;
          engine.onPacket(pkt);
        }
        const random = Uint8Array.from({ length: Math.floor(rand() * 120) }, () => Math.floor(rand() * 256));
        pkt.buf = random;
        pkt.caplen = random.length;
        engine.onPacket(pkt);
      }
      engine.finish();
      expect(() =>
        buildInventory(engine.store, engine.connections, { identifier: null, geo: null }),
      ).not.toThrow();
      expect(engine.packets).toBeGreaterThan(0);
    }
  });
});
