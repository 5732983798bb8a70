// Writes the benchmark capture: `node dist/scripts/bench/generate-capture.js <out.pcap> [MB]`.
// Classic pcap, microsecond, little-endian (what p0f, tcpdump, tshark and pcap-parser all read).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { FrameRecord } from '../lib/pcap-writer.js';
import { buildNetwork, conversation, Rng } from './traffic-mix.js';

/**
 * Bumped whenever the mix changes, so a stale bench-data file is not reused. 2: bigger SMB reads
 * (~600 B average frame). 3: ~45 % of frames 802.1Q-tagged, as the issue asks (2 had 67.5 %).
 */
export const BENCH_MIX_VERSION = 3;
const HOSTS = 4000;
/** Conversations in progress at once: their frames interleave like on a real mirror port. */
const CONCURRENT = 3000;

export function generateBenchCapture(
  path: string,
  targetBytes: number,
  seed = 20261123,
): { frames: number; bytes: number } {
  const rng = new Rng(seed);
  const net = buildNetwork(rng, HOSTS);
  const fd = openSync(path, 'w');
  const out = Buffer.alloc(8 * 1024 * 1024);
  let used = 0;
  const flush = () => {
    writeSync(fd, out, 0, used);
    used = 0;
  };
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(262144, 16);
  out.writeUInt32LE(1, 20);
  used = 24;
  let written = 24;
  let frames = 0;
  let seq = 0;
  let tsUs = 1_763_856_000_000_000; // 2025-11-23T00:00:00Z
  const active: { frames: FrameRecord[]; next: number }[] = [];
  while (written < targetBytes) {
    while (active.length < CONCURRENT) active.push({ frames: conversation(rng, net, seq++), next: 0 });
    const slot = rng.int(active.length);
    const conv = active[slot]!;
    const f = conv.frames[conv.next++]!;
    if (conv.next >= conv.frames.length) {
      active[slot] = active[active.length - 1]!;
      active.pop();
    }
    tsUs += 1 + rng.int(400);
    if (used + 16 + f.data.length > out.length) flush();
    out.writeUInt32LE(Math.floor(tsUs / 1e6), used);
    out.writeUInt32LE(tsUs % 1e6, used + 4);
    out.writeUInt32LE(f.data.length, used + 8);
    out.writeUInt32LE(f.data.length, used + 12);
    out.set(f.data, used + 16);
    used += 16 + f.data.length;
    written += 16 + f.data.length;
    frames++;
  }
  flush();
  closeSync(fd);
  return { frames, bytes: written };
}

if (process.argv[1]?.endsWith('generate-capture.js')) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: generate-capture <out.pcap> [megabytes=1024]\n');
    process.exit(2);
  }
  const mb = Number(process.argv[3] ?? 1024);
  const t = performance.now();
  const r = generateBenchCapture(path, mb * 1024 * 1024);
  process.stderr.write(
    `${path}: ${r.frames} frames, ${(r.bytes / 1e6).toFixed(0)} MB, average frame ${Math.round(r.bytes / r.frames - 16)} B, ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
}
