// A damaged capture reads the same however its bytes arrive: the packets kept and every skip
// counted after a corrupt stretch must not depend on where chunk boundaries fall (1 MiB file
// chunks, a pipe's small writes, the decode thread's slots).
import { describe, expect, it, vi } from 'vitest';
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

  it('keeps the last record after a corrupt header: a false start running past the end is not taken', () => {
    // A record header claiming 4 GB, then one good record. Scanning on from the bad header, the
    // bytes at offset 15 (its last byte and the good header's first twelve) read as a header of a
    // 12 KB record whose next header never comes: taken at the end of the stream, it hid the good
    // record at offset 16 (0 packets, truncated_record).
    const frame = Buffer.from('ffffffffffff001b1b0102030800', 'hex');
    const good = writePcap([{ tsNs: 1_600_000_000_000_000_000n, data: frame }], { linkType: 1 });
    const bad = Buffer.alloc(16, 0xff);
    bad.writeUInt32LE(1_600_000_000, 0);
    bad.writeUInt32LE(0, 4);
    const file = Buffer.concat([good.subarray(0, 24), bad, good.subarray(24)]);
    for (const chunk of [file.length, ...CHUNKS]) {
      const { packets, skipped } = read(file, chunk);
      expect({ chunk, packets: packets.length, skipped }).toEqual({
        chunk,
        packets: 1,
        skipped: { oversized_record: 1, corrupt_bytes: 16, resync: 1 },
      });
    }
  });

  it('copies each pending byte a bounded number of times, however the bytes arrive', () => {
    // After a corrupt length, junk with a believable record header every 32 bytes, each claiming
    // ~200 KB and followed by an impossible one: every candidate waits for its ~200 KB, is refused,
    // and the next one 32 bytes on waits again. The tail under scan once moved to a fresh buffer at
    // each refusal (by count ~13 GB for these 2 MB fed a byte at a time; it took 10.5 s); it now
    // stays in place.
    const caplen = 199_968;
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65_535, 16);
    header.writeUInt32LE(1, 20);
    const corrupt = Buffer.alloc(16, 0xff);
    corrupt.writeUInt32LE(1_700_000_000, 0);
    corrupt.writeUInt32LE(0, 4);
    const period = Buffer.alloc(32, 0xff);
    period.writeUInt32LE(1_700_000_000, 0);
    period.writeUInt32LE(0, 4);
    period.writeUInt32LE(caplen, 8);
    period.writeUInt32LE(caplen, 12);
    const junk = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < junk.length; i += 32) period.copy(junk, i);
    const file = Buffer.concat([header, corrupt, junk]);
    const whole = read(file, file.length);
    expect(whole.skipped.corrupt_bytes).toBeGreaterThan(1_000_000);
    let copied = 0;
    const set = Uint8Array.prototype.set;
    const spy = vi.spyOn(Uint8Array.prototype, 'set').mockImplementation(function (
      this: Uint8Array,
      src: ArrayLike<number>,
      at?: number,
    ) {
      copied += src.length;
      set.call(this, src, at);
    });
    try {
      for (const chunk of [1, 7, 4096]) {
        copied = 0;
        expect(read(file, chunk)).toEqual(whole);
        expect(copied).toBeLessThan(4 * file.length);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
