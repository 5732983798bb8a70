// readCaptureFile's choice of reader: a read-ahead thread only for a large regular file and when a
// CPU is left to run it; the same packets either way.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as readAhead from '../../../agent/capture/read-ahead.js';
import {
  READ_AHEAD_MIN_BYTES,
  READ_AHEAD_MIN_CPUS,
  readCaptureFile,
  readsAhead,
} from '../../../agent/capture/read-file.js';
import type { PacketRef } from '../../../agent/capture/types.js';
import { type FrameRecord, writePcap } from '../../../scripts/lib/pcap-writer.js';

// The ReadAhead class wrapped in a spy, so that a test sees whether a thread was started.
vi.mock('../../../agent/capture/read-ahead.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../agent/capture/read-ahead.js')>();
  const ReadAhead = vi.fn(function (this: unknown, ...args: ConstructorParameters<typeof real.ReadAhead>) {
    return new real.ReadAhead(...args);
  });
  return { ...real, ReadAhead };
});

const dir = mkdtempSync(join(tmpdir(), 'om-readfile-'));

function frames(n: number): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (let i = 0; i < n; i++) {
    const data = Buffer.alloc(60 + ((i * 53) % 1400), i & 0xff);
    data.writeUInt32BE(i, 0);
    out.push({ tsNs: 1_700_000_000_000_000_000n + BigInt(i) * 1000n, data });
  }
  return out;
}

function packets(path: string, cpus: number): string[] {
  const seen: string[] = [];
  readCaptureFile(path, (p: PacketRef) => seen.push(`${p.tsMs} ${Buffer.from(p.data).toString('hex')}`), {
    readAheadMinBytes: 0,
    readAheadHeadBytes: 0,
    chunkBytes: 4096,
    cpus,
  });
  return seen;
}

afterEach(() => {
  vi.mocked(readAhead.ReadAhead).mockClear();
});

describe('readsAhead', () => {
  it('reads ahead only a regular file of the minimum size, with a CPU left for the reader', () => {
    expect(READ_AHEAD_MIN_CPUS).toBe(3);
    expect(readsAhead(true, READ_AHEAD_MIN_BYTES, { cpus: 3 })).toBe(true);
    expect(readsAhead(true, READ_AHEAD_MIN_BYTES - 1, { cpus: 3 })).toBe(false);
    expect(readsAhead(false, READ_AHEAD_MIN_BYTES, { cpus: 3 })).toBe(false);
    expect(readsAhead(true, 10, { cpus: 8, readAheadMinBytes: 10 })).toBe(true);
    // One CPU (taskset -c 0) and two (this bench's VM): the parser reads.
    expect(readsAhead(true, READ_AHEAD_MIN_BYTES, { cpus: 1 })).toBe(false);
    expect(readsAhead(true, READ_AHEAD_MIN_BYTES, { cpus: 2 })).toBe(false);
    expect(readsAhead(true, Number.MAX_SAFE_INTEGER, { cpus: 1, readAheadMinBytes: 0 })).toBe(false);
  });

  it('asks the affinity mask when it is not told the CPUs', () => {
    expect(readsAhead(true, READ_AHEAD_MIN_BYTES, {})).toBe(availableParallelism() >= READ_AHEAD_MIN_CPUS);
  });
});

describe('readCaptureFile', () => {
  it('starts a read-ahead thread only with enough CPUs, and gives the same packets', () => {
    const path = join(dir, 'f.pcap');
    writeFileSync(path, writePcap(frames(500), { linkType: 1 }));
    const one = packets(path, 1);
    const two = packets(path, 2);
    expect(readAhead.ReadAhead).not.toHaveBeenCalled();
    const more = packets(path, READ_AHEAD_MIN_CPUS);
    expect(readAhead.ReadAhead).toHaveBeenCalledTimes(1);
    expect(one).toHaveLength(500);
    expect(two).toEqual(one);
    expect(more).toEqual(one);
  });
});
