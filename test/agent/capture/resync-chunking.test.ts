// A damaged capture reads the same however its bytes arrive: the packets kept and every skip
// counted after a corrupt stretch must not depend on where chunk boundaries fall (1 MiB file
// chunks, a pipe's small writes, the decode thread's slots).
import { describe, expect, it } from 'vitest';
import { CaptureStream } from '../../../agent/capture/capture-stream.js';
import type { PacketRef } from '../../../agent/capture/types.js';
import { type FrameRecord, writePcap, writePcapng } from '../../../scripts/lib/pcap-writer.js';
import { rng } from '../../../scripts/lib/xorshift.js';

function read(bytes: Uint8Array, chunk: number): { packets: string[]; skipped: Record<string, number> } {
  const packets: string[] = [];
  const stream = new CaptureStream('test', (p: PacketRef) =>
    packets.push(`${p.tsMs}:${p.iface}:${Buffer.from(p.data).toString('hex')}`),
  );
  for (let i = 0; i < bytes.length; i += chunk) stream.push(bytes.subarray(i, i + chunk));
  stream.end();
  return { packets, skipped: { ...stream.stats.skipped } };
}

/**
 * Packets of random bytes, some carrying what looks like a record header (a capture file sent over
 * the network, say): false starts that only the record after them can tell from a real one.
 */
function frames(rand: () => number, n: number): FrameRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const data = Buffer.from(
      Array.from({ length: 14 + Math.floor(rand() * 120) }, () => Math.floor(rand() * 256)),
    );
    if (rand() < 0.4 && data.length >= 30) {
      const at = Math.floor(rand() * (data.length - 28));
      const caplen = 1 + Math.floor(rand() * 200);
      data.writeUInt32LE(1_700_000_000 + i, at); // pcap: seconds; pcapng: could be a block type
      data.writeUInt32LE(Math.floor(rand() * 999_999), at + 4);
      data.writeUInt32LE(caplen, at + 8);
      data.writeUInt32LE(caplen + Math.floor(rand() * 4), at + 12);
      // A pcapng EPB header with a length that is a multiple of 4.
      if (rand() < 0.5) {
        data.writeUInt32LE(6, at);
        data.writeUInt32LE(32 + 4 * Math.floor(rand() * 40), at + 4);
      }
    }
    return { tsNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n, data };
  });
}

/** The file with a few random stretches overwritten: lengths, headers and payload alike. */
function damage(file: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(file);
  const stretches = 1 + Math.floor(rand() * 4);
  for (let s = 0; s < stretches; s++) {
    // Past the file header / section header, so that the file is still recognised.
    const at = 40 + Math.floor(rand() * (out.length - 48));
    const n = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < n && at + i < out.length; i++) out[at + i] = Math.floor(rand() * 256);
  }
  return out;
}

const CHUNKS = [1, 7, 16, 50, 333, 1379];

describe('resynchronising after damage', () => {
  for (const [name, write] of [
    ['classic pcap', (f: FrameRecord[]) => writePcap(f, { linkType: 1 })],
    ['pcapng', (f: FrameRecord[]) => writePcapng([{ interfaces: [{ linkType: 1 }], frames: f }])],
  ] as const) {
    it(`${name}: the same packets and skips for every chunk size`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const rand = rng(seed);
        const file = damage(write(frames(rand, 40)), rand);
        const whole = read(file, file.length);
        for (const chunk of CHUNKS)
          expect({ seed, chunk, ...read(file, chunk) }).toEqual({ seed, chunk, ...whole });
      }
    });
  }
});
