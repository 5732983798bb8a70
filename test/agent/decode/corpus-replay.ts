// Test-only replay of classic pcap files through the registered application decoders: just enough
// Ethernet/802.1Q/802.3, IPv4/IPv6 and UDP to hand each decoder what agent/decode/types.ts promises.
// Not the engine (no reassembly, no fragments, no TCP); it exists to check decoders on real captures.

import { isDecoderError } from '../../../agent/decode/errors.js';
import type { AppContext, AppDecoder, Emitter, Endpoint } from '../../../agent/decode/types.js';
import { formatIpv4, formatIpv6 } from '../../../core/net/ip.js';
import type { ObservationValue } from '../../../core/observation.js';
import type { ObservationKey } from '../../../core/observation-keys.js';

export interface Frame {
  tsMs: number;
  data: Uint8Array;
  /** 1 Ethernet, 0 BSD loopback (a 4-byte address family, then IP). */
  linkType: number;
}

/** Frames of a classic pcap file with an Ethernet or loopback link type (either byte order, µs or ns). */
export function pcapFrames(file: Uint8Array): Frame[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (!le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) throw new Error('not a classic pcap file');
  const linkType = view.getUint32(20, le);
  if (linkType !== 1 && linkType !== 0) throw new Error(`link type ${linkType} is not Ethernet or loopback`);
  const frames: Frame[] = [];
  for (let pos = 24; pos + 16 <= file.length; ) {
    const caplen = view.getUint32(pos + 8, le);
    const tsMs = view.getUint32(pos, le) * 1000 + view.getUint32(pos + 4, le) / (nano ? 1e6 : 1e3);
    frames.push({ tsMs, data: file.subarray(pos + 16, pos + 16 + caplen), linkType });
    pos += 16 + caplen;
  }
  return frames;
}

function mac(b: Uint8Array, o: number): string {
  return Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** What a decoder is handed for one frame, or null when it carries nothing they read. */
export function dissect(frame: Frame): { ctx: AppContext; bytes: Uint8Array } | null {
  const d = frame.data;
  if (d.length < 14) return null;
  const loopback = frame.linkType === 0;
  const src: Endpoint = { mac: loopback ? null : mac(d, 6), ip: null, port: 0 };
  const dst: Endpoint = { mac: loopback ? null : mac(d, 0), ip: null, port: 0 };
  let off = 12;
  let type: number;
  if (loopback) {
    // The family is in the capturing host's byte order: 2 is IPv4, 24/28/30 IPv6 on the BSDs.
    const family = d[0] || d[3]!;
    type = family === 2 ? 0x0800 : 0x86dd;
    off = 4;
  } else {
    type = (d[off]! << 8) | d[off + 1]!;
    while (type === 0x8100 || type === 0x88a8) {
      off += 4;
      type = (d[off]! << 8) | d[off + 1]!;
    }
    off += 2;
  }
  const link = (ethertype: number, bytes: Uint8Array) => ({
    ctx: { ts: frame.tsMs, transport: 'link' as const, src, dst, fromClient: null, ethertype },
    bytes,
  });
  if (type < 0x0600) return link(0x0000, d.subarray(off, off + type)); // 802.3: from the LLC header
  if (type === 0x88cc) return link(type, d.subarray(off));
  let udp: number;
  if (type === 0x0800) {
    const ihl = (d[off]! & 0x0f) * 4;
    const fragment = ((d[off + 6]! << 8) | d[off + 7]!) & 0x3fff;
    if (d[off + 9] !== 17 || fragment) return null;
    src.ip = formatIpv4(new DataView(d.buffer, d.byteOffset + off + 12, 4).getUint32(0));
    dst.ip = formatIpv4(new DataView(d.buffer, d.byteOffset + off + 16, 4).getUint32(0));
    udp = off + ihl;
  } else if (type === 0x86dd) {
    if (d[off + 6] !== 17) return null;
    src.ip = formatIpv6(d, off + 8);
    dst.ip = formatIpv6(d, off + 24);
    udp = off + 40;
  } else return null;
  if (udp + 8 > d.length) return null;
  src.port = (d[udp]! << 8) | d[udp + 1]!;
  dst.port = (d[udp + 2]! << 8) | d[udp + 3]!;
  const length = (d[udp + 4]! << 8) | d[udp + 5]!;
  return {
    ctx: { ts: frame.tsMs, transport: 'udp', src, dst, fromClient: null },
    bytes: d.subarray(udp + 8, Math.min(d.length, udp + Math.max(8, length))),
  };
}

export interface Seen {
  /** The device the fact is about: a MAC, or "ip:" + address when the frame had none. */
  device: string;
  key: ObservationKey;
  value: ObservationValue;
  decoder: string;
}

export interface Replay {
  seen: Seen[];
  names: { ip: string; name: string; via: string }[];
  anomalies: Map<string, number>;
  decodeErrors: Map<string, number>;
  /** Frames each decoder took. */
  taken: Map<string, number>;
}

/** Runs every frame through the first decoder whose transport, EtherType and sniff accept it. */
export function replay(frames: Frame[], decoders: readonly AppDecoder[]): Replay {
  const r: Replay = { seen: [], names: [], anomalies: new Map(), decodeErrors: new Map(), taken: new Map() };
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const frame of frames) {
    const unit = dissect(frame);
    if (!unit) continue;
    const { ctx, bytes } = unit;
    const decoder = decoders.find(
      (dec) =>
        dec.transports.includes(ctx.transport) &&
        (ctx.transport !== 'link' || (dec.ethertypes ?? []).includes(ctx.ethertype!)) &&
        dec.sniff(bytes, ctx),
    );
    if (!decoder) continue;
    bump(r.taken, decoder.id);
    let pdu: unknown;
    try {
      pdu = decoder.decode(bytes, ctx);
    } catch (err) {
      if (!isDecoderError(err)) throw err;
      bump(r.decodeErrors, `${decoder.id}.${err.field}`);
      continue;
    }
    const who = (e: Endpoint): string => e.mac ?? `ip:${e.ip}`;
    const out: Emitter = {
      observe: (about, key, value) =>
        r.seen.push({ device: who(about === 'src' ? ctx.src : ctx.dst), key, value, decoder: decoder.id }),
      observeMac: (m, key, value) => r.seen.push({ device: m, key, value, decoder: decoder.id }),
      nameAddress: (ip, name, via) => r.names.push({ ip, name, via }),
      anomaly: (name) => bump(r.anomalies, name),
    };
    decoder.observe(pdu, ctx, out);
  }
  return r;
}

/** Distinct values of one key, optionally for one device. */
export function valuesOf(r: Replay, key: ObservationKey, device?: string): string[] {
  const values = r.seen
    .filter((s) => s.key === key && (!device || s.device === device))
    .map((s) => String(s.value));
  return [...new Set(values)].sort();
}
