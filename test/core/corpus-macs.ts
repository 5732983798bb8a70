// Test helper: Ethernet source MACs and IPv4 destinations of a capture file, for checks against
// the shared corpus.
// Reads classic pcap (libpcap 2.4, either byte order, us or ns) and pcapng (SHB/IDB/EPB/SPB,
// pcapng spec §4); only Ethernet (link type 1) frames are used. Test code, not the agent's reader.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared corpus next to the repository (../shared/corpus), or null when absent. */
export function corpusDir(): string | null {
  const dir = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
  return existsSync(join(dir, 'MANIFEST.md')) ? dir : null;
}

function hexMac(b: Uint8Array, at: number): string {
  return [...b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export interface CaptureAddresses {
  /** Ethernet source MACs. */
  macs: Set<string>;
  /** IPv4 destinations of Ethernet frames carrying IPv4 (EtherType 0x0800), dotted quads. */
  ipv4Destinations: Set<string>;
}

export function sourceMacs(file: string): Set<string> {
  return addresses(file).macs;
}

export function addresses(file: string): CaptureAddresses {
  const b = readFileSync(file);
  const macs = new Set<string>();
  const ipv4Destinations = new Set<string>();
  const frame = (linkType: number, at: number, len: number) => {
    if (linkType !== 1 || len < 14 || at + 14 > b.length) return;
    macs.add(hexMac(b, at + 6));
    if (b.readUInt16BE(at + 12) === 0x0800 && len >= 34 && at + 34 <= b.length) {
      ipv4Destinations.add([...b.subarray(at + 30, at + 34)].join('.'));
    }
  };
  const magic = b.readUInt32LE(0);
  if (magic === 0x0a0d0d0a) {
    let le = true;
    const links: number[] = [];
    for (let at = 0; at + 12 <= b.length; ) {
      const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
      const type = u32(at);
      if (type === 0x0a0d0d0a) {
        le = b.readUInt32LE(at + 8) === 0x1a2b3c4d;
        links.length = 0;
      }
      const len = u32(at + 4);
      if (len < 12 || at + len > b.length) break;
      if (type === 1) links.push(le ? b.readUInt16LE(at + 8) : b.readUInt16BE(at + 8));
      if (type === 6) frame(links[u32(at + 8)] ?? -1, at + 28, u32(at + 20));
      if (type === 3) frame(links[0] ?? -1, at + 12, Math.min(u32(at + 8), len - 16));
      at += len;
    }
    return { macs, ipv4Destinations };
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = b.readUInt32BE(0) === 0xa1b2c3d4 || b.readUInt32BE(0) === 0xa1b23c4d;
  if (!le && !be) throw new Error(`${file}: not a pcap or pcapng file`);
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  for (let at = 24; at + 16 <= b.length; ) {
    const caplen = u32(at + 8);
    if (at + 16 + caplen > b.length) break;
    frame(linkType, at + 16, caplen);
    at += 16 + caplen;
  }
  return { macs, ipv4Destinations };
}
