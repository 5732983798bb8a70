// Test-only replay of the shared third-party corpus through the app decoders: a minimal pcap/pcapng reader,
// link/IP/TCP/UDP unwrapping and per-direction TCP reassembly capped like the flow table (4 KiB).
// The corpus is never copied into the repository; tests using this skip when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDecoderError } from '../../../agent/decode/errors.js';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import type { AppContext, Endpoint, Transport } from '../../../agent/decode/types.js';

/** ../shared/corpus relative to the repository root. */
export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
export const HAVE_CORPUS = existsSync(CORPUS);
const CAP = 4096;

interface Packet {
  link: number;
  data: Buffer;
  ts: number;
}

function readPackets(path: string): Packet[] {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  const out: Packet[] = [];
  if (magic === 0x0a0d0d0a) {
    // pcapng: little-endian sections only (all the corpus has); IDBs give the link type per interface.
    const links: number[] = [];
    for (let off = 0; off + 12 <= b.length; ) {
      const type = b.readUInt32LE(off);
      const len = b.readUInt32LE(off + 4);
      if (type === 1) links.push(b.readUInt16LE(off + 8));
      if (type === 6) {
        const caplen = b.readUInt32LE(off + 20);
        out.push({
          link: links[b.readUInt32LE(off + 8)]!,
          data: b.subarray(off + 28, off + 28 + caplen),
          ts: 0,
        });
      }
      if (type === 0x0a0d0d0a) links.length = 0;
      off += len;
    }
    return out;
  }
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const r32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const link = r32(20);
  for (let off = 24; off + 16 <= b.length; ) {
    const incl = r32(off + 8);
    out.push({ link, data: b.subarray(off + 16, off + 16 + incl), ts: r32(off) * 1000 });
    off += 16 + incl;
  }
  return out;
}

export interface Observed {
  decoder: string;
  about: Endpoint;
  key: string;
  value: string | number;
}

const macText = (b: Buffer, o: number) =>
  [...b.subarray(o, o + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');

/** Runs every registered decoder that sniffs each unit of the capture; returns what they observed. */
export function replay(file: string): Observed[] {
  const units: { transport: Transport; bytes: Uint8Array; ctx: AppContext }[] = [];
  const flows = new Map<
    string,
    {
      client: string | null;
      dirs: Map<string, { ctx: AppContext; isn: number | null; segs: { seq: number; data: Buffer }[] }>;
    }
  >();
  for (const p of readPackets(`${CORPUS}${file}`)) {
    let l3: Buffer;
    let ethertype: number;
    let srcMac: string | null = null;
    let dstMac: string | null = null;
    if (p.link === 1) {
      dstMac = macText(p.data, 0);
      srcMac = macText(p.data, 6);
      let at = 12;
      ethertype = p.data.readUInt16BE(at);
      while (ethertype === 0x8100) {
        at += 4;
        ethertype = p.data.readUInt16BE(at);
      }
      l3 = p.data.subarray(at + 2);
    } else if (p.link === 113) [ethertype, l3] = [p.data.readUInt16BE(14), p.data.subarray(16)];
    else if (p.link === 0)
      [ethertype, l3] = [p.data.readUInt32LE(0) === 2 ? 0x0800 : 0x86dd, p.data.subarray(4)];
    else if (p.link === 101 || p.link === 228) [ethertype, l3] = [0x0800, p.data];
    else continue;
    if (ethertype !== 0x0800) {
      const ctx: AppContext = {
        ts: p.ts,
        transport: 'link',
        src: { mac: srcMac, ip: null, port: 0 },
        dst: { mac: dstMac, ip: null, port: 0 },
        fromClient: null,
        ethertype,
      };
      units.push({ transport: 'link', bytes: l3, ctx });
      continue;
    }
    const ihl = (l3[0]! & 15) * 4;
    const seg = l3.subarray(ihl, Math.min(l3.readUInt16BE(2), l3.length));
    const src = { mac: srcMac, ip: [...l3.subarray(12, 16)].join('.'), port: seg.readUInt16BE(0) };
    const dst = { mac: dstMac, ip: [...l3.subarray(16, 20)].join('.'), port: seg.readUInt16BE(2) };
    if (l3[9] === 17) {
      units.push({
        transport: 'udp',
        bytes: seg.subarray(8, seg.readUInt16BE(4)),
        ctx: { ts: p.ts, transport: 'udp', src, dst, fromClient: null },
      });
      continue;
    }
    if (l3[9] !== 6) continue;
    const a = `${src.ip}:${src.port}`;
    const b = `${dst.ip}:${dst.port}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const flow = flows.get(key) ?? { client: null, dirs: new Map() };
    flows.set(key, flow);
    const flags = seg[13]!;
    if ((flags & 0x12) === 0x02) flow.client = a;
    if ((flags & 0x12) === 0x12) flow.client = b;
    const dir = flow.dirs.get(a) ?? {
      ctx: { ts: p.ts, transport: 'tcp', src, dst, fromClient: null },
      isn: null,
      segs: [],
    };
    flow.dirs.set(a, dir);
    if (flags & 0x02) dir.isn = seg.readUInt32BE(4);
    const data = seg.subarray((seg[12]! >> 4) * 4);
    if (data.length) dir.segs.push({ seq: seg.readUInt32BE(4), data });
  }
  for (const flow of flows.values()) {
    for (const [a, dir] of flow.dirs) {
      const base = dir.isn !== null ? (dir.isn + 1) >>> 0 : dir.segs[0]?.seq;
      if (base === undefined) continue;
      const rel = (seq: number) => (seq - base) | 0;
      dir.segs.sort((x, y) => rel(x.seq) - rel(y.seq));
      const parts: Buffer[] = [];
      let next = 0;
      for (const s of dir.segs) {
        const at = rel(s.seq);
        if (at > next || next >= CAP) break; // a gap (or the cap) ends the in-order prefix
        if (at + s.data.length > next) parts.push(s.data.subarray(next - at));
        next = Math.max(next, at + s.data.length);
      }
      dir.ctx.fromClient = flow.client === null ? null : flow.client === a;
      units.push({ transport: 'tcp', bytes: Buffer.concat(parts).subarray(0, CAP), ctx: dir.ctx });
    }
  }
  const seen: Observed[] = [];
  for (const u of units) {
    for (const d of APP_DECODERS) {
      if (!d.transports.includes(u.transport) || !d.sniff(u.bytes, u.ctx)) continue;
      let pdu: unknown;
      try {
        pdu = d.decode(u.bytes, u.ctx);
      } catch (err) {
        if (!isDecoderError(err)) throw err;
        continue; // a decoder error is an answer ("not mine" or malformed) that the engine counts
      }
      d.observe(pdu, u.ctx, {
        observe: (about, key, value) => seen.push({ decoder: d.id, about: u.ctx[about], key, value }),
        nameAddress: () => undefined,
        anomaly: () => undefined,
      });
    }
  }
  return seen;
}
