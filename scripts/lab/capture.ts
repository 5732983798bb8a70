// Captures what crosses the lab bridge (tcpdump, Debian package) and reads it back: the scope and
// rate-limit tests check the scanner against the wire, not against its own bookkeeping.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Frame {
  /** Seconds since the epoch (µs precision). */
  ts: number;
  srcMac: string;
  ethertype: number;
  /** IPv4 source and destination, or ARP sender and target protocol addresses. */
  src: string | null;
  dst: string | null;
  arp: boolean;
  /** IPv4 protocol number (6 TCP, 17 UDP, 2 IGMP…), null for other frames. */
  proto: number | null;
}

export interface Capture {
  stop(): Promise<Frame[]>;
}

/** Starts tcpdump on `iface` (root); resolves once it is listening. */
export async function startCapture(iface: string): Promise<Capture> {
  const dir = mkdtempSync(join(tmpdir(), 'originmap-capture-'));
  const file = join(dir, 'bridge.pcap');
  // -U: write each packet at once; -s 96: headers are all the tests read; -n: no name lookups.
  const child: ChildProcess = spawn('tcpdump', ['-i', iface, '-n', '-U', '-s', '96', '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}): ${err.trim()}`));
    });
  });
  return {
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
      const frames = readPcap(readFileSync(file));
      rmSync(dir, { recursive: true, force: true });
      return frames;
    },
  };
}

/** Classic pcap (either byte order, µs or ns), Ethernet link type only. */
export function readPcap(buf: Buffer): Frame[] {
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error('not a pcap file');
  const nano = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (u32(20) !== 1) throw new Error(`link type ${u32(20)} is not Ethernet`);
  const frames: Frame[] = [];
  for (let pos = 24; pos + 16 <= buf.length; ) {
    const ts = u32(pos) + u32(pos + 4) / (nano ? 1e9 : 1e6);
    const len = u32(pos + 8);
    const d = buf.subarray(pos + 16, pos + 16 + len);
    pos += 16 + len;
    if (d.length < 14) continue;
    const srcMac = [...d.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    const ethertype = d.readUInt16BE(12);
    const ip4 = (o: number) => (d.length >= o + 4 ? [...d.subarray(o, o + 4)].join('.') : null);
    if (ethertype === 0x0800) {
      frames.push({ ts, srcMac, ethertype, src: ip4(26), dst: ip4(30), arp: false, proto: d[23] ?? null });
    } else if (ethertype === 0x0806) {
      frames.push({ ts, srcMac, ethertype, src: ip4(28), dst: ip4(38), arp: true, proto: null });
    } else frames.push({ ts, srcMac, ethertype, src: null, dst: null, arp: false, proto: null });
  }
  return frames;
}

/** Most frames in any window of `seconds` (a window starts at each frame). */
export function maxPerWindow(frames: readonly Frame[], seconds = 1): number {
  const ts = frames.map((f) => f.ts).sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < ts.length; i++) {
    while (ts[i]! - ts[j]! >= seconds) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
