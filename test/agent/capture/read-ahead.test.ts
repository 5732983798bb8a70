import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../../agent/capture/read-ahead.js';
import { READ_AHEAD_MIN_CPUS, readCaptureFile } from '../../../agent/capture/read-file.js';
import type { PacketRef } from '../../../agent/capture/types.js';
import { type FrameRecord, writePcap, writePcapng } from '../../../scripts/lib/pcap-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'om-ahead-'));

/** Frames of varied sizes, so records straddle every chunk boundary somewhere. */
function frames(n: number): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (let i = 0; i < n; i++) {
    const data = Buffer.alloc(14 + ((i * 37) % 1500));
    data.writeUInt32BE(i, 0);
    data.fill(i & 0xff, 4);
    out.push({ tsNs: 1_700_000_000_000_000_000n + BigInt(i) * 1000n, data });
  }
  return out;
}

function packets(
  path: string,
  readAheadMinBytes: number,
  chunkBytes: number,
  readAheadHeadBytes = 0,
): string[] {
  const seen: string[] = [];
  readCaptureFile(path, (p: PacketRef) => seen.push(`${p.tsMs} ${Buffer.from(p.data).toString('hex')}`), {
    readAheadMinBytes,
    chunkBytes,
    readAheadHeadBytes,
    // Enough CPUs whatever this machine has: with fewer, readCaptureFile starts no thread.
    cpus: READ_AHEAD_MIN_CPUS,
  });
  return seen;
}

describe('read-ahead', () => {
  it('hands out exactly the bytes of the file, chunk by chunk, then null', () => {
    const path = join(dir, 'bytes.bin');
    const bytes = Buffer.alloc(10_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
    const ahead = new ReadAhead(path, 1024);
    const parts: Buffer[] = [];
    for (let chunk = ahead.next(); chunk !== null; chunk = ahead.next()) {
      expect(chunk.length).toBeLessThanOrEqual(1024);
      // Copied: a chunk is valid only until the next call.
      parts.push(Buffer.from(chunk));
    }
    expect(ahead.next()).toBeNull();
    ahead.close();
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });

  it('starts reading at the offset it is given', () => {
    const path = join(dir, 'offset.bin');
    const bytes = Buffer.alloc(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13) & 0xff;
    writeFileSync(path, bytes);
    const ahead = new ReadAhead(path, 1024, { startAt: 1500 });
    const parts: Buffer[] = [];
    for (let chunk = ahead.next(); chunk !== null; chunk = ahead.next()) parts.push(Buffer.from(chunk));
    ahead.close();
    expect(Buffer.concat(parts).equals(bytes.subarray(1500))).toBe(true);
  });

  it('gives the same packets as synchronous reads, pcap and pcapng, for any chunk size', () => {
    const pcap = join(dir, 'f.pcap');
    writeFileSync(pcap, writePcap(frames(400), { linkType: 1 }));
    const pcapng = join(dir, 'f.pcapng');
    writeFileSync(pcapng, writePcapng([{ interfaces: [{ linkType: 1 }], frames: frames(300) }]));
    for (const path of [pcap, pcapng]) {
      const sync = packets(path, Number.POSITIVE_INFINITY, 4096);
      expect(sync.length).toBeGreaterThan(100);
      // The head the caller reads itself while the thread starts: none, one ending inside a record
      // and a chunk, several chunks, and the whole file.
      for (const chunk of [600, 4096, 65536]) {
        for (const head of [0, 1001, chunk * 3, 1 << 30]) expect(packets(path, 0, chunk, head)).toEqual(sync);
      }
    }
  });

  it('reports a file that cannot be read with its error code', () => {
    const ahead = new ReadAhead(join(dir, 'missing.pcap'), 1024);
    expect(() => ahead.next()).toThrow(/^ENOENT$/);
    ahead.close();
  });

  it('refuses to read a file other than the one the caller checked', () => {
    const path = join(dir, 'checked.bin');
    writeFileSync(path, Buffer.alloc(5000, 1));
    const real = statSync(path, { bigint: true });
    const same = new ReadAhead(path, 1024, { identity: { dev: real.dev, ino: real.ino } });
    expect(same.next()?.length).toBe(1024);
    same.close();
    const other = new ReadAhead(path, 1024, { identity: { dev: real.dev, ino: real.ino + 1n } });
    expect(() => other.next()).toThrow('the file was replaced while it was opened');
    other.close();
  });

  it('gives up with a clear error when the reader brings nothing', () => {
    // A FIFO without a writer: the reader's open blocks, as on a hung mount.
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const ahead = new ReadAhead(fifo, 1024, { stallMs: 300 });
    expect(() => ahead.next()).toThrow('no data from the reader thread in 300 ms');
    // Let the reader's open return (it then reads the end of the FIFO and exits).
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  });

  it('stops its reader when the parser fails, and the next file reads normally', () => {
    const path = join(dir, 'g.pcap');
    writeFileSync(path, writePcap(frames(2000), { linkType: 1 }));
    let n = 0;
    expect(() =>
      readCaptureFile(
        path,
        () => {
          if (++n === 10) throw new Error('handler failed');
        },
        { readAheadMinBytes: 0, chunkBytes: 4096, cpus: READ_AHEAD_MIN_CPUS },
      ),
    ).toThrow('handler failed');
    expect(packets(path, 0, 4096)).toHaveLength(2000);
  });

  it('names the file in one line when it is not a capture', () => {
    const path = join(dir, 'notes.pcap');
    writeFileSync(path, 'this is a text file, not a capture\n'.repeat(100));
    expect(() =>
      readCaptureFile(path, () => {}, { readAheadMinBytes: 0, cpus: READ_AHEAD_MIN_CPUS }),
    ).toThrow(`${path}: not a pcap or pcapng capture`);
  });
});
