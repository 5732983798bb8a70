// Builds well-formed frames (Ethernet/802.1Q, ARP, IPv4, IPv6, TCP, UDP) for generated captures.
// Checksums are real so that peer tools (tshark, tcpdump, p0f) read the fixtures as we do.

export function mac(text: string): Buffer {
  const parts = text.split(':');
  if (parts.length !== 6) throw new Error(`bad MAC ${text}`);
  return Buffer.from(parts.map((p) => Number.parseInt(p, 16)));
}

export function ipv4Bytes(text: string): Buffer {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 ${text}`);
  return Buffer.from(parts);
}

export function ipv6Bytes(text: string): Buffer {
  const [head = '', tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8) throw new Error(`bad IPv6 ${text}`);
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => {
    b.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  return b;
}

export interface EthernetOptions {
  src: string;
  dst: string;
  ethertype: number;
  /** 802.1Q VLAN ids, outer first; two make QinQ (outer TPID 0x88a8). */
  vlans?: number[];
}

export function ethernet(o: EthernetOptions, payload: Uint8Array): Buffer {
  const tags: Buffer[] = [];
  (o.vlans ?? []).forEach((vid, i, all) => {
    const tag = Buffer.alloc(4);
    tag.writeUInt16BE(all.length > 1 && i === 0 ? 0x88a8 : 0x8100, 0);
    tag.writeUInt16BE(vid & 0x0fff, 2);
    tags.push(tag);
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(o.ethertype, 0);
  return Buffer.concat([mac(o.dst), mac(o.src), ...tags, type, payload]);
}

/** 802.3 frame with LLC/SNAP header (CDP uses OUI 00:00:0c, type 0x2000). */
export function llcSnap(src: string, dst: string, oui: number, pid: number, payload: Uint8Array): Buffer {
  const snap = Buffer.from([
    0xaa,
    0xaa,
    0x03,
    (oui >> 16) & 0xff,
    (oui >> 8) & 0xff,
    oui & 0xff,
    pid >> 8,
    pid & 0xff,
  ]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(snap.length + payload.length, 0);
  return Buffer.concat([mac(dst), mac(src), len, snap, payload]);
}

export function arp(
  op: 1 | 2,
  senderMac: string,
  senderIp: string,
  targetMac: string,
  targetIp: string,
): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(1, 0);
  b.writeUInt16BE(0x0800, 2);
  b[4] = 6;
  b[5] = 4;
  b.writeUInt16BE(op, 6);
  return Buffer.concat([b, mac(senderMac), ipv4Bytes(senderIp), mac(targetMac), ipv4Bytes(targetIp)]);
}

export function checksum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Options {
  src: string;
  dst: string;
  proto: number;
  ttl?: number;
  id?: number;
  /** Fragment offset in 8-byte units and the more-fragments flag. */
  fragOffset?: number;
  moreFragments?: boolean;
}

export function ipv4(o: Ipv4Options, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(o.id ?? 0, 4);
  h.writeUInt16BE(((o.moreFragments ? 1 : 0) << 13) | (o.fragOffset ?? 0), 6);
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  ipv4Bytes(o.src).copy(h, 12);
  ipv4Bytes(o.dst).copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

export function ipv6(
  o: { src: string; dst: string; next: number; hopLimit?: number },
  payload: Uint8Array,
): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(payload.length, 4);
  h[6] = o.next;
  h[7] = o.hopLimit ?? 64;
  ipv6Bytes(o.src).copy(h, 8);
  ipv6Bytes(o.dst).copy(h, 24);
  return Buffer.concat([h, payload]);
}

function pseudoSum(src: Buffer, dst: Buffer, proto: number, length: number): number {
  const p = Buffer.alloc(src.length * 2 + (src.length === 4 ? 4 : 8));
  src.copy(p, 0);
  dst.copy(p, src.length);
  if (src.length === 4) {
    p[9] = proto;
    p.writeUInt16BE(length, 10);
  } else {
    p.writeUInt32BE(length, 32);
    p[39] = proto;
  }
  let sum = 0;
  for (let i = 0; i < p.length; i += 2) sum += p.readUInt16BE(i);
  return sum;
}

function addrBytes(text: string): Buffer {
  return text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text);
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpOptions {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags: number;
  window?: number;
  /** Raw TCP options bytes (padded to 4 here). */
  options?: Uint8Array;
}

export function tcp(o: TcpOptions, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const opts = Buffer.alloc(((o.options?.length ?? 0) + 3) & ~3);
  if (o.options) opts.set(o.options);
  const h = Buffer.alloc(20);
  h.writeUInt16BE(o.sport, 0);
  h.writeUInt16BE(o.dport, 2);
  h.writeUInt32BE((o.seq ?? 0) >>> 0, 4);
  h.writeUInt32BE((o.ack ?? 0) >>> 0, 8);
  h[12] = ((20 + opts.length) / 4) << 4;
  h[13] = o.flags;
  h.writeUInt16BE(o.window ?? 65535, 14);
  const seg = Buffer.concat([h, opts, payload]);
  const sum = pseudoSum(addrBytes(o.src), addrBytes(o.dst), 6, seg.length);
  seg.writeUInt16BE(checksum(seg, sum), 16);
  return seg;
}

export function udp(
  o: { src: string; dst: string; sport: number; dport: number },
  payload: Uint8Array,
): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(o.sport, 0);
  h.writeUInt16BE(o.dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  const seg = Buffer.concat([h, payload]);
  const sum = pseudoSum(addrBytes(o.src), addrBytes(o.dst), 17, seg.length);
  seg.writeUInt16BE(checksum(seg, sum) || 0xffff, 6);
  return seg;
}

/** An Ethernet frame carrying IPv4 or IPv6 (chosen by the address form) and a UDP datagram. */
export function udpFrame(
  l2: { src: string; dst: string; vlans?: number[] },
  l3: { src: string; dst: string; sport: number; dport: number; ttl?: number },
  payload: Uint8Array,
): Buffer {
  const seg = udp(l3, payload);
  const v6 = l3.src.includes(':');
  const ip = v6
    ? ipv6({ src: l3.src, dst: l3.dst, next: 17, hopLimit: l3.ttl }, seg)
    : ipv4({ src: l3.src, dst: l3.dst, proto: 17, ttl: l3.ttl }, seg);
  return ethernet({ ...l2, ethertype: v6 ? 0x86dd : 0x0800 }, ip);
}

/** An Ethernet frame carrying IPv4 or IPv6 and a TCP segment. */
export function tcpFrame(
  l2: { src: string; dst: string; vlans?: number[] },
  l3: TcpOptions & { ttl?: number },
  payload: Uint8Array = Buffer.alloc(0),
): Buffer {
  const seg = tcp(l3, payload);
  const v6 = l3.src.includes(':');
  const ip = v6
    ? ipv6({ src: l3.src, dst: l3.dst, next: 6, hopLimit: l3.ttl }, seg)
    : ipv4({ src: l3.src, dst: l3.dst, proto: 6, ttl: l3.ttl }, seg);
  return ethernet({ ...l2, ethertype: v6 ? 0x86dd : 0x0800 }, ip);
}

/** An IPv6 packet carrying an ICMPv6 message with its checksum over the pseudo-header (RFC 4443 §2.3). */
export function icmpv6(o: { src: string; dst: string; hopLimit?: number }, message: Uint8Array): Buffer {
  const body = Buffer.from(message);
  body.writeUInt16BE(0, 2);
  body.writeUInt16BE(checksum(body, pseudoSum(ipv6Bytes(o.src), ipv6Bytes(o.dst), 58, body.length)), 2);
  return ipv6({ src: o.src, dst: o.dst, next: 58, hopLimit: o.hopLimit ?? 255 }, body);
}
