// Well-formed application payloads for generated traffic (benchmark mix and demo capture), built
// from the protocol specs: DNS (RFC 1035), DHCP (RFC 2131/2132), TLS 1.3 ClientHello (RFC 8446
// §4.1.2), HTTP/1.1, SSH (RFC 4253 §4.2), Modbus/TCP, EtherNet/IP ListIdentity.

const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u24 = (n: number) => [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  out.push(0);
  return out;
}

export function dnsQuery(id: number, name: string, type = 1): Uint8Array {
  return Uint8Array.from([
    ...u16(id),
    0x01,
    0x00,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...dnsName(name),
    ...u16(type),
    0,
    1,
  ]);
}

/** A response with one A record per address, the owner name compressed to the question (0xc00c). */
export function dnsResponse(id: number, name: string, addresses: readonly string[]): Uint8Array {
  const answers = addresses.flatMap((a) => [
    0xc0,
    0x0c,
    0,
    1,
    0,
    1,
    0,
    0,
    0x0e,
    0x10,
    0,
    4,
    ...a.split('.').map(Number),
  ]);
  return Uint8Array.from([
    ...u16(id),
    0x81,
    0x80,
    0,
    1,
    ...u16(addresses.length),
    0,
    0,
    0,
    0,
    ...dnsName(name),
    0,
    1,
    0,
    1,
    ...answers,
  ]);
}

/** An mDNS announcement: A record for `host`.local with the cache-flush bit. */
export function mdnsAnnounce(host: string, ip: string): Uint8Array {
  return Uint8Array.from([
    0,
    0,
    0x84,
    0x00,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    ...dnsName(`${host}.local`),
    0,
    1,
    0x80,
    1,
    0,
    0,
    0,
    120,
    0,
    4,
    ...ip.split('.').map(Number),
  ]);
}

export interface DhcpRequest {
  xid: number;
  mac: string;
  /** 1 DISCOVER, 3 REQUEST. */
  type: 1 | 3;
  hostname?: string;
  vendorClass?: string;
  paramList: readonly number[];
}

export function dhcpClient(r: DhcpRequest): Uint8Array {
  const b = new Uint8Array(240);
  b[0] = 1; // BOOTREQUEST
  b[1] = 1; // Ethernet
  b[2] = 6;
  b.set([(r.xid >>> 24) & 0xff, (r.xid >>> 16) & 0xff, (r.xid >>> 8) & 0xff, r.xid & 0xff], 4);
  b.set(
    r.mac.split(':').map((h) => Number.parseInt(h, 16)),
    28,
  );
  b.set([99, 130, 83, 99], 236); // magic cookie
  const opts: number[] = [53, 1, r.type];
  const macBytes = r.mac.split(':').map((h) => Number.parseInt(h, 16));
  opts.push(61, 7, 1, ...macBytes);
  if (r.hostname) opts.push(12, r.hostname.length, ...Buffer.from(r.hostname, 'latin1'));
  if (r.vendorClass) opts.push(60, r.vendorClass.length, ...Buffer.from(r.vendorClass, 'latin1'));
  opts.push(55, r.paramList.length, ...r.paramList, 255);
  return Uint8Array.from([...b, ...opts]);
}

export function httpRequest(host: string, userAgent: string, path = '/'): Uint8Array {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\n\r\n`,
    'latin1',
  );
}

export function httpResponse(server: string, title: string, bodyBytes: number): Uint8Array {
  const head = `<html><head><title>${title}</title></head><body>`;
  const body = `${head + 'x'.repeat(Math.max(0, bodyBytes - head.length - 14))}</body></html>`;
  return Buffer.from(
    `HTTP/1.1 200 OK\r\nServer: ${server}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    'latin1',
  );
}

/** A TLS 1.3 ClientHello (RFC 8446 §4.1.2) with SNI, ALPN, groups, signature algorithms, versions. */
export function tlsClientHello(sni: string, seed: number): Uint8Array {
  const random = Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) & 0xff);
  const ciphers = [
    0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
    0x002f, 0x0035,
  ];
  const ext = (type: number, body: number[]) => [...u16(type), ...u16(body.length), ...body];
  const host = [...Buffer.from(sni, 'latin1')];
  const alpn = [2, ...Buffer.from('h2'), 8, ...Buffer.from('http/1.1')];
  const exts = [
    ...ext(0, [...u16(host.length + 3), 0, ...u16(host.length), ...host]),
    ...ext(23, []),
    ...ext(65281, [0]),
    ...ext(10, [...u16(8), ...u16(0x001d), ...u16(0x0017), ...u16(0x0018), ...u16(0x0019)]),
    ...ext(11, [1, 0]),
    ...ext(35, []),
    ...ext(16, [...u16(alpn.length), ...alpn]),
    ...ext(13, [...u16(8), ...u16(0x0403), ...u16(0x0804), ...u16(0x0401), ...u16(0x0503)]),
    ...ext(51, [...u16(36), ...u16(0x001d), ...u16(32), ...random]),
    ...ext(45, [1, 1]),
    ...ext(43, [4, ...u16(0x0304), ...u16(0x0303)]),
  ];
  const body = [
    ...u16(0x0303),
    ...random,
    32,
    ...random,
    ...u16(ciphers.length * 2),
    ...ciphers.flatMap(u16),
    1,
    0,
    ...u16(exts.length),
    ...exts,
  ];
  const hs = [1, ...u24(body.length), ...body];
  return Uint8Array.from([0x16, 0x03, 0x01, ...u16(hs.length), ...hs]);
}

/** ServerHello (TLS 1.3) followed by encrypted application data records of the given total size. */
export function tlsServerFlight(seed: number, appBytes: number): Uint8Array {
  const random = Array.from({ length: 32 }, (_, i) => (seed * 17 + i * 3) & 0xff);
  const exts = [
    ...u16(43),
    ...u16(2),
    ...u16(0x0304),
    ...u16(51),
    ...u16(36),
    ...u16(0x001d),
    ...u16(32),
    ...random,
  ];
  const body = [...u16(0x0303), ...random, 32, ...random, ...u16(0x1301), 0, ...u16(exts.length), ...exts];
  const hs = [2, ...u24(body.length), ...body];
  const out = [0x16, 0x03, 0x03, ...u16(hs.length), ...hs, 0x14, 0x03, 0x03, 0, 1, 1];
  for (let left = appBytes; left > 0; left -= 16384) {
    const n = Math.min(16384, left);
    out.push(0x17, 0x03, 0x03, ...u16(n));
    for (let i = 0; i < n; i++) out.push((seed + i * 13) & 0xff);
  }
  return Uint8Array.from(out);
}

export function sshBanner(text: string): Uint8Array {
  return Buffer.from(`${text}\r\n`, 'latin1');
}

/** Modbus/TCP read holding registers (FC 3) request and its response with `count` registers. */
export function modbusReadRequest(tid: number, unit: number, address: number, count: number): Uint8Array {
  return Uint8Array.from([...u16(tid), 0, 0, 0, 6, unit, 3, ...u16(address), ...u16(count)]);
}

export function modbusReadResponse(tid: number, unit: number, count: number, seed: number): Uint8Array {
  const regs = Array.from({ length: count * 2 }, (_, i) => (seed + i) & 0xff);
  return Uint8Array.from([...u16(tid), 0, 0, ...u16(3 + regs.length), unit, 3, regs.length, ...regs]);
}

/** EtherNet/IP ListIdentity request (CIP Vol. 2 §2-4.2): a bare 24-byte encapsulation header. */
export function enipListIdentity(): Uint8Array {
  return Uint8Array.from([0x63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

/** Opaque bytes of a given length (bulk file-transfer payloads), deterministic. */
export function filler(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  let s = seed | 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b[i] = s & 0xff;
  }
  return b;
}

/** Encrypted application data as TLS 1.3 sends it (RFC 8446 §5.2): records of type 23, version 0x0303. */
export function tlsAppData(payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let off = 0; off < payload.length; off += 16384) {
    const part = payload.subarray(off, Math.min(payload.length, off + 16384));
    out.push(0x17, 0x03, 0x03, (part.length >> 8) & 0xff, part.length & 0xff, ...part);
  }
  return Uint8Array.from(out);
}
