import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureStream } from '../../../agent/capture/capture-stream.js';
import { readCaptureFile } from '../../../agent/capture/read-file.js';
import { CaptureFormatError, type PacketRef } from '../../../agent/capture/types.js';
import { type FrameRecord, writePcap, writePcapng } from '../../../scripts/lib/pcap-writer.js';

interface Seen {
  ts: number;
  linkType: number;
  iface: number;
  bytes: string;
  origLen: number;
}

function read(bytes: Uint8Array, chunk = bytes.length): { seen: Seen[]; stream: CaptureStream } {
  const seen: Seen[] = [];
  const stream = new CaptureStream('test', (p: PacketRef) =>
    seen.push({
      ts: p.tsMs,
      linkType: p.linkType,
      iface: p.iface,
      bytes: Buffer.from(p.data).toString('hex'),
      origLen: p.origLen,
    }),
  );
  for (let i = 0; i < bytes.length; i += chunk) stream.push(bytes.subarray(i, i + chunk));
  stream.end();
  return { seen, stream };
}

const frames: FrameRecord[] = [
  { tsNs: 1_700_000_000_123_456_789n, data: Buffer.from('aabbccddeeff00112233445508004500', 'hex') },
  { tsNs: 1_700_000_001_000_000_001n, data: Buffer.from('0102030405060708', 'hex'), origLen: 1500 },
  { tsNs: 1_700_000_002_999_999_999n, data: Buffer.alloc(300, 7) },
];

describe('classic pcap', () => {
  for (const bigEndian of [false, true]) {
    it(`reads microsecond pcap (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const { seen, stream } = read(writePcap(frames, { linkType: 1, bigEndian }));
      expect(stream.kind).toBe('pcap');
      expect(seen.map((s) => s.ts)).toEqual([
        1_700_000_000_123.456, 1_700_000_001_000, 1_700_000_002_999.999,
      ]);
      expect(seen[1]).toMatchObject({ linkType: 1, bytes: '0102030405060708', origLen: 1500 });
      expect(stream.stats).toMatchObject({ packets: 3, skipped: {} });
    });
    it(`reads nanosecond pcap (${bigEndian ? 'big' : 'little'}-endian) (a double holds ns to about 0.25 µs)`, () => {
      const { seen } = read(writePcap(frames, { linkType: 113, nanosecond: true, bigEndian }));
      expect(seen[0]!.ts - 1_700_000_000_123).toBeCloseTo(0.456789, 3);
      expect(seen[2]!.ts - 1_700_000_002_999).toBeCloseTo(0.999999, 3);
      expect(seen[0]!.linkType).toBe(113);
    });
  }

  it('gives the same packets however the bytes are chunked', () => {
    const file = writePcap(frames, { linkType: 1 });
    const whole = read(file).seen;
    for (const chunk of [1, 3, 17, 40, 64]) expect(read(file, chunk).seen).toEqual(whole);
  });

  it('counts a truncated last packet and keeps the others', () => {
    const file = writePcap(frames, { linkType: 1 });
    const { seen, stream } = read(file.subarray(0, file.length - 10));
    expect(seen).toHaveLength(2);
    expect(stream.stats.skipped).toEqual({ truncated_record: 1 });
  });

  it('skips a packet with an impossible timestamp and goes on', () => {
    const file = writePcap(frames, { linkType: 1 });
    file.writeUInt32LE(1_000_000, 24 + 4); // microseconds field of the first record
    const { seen, stream } = read(file);
    expect(seen).toHaveLength(2);
    expect(stream.stats.skipped.bad_timestamp).toBe(1);
  });

  it('resynchronises after a corrupt record length', () => {
    const many: FrameRecord[] = Array.from({ length: 6 }, (_, i) => ({
      tsNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
      data: Buffer.alloc(60, i + 1),
    }));
    const file = writePcap(many, { linkType: 1 });
    const second = 24 + 16 + 60;
    file.writeUInt32LE(0x7fffffff, second + 8); // caplen of record 2
    const { seen, stream } = read(file, 50);
    expect(seen.map((s) => s.bytes.slice(0, 2))).toEqual(['01', '03', '04', '05', '06']);
    expect(stream.stats.skipped.oversized_record).toBe(1);
    expect(stream.stats.skipped.resync).toBe(1);
  });

  it('keeps caplen > origLen packets as an anomaly', () => {
    const file = writePcap([{ tsNs: 1_700_000_000_000_000_000n, data: Buffer.alloc(20), origLen: 10 }], {
      linkType: 1,
    });
    const { seen, stream } = read(file);
    expect(seen[0]!.origLen).toBe(20);
    expect(stream.stats.skipped.anomaly_caplen_exceeds_len).toBe(1);
  });
});

describe('pcapng', () => {
  it('reads several sections with their own byte order, interfaces, link types and resolutions', () => {
    const file = writePcapng([
      {
        interfaces: [{ linkType: 1 }, { linkType: 113, tsresol: 9 }],
        frames: [frames[0]!, { ...frames[1]!, iface: 1 }],
        unknownBlock: true,
      },
      { interfaces: [{ linkType: 276, tsresol: 3 }], frames: [frames[2]!], bigEndian: true },
    ]);
    const { seen, stream } = read(file);
    expect(stream.kind).toBe('pcapng');
    expect(seen.map((s) => [s.linkType, s.iface])).toEqual([
      [1, 0],
      [113, 1],
      [276, 0],
    ]);
    expect(seen[0]!.ts).toBeCloseTo(1_700_000_000_123.456, 3);
    expect(seen[1]!.ts - 1_700_000_001_000).toBeCloseTo(0.000001, 3);
    expect(seen[2]!.ts).toBe(1_700_000_002_999);
    expect(seen[1]!.origLen).toBe(1500);
    expect(stream.stats.skipped).toEqual({});
  });

  it('reads simple packet blocks (no timestamp: 0)', () => {
    const { seen } = read(
      writePcapng([{ interfaces: [{ linkType: 1, snapLen: 16 }], frames, simple: true }]),
    );
    expect(seen.map((s) => s.bytes.length / 2)).toEqual([16, 8, 16]);
    expect(seen.every((s) => s.ts === 0)).toBe(true);
  });

  it('reads the obsolete Packet Block and power-of-two resolutions', () => {
    const shb = writePcapng([{ interfaces: [], frames: [] }]);
    // IDB with if_tsresol = 2^-10 (MSB set).
    const idb = block(
      1,
      Buffer.concat([u16(1), u16(0), u32(0), u16(9), u16(1), Buffer.from([0x8a, 0, 0, 0]), u32(0)]),
    );
    const ts = 1024 * 1_700_000_000; // seconds in 1/1024 units
    const pb = block(
      2,
      Buffer.concat([
        u16(0),
        u16(0),
        u32(Math.floor(ts / 2 ** 32)),
        u32(ts % 2 ** 32),
        u32(4),
        u32(4),
        Buffer.from('cafebabe', 'hex'),
      ]),
    );
    const { seen } = read(Buffer.concat([shb, idb, pb]));
    expect(seen).toEqual([{ ts: 1_700_000_000_000, linkType: 1, iface: 0, bytes: 'cafebabe', origLen: 4 }]);
  });

  it('skips a block with a bad trailer and one for an unknown interface, and goes on', () => {
    const good = writePcapng([{ interfaces: [{ linkType: 1 }], frames }]);
    const bad = Buffer.from(good);
    // First EPB starts after SHB (28) and IDB (20); corrupt its trailing length.
    const epbLen = bad.readUInt32LE(48 + 4);
    bad.writeUInt32LE(epbLen + 4, 48 + epbLen - 4);
    const r1 = read(bad);
    expect(r1.seen).toHaveLength(2);
    expect(r1.stream.stats.skipped.bad_block_trailer).toBe(1);
    const wrongIface = Buffer.from(good);
    wrongIface.writeUInt32LE(5, 48 + 8);
    const r2 = read(wrongIface);
    expect(r2.seen).toHaveLength(2);
    expect(r2.stream.stats.skipped.unknown_interface).toBe(1);
  });

  it('resynchronises after an impossible block length', () => {
    const file = Buffer.from(writePcapng([{ interfaces: [{ linkType: 1 }], frames }]));
    file.writeUInt32LE(13, 48 + 4); // not a multiple of 4
    const { seen, stream } = read(file, 7);
    expect(seen).toHaveLength(2);
    expect(stream.stats.skipped.bad_record_length).toBe(1);
    expect(stream.stats.skipped.resync).toBe(1);
  });

  it('gives the same packets however the bytes are chunked', () => {
    const file = writePcapng([
      {
        interfaces: [{ linkType: 1 }, { linkType: 228, tsresol: 9 }],
        frames: frames.map((f, i) => ({ ...f, iface: i % 2 })),
      },
    ]);
    const whole = read(file).seen;
    for (const chunk of [1, 5, 13, 64]) expect(read(file, chunk).seen).toEqual(whole);
  });
});

describe('not a capture', () => {
  it('names the file in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-cap-'));
    const text = join(dir, 'notes.pcap');
    writeFileSync(text, 'this is a text file, not a capture\n');
    expect(() => readCaptureFile(text, () => {})).toThrow(
      new CaptureFormatError(`${text}: not a pcap or pcapng capture (unrecognised magic bytes)`),
    );
    const empty = join(dir, 'empty.pcapng');
    writeFileSync(empty, '');
    expect(() => readCaptureFile(empty, () => {})).toThrow(/empty file/);
    expect(() => readCaptureFile(join(dir, 'missing.pcap'), () => {})).toThrow(/cannot open \(ENOENT\)/);
    expect(() => readCaptureFile(dir, () => {})).toThrow(/cannot read \(EISDIR\)/);
  });

  it('rejects a pcap header of an unknown version', () => {
    const file = writePcap(frames, { linkType: 1 });
    file.writeUInt16LE(3, 4);
    expect(() => read(file)).toThrow(/unsupported pcap version 3/);
  });
});

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  return Buffer.concat([u32(type), u32(padded.length + 12), padded, u32(padded.length + 12)]);
}
