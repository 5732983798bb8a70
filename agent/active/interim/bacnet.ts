// INTERIM: BACnet/IP reply reader for probe replies until agent/decode/bacnet.ts lands (a registered
// decoder with the same id is preferred). BVLC (Annex J.2), NPDU (§6.2), I-Am (§16.10) and
// ReadProperty-ACK (§15.5) with application-tagged values (§20.2).

import type { ObservationKey } from '../../../core/observation-keys.js';
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';

const P = 'bacnet';
const PROPERTY_KEYS: Record<number, ObservationKey> = {
  120: 'bacnet.vendor_id',
  121: 'bacnet.vendor_name',
  70: 'bacnet.model_name',
  44: 'bacnet.firmware',
  12: 'bacnet.app_version',
  77: 'bacnet.object_name',
};
const OBJECT_IDENTIFIER = 75;

interface Fact {
  key: ObservationKey;
  value: string | number;
}

/** One application-tagged value at `pos`: its tag number, value bytes and the next position. */
function appValue(b: Uint8Array, pos: number): { tag: number; value: Uint8Array; next: number } {
  need(b, pos, 1, P, 'tag');
  const first = b[pos]!;
  if (first & 0x08) throw new DecodeError(P, pos, 'tag', 'context tag where an application tag was expected');
  let len = first & 0x07;
  let p = pos + 1;
  if (len === 5) {
    need(b, p, 1, P, 'tag.length');
    len = b[p++]!;
    if (len === 254) {
      need(b, p, 2, P, 'tag.length');
      len = (b[p]! << 8) | b[p + 1]!;
      p += 2;
    } else if (len === 255) throw new DecodeError(P, p - 1, 'tag.length', '4-byte length');
  }
  need(b, p, len, P, 'tag.value');
  return { tag: first >> 4, value: b.subarray(p, p + len), next: p + len };
}

function unsigned(v: Uint8Array): number {
  if (v.length < 1 || v.length > 4) throw new DecodeError(P, 0, 'unsigned', `${v.length} bytes`);
  let n = 0;
  for (const x of v) n = n * 256 + x;
  return n;
}

function text(v: Uint8Array): string {
  // Character set (§20.2.9): 0 UTF-8, 4 UCS-2 big-endian, 5 ISO 8859-1; others are read as latin1.
  const body = v.subarray(1);
  if (v[0] === 0) return Buffer.from(body).toString('utf8');
  if (v[0] === 4)
    return Buffer.from(body.subarray(0, body.length & ~1))
      .swap16()
      .toString('utf16le');
  return Buffer.from(body).toString('latin1');
}

function propertyValue(property: number, tag: number, v: Uint8Array): string | number | null {
  if (property === 120 && tag === 2) return unsigned(v);
  if (tag === 7 && v.length >= 1) return text(v);
  return null;
}

export const bacnetReply: AppDecoder<Fact[]> = {
  id: P,
  transports: ['udp'],
  ports: [47808],
  sniff: (bytes) => bytes.length >= 6 && bytes[0] === 0x81,
  decode(b) {
    need(b, 0, 6, P, 'bvlc');
    if (b[0] !== 0x81) throw new DecodeError(P, 0, 'bvlc.type', `0x${b[0]!.toString(16)}`);
    let pos = b[1] === 0x04 ? 10 : 4; // Forwarded-NPDU carries the original source address (6 bytes).
    need(b, pos, 2, P, 'npdu');
    if (b[pos] !== 1) throw new DecodeError(P, pos, 'npdu.version', `${b[pos]}`);
    const control = b[pos + 1]!;
    pos += 2;
    if (control & 0x80) return []; // Network-layer message: no APDU.
    if (control & 0x20) {
      need(b, pos, 3, P, 'npdu.dnet');
      pos += 3 + b[pos + 2]!;
    }
    if (control & 0x08) {
      need(b, pos, 3, P, 'npdu.snet');
      pos += 3 + b[pos + 2]!;
    }
    if (control & 0x20) pos += 1; // hop count
    need(b, pos, 2, P, 'apdu');
    const type = b[pos]! >> 4;
    const facts: Fact[] = [];
    if (type === 1 && b[pos + 1] === 0x00) {
      // I-Am: object identifier, max APDU, segmentation, vendor id.
      const oid = appValue(b, pos + 2);
      if (oid.tag !== 12 || oid.value.length !== 4)
        throw new DecodeError(P, pos + 2, 'i-am.object', 'not an object id');
      const instance = unsigned(oid.value) & 0x3fffff;
      const maxApdu = appValue(b, oid.next);
      const seg = appValue(b, maxApdu.next);
      const vendor = appValue(b, seg.next);
      facts.push({ key: 'bacnet.device_instance', value: instance });
      if (vendor.tag === 2) facts.push({ key: 'bacnet.vendor_id', value: unsigned(vendor.value) });
    } else if (type === 3) {
      // Complex-ACK: flags|type, invoke id, service choice (12 = readProperty).
      need(b, pos, 3, P, 'apdu.ack');
      if (b[pos + 2] !== 0x0c) return facts;
      let p = pos + 3;
      need(b, p, 5, P, 'ack.object');
      if (b[p] !== 0x0c) throw new DecodeError(P, p, 'ack.object', 'context tag 0 expected');
      p += 5;
      need(b, p, 2, P, 'ack.property');
      const plen = b[p]! & 0x07;
      if ((b[p]! & 0xf8) !== 0x18 || plen < 1 || plen > 2)
        throw new DecodeError(P, p, 'ack.property', 'context tag 1 expected');
      need(b, p + 1, plen, P, 'ack.property');
      const property = plen === 1 ? b[p + 1]! : (b[p + 1]! << 8) | b[p + 2]!;
      p += 1 + plen;
      if (b[p] === 0x29) p += 2; // optional array index (context tag 2, one byte)
      need(b, p, 1, P, 'ack.value');
      if (b[p] !== 0x3e) throw new DecodeError(P, p, 'ack.value', 'opening tag 3 expected');
      const v = appValue(b, p + 1);
      if (property === OBJECT_IDENTIFIER && v.tag === 12 && v.value.length === 4) {
        facts.push({ key: 'bacnet.device_instance', value: unsigned(v.value) & 0x3fffff });
      } else {
        const key = PROPERTY_KEYS[property];
        const value = key ? propertyValue(property, v.tag, v.value) : null;
        if (key && value !== null && value !== '') facts.push({ key, value });
      }
    }
    return facts;
  },
  observe(facts, _ctx, out) {
    for (const f of facts) out.observe('src', f.key, f.value);
  },
};
