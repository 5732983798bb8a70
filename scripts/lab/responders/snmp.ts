// An SNMP v1/v2c agent for the system group (RFC 3418): answers GetRequest for sysDescr, sysObjectID,
// sysUpTime and sysName with the right community; other OIDs get noSuchObject (v2c) or noSuchName (v1).
import type { Service } from '../device-types.js';
import { listenUdp, type Stop } from './serve.js';

type Snmp = Extract<Service, { kind: 'snmp' }>;

interface Tlv {
  tag: number;
  value: Buffer;
  next: number;
}

function read(b: Buffer, pos: number): Tlv {
  const tag = b[pos]!;
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 2) throw new Error('length');
    len = n === 1 ? b[p]! : b.readUInt16BE(p);
    p += n;
  }
  if (p + len > b.length) throw new Error('overrun');
  return { tag, value: b.subarray(p, p + len), next: p + len };
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), value]);
}

function oidText(v: Buffer): string {
  const arcs = [Math.floor(v[0]! / 40), v[0]! % 40];
  let x = 0;
  for (const byte of v.subarray(1)) {
    x = x * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(x);
      x = 0;
    }
  }
  return arcs.join('.');
}

function oidBytes(dotted: string): Buffer {
  const a = dotted.split('.').map(Number);
  const out = [a[0]! * 40 + a[1]!];
  for (const arc of a.slice(2)) {
    const parts = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) parts.unshift((v & 0x7f) | 0x80);
    out.push(...parts);
  }
  return Buffer.from(out);
}

export function startSnmp(d: Snmp): Promise<Stop> {
  const started = Date.now();
  const values: Record<string, () => Buffer> = {
    '1.3.6.1.2.1.1.1.0': () => tlv(0x04, Buffer.from(d.sysDescr, 'utf8')),
    '1.3.6.1.2.1.1.2.0': () => tlv(0x06, oidBytes(d.sysObjectId)),
    '1.3.6.1.2.1.1.3.0': () => {
      const t = Buffer.alloc(4);
      t.writeUInt32BE(Math.floor((Date.now() - started) / 10) >>> 0);
      return tlv(0x43, t);
    },
    '1.3.6.1.2.1.1.5.0': () => tlv(0x04, Buffer.from(d.sysName, 'utf8')),
  };
  return listenUdp(d.port, (msg) => {
    const outer = read(msg, 0);
    const version = read(outer.value, 0);
    const community = read(outer.value, version.next);
    if (community.value.toString('latin1') !== d.community) return null; // wrong community: silence
    const pdu = read(outer.value, community.next);
    if (pdu.tag !== 0xa0) return null;
    const reqId = read(pdu.value, 0);
    const status = read(pdu.value, reqId.next);
    const index = read(pdu.value, status.next);
    const list = read(pdu.value, index.next);
    const v1 = version.value[0] === 0;
    const binds: Buffer[] = [];
    let errorStatus = 0;
    let errorIndex = 0;
    for (let p = 0, i = 1; p < list.value.length; i++) {
      const vb = read(list.value, p);
      const name = read(vb.value, 0);
      const oid = oidText(name.value);
      const value = values[oid]?.();
      if (!value && v1 && !errorStatus) {
        errorStatus = 2; // noSuchName
        errorIndex = i;
      }
      binds.push(
        tlv(
          0x30,
          Buffer.concat([
            tlv(0x06, name.value),
            value ?? (v1 ? tlv(0x05, Buffer.alloc(0)) : tlv(0x80, Buffer.alloc(0))),
          ]),
        ),
      );
      p = vb.next;
    }
    const body = Buffer.concat([
      tlv(0x02, reqId.value),
      tlv(0x02, Buffer.from([errorStatus])),
      tlv(0x02, Buffer.from([errorIndex])),
      tlv(0x30, Buffer.concat(binds)),
    ]);
    return tlv(0x30, Buffer.concat([tlv(0x02, version.value), tlv(0x04, community.value), tlv(0xa2, body)]));
  });
}
