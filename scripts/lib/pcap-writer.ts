// Writes classic pcap and pcapng files for the fixtures generator and the benchmark.
// Deterministic: the caller supplies every timestamp. Both byte orders and resolutions.

export type LinkType = 0 | 1 | 101 | 113 | 228 | 229 | 276 | number;

export interface FrameRecord {
  /** Nanoseconds since the epoch, as a bigint so ns fixtures stay exact. */
  tsNs: bigint;
  data: Uint8Array;
  /** Original length on the wire when data was cut by a snap length; defaults to data.length. */
  origLen?: number;
  /** pcapng: index of the interface (IDB) the frame came in on. */
  iface?: number;
}

export interface PcapOptions {
  linkType: LinkType;
  nanosecond?: boolean;
  bigEndian?: boolean;
  snapLen?: number;
}

export function writePcap(frames: readonly FrameRecord[], opts: PcapOptions): Buffer {
  const le = !opts.bigEndian;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(24);
  const magic = opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4;
  w32(header, 0, magic, le);
  w16(header, 4, 2, le);
  w16(header, 6, 4, le);
  w32(header, 8, 0, le);
  w32(header, 12, 0, le);
  w32(header, 16, opts.snapLen ?? 262144, le);
  w32(header, 20, opts.linkType, le);
  parts.push(header);
  const div = opts.nanosecond ? 1n : 1000n;
  for (const f of frames) {
    const rec = Buffer.alloc(16);
    const sec = f.tsNs / 1_000_000_000n;
    const frac = (f.tsNs % 1_000_000_000n) / div;
    w32(rec, 0, Number(sec), le);
    w32(rec, 4, Number(frac), le);
    w32(rec, 8, f.data.length, le);
    w32(rec, 12, f.origLen ?? f.data.length, le);
    parts.push(rec, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

export interface PcapngInterface {
  linkType: LinkType;
  /** if_tsresol: 6 = µs (default), 9 = ns. */
  tsresol?: number;
  snapLen?: number;
}

export interface PcapngSection {
  interfaces: PcapngInterface[];
  frames: FrameRecord[];
  /** Write frames as Simple Packet Blocks (only valid with one interface). */
  simple?: boolean;
  /** Insert an unknown block type before the frames (readers must skip it). */
  unknownBlock?: boolean;
  bigEndian?: boolean;
}

/** One or more sections, each with its own interfaces (pcapng allows sections to be concatenated). */
export function writePcapng(sections: readonly PcapngSection[]): Buffer {
  const out: Buffer[] = [];
  for (const s of sections) {
    const le = !s.bigEndian;
    out.push(block(0x0a0d0d0a, shbBody(le), le));
    for (const i of s.interfaces) out.push(block(1, idbBody(i, le), le));
    if (s.unknownBlock) out.push(block(0x0badf00d, Buffer.from('skip me!'), le));
    for (const f of s.frames) {
      const ifc = s.interfaces[f.iface ?? 0];
      if (!ifc) throw new Error(`frame refers to interface ${f.iface} that the section does not have`);
      if (s.simple) {
        const body = Buffer.alloc(4);
        w32(body, 0, f.origLen ?? f.data.length, le);
        out.push(block(3, Buffer.concat([body, pad4(f.data)]), le));
      } else {
        out.push(block(6, epbBody(f, ifc, le), le));
      }
    }
  }
  return Buffer.concat(out);
}

function shbBody(le: boolean): Buffer {
  const b = Buffer.alloc(16);
  w32(b, 0, 0x1a2b3c4d, le);
  w16(b, 4, 1, le);
  w16(b, 6, 0, le);
  // Section length unknown (-1).
  b.fill(0xff, 8, 16);
  return b;
}

function idbBody(i: PcapngInterface, le: boolean): Buffer {
  const b = Buffer.alloc(8);
  w16(b, 0, i.linkType, le);
  w32(b, 4, i.snapLen ?? 262144, le);
  const opts: Buffer[] = [];
  if (i.tsresol !== undefined) opts.push(option(9, Buffer.from([i.tsresol]), le));
  if (opts.length) opts.push(Buffer.alloc(4)); // opt_endofopt
  return Buffer.concat([b, ...opts]);
}

function epbBody(f: FrameRecord, i: PcapngInterface, le: boolean): Buffer {
  const res = i.tsresol ?? 6;
  const units = res === 9 ? f.tsNs : f.tsNs / 10n ** BigInt(9 - res);
  const b = Buffer.alloc(20);
  w32(b, 0, f.iface ?? 0, le);
  w32(b, 4, Number(units >> 32n), le);
  w32(b, 8, Number(units & 0xffffffffn), le);
  w32(b, 12, f.data.length, le);
  w32(b, 16, f.origLen ?? f.data.length, le);
  return Buffer.concat([b, pad4(f.data)]);
}

function option(code: number, value: Buffer, le: boolean): Buffer {
  const h = Buffer.alloc(4);
  w16(h, 0, code, le);
  w16(h, 2, value.length, le);
  return Buffer.concat([h, pad4(value)]);
}

function block(type: number, body: Buffer, le: boolean): Buffer {
  const total = 12 + body.length;
  const h = Buffer.alloc(8);
  w32(h, 0, type, le);
  w32(h, 4, total, le);
  const t = Buffer.alloc(4);
  w32(t, 0, total, le);
  return Buffer.concat([h, body, t]);
}

function pad4(data: Uint8Array): Buffer {
  const padded = Buffer.alloc((data.length + 3) & ~3);
  padded.set(data);
  return padded;
}

function w16(b: Buffer, o: number, v: number, le: boolean): void {
  if (le) b.writeUInt16LE(v, o);
  else b.writeUInt16BE(v, o);
}

function w32(b: Buffer, o: number, v: number, le: boolean): void {
  if (le) b.writeUInt32LE(v >>> 0, o);
  else b.writeUInt32BE(v >>> 0, o);
}
