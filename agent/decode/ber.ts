// ASN.1 BER/DER tag-length-value reading (X.690 §8.1) for SNMP and X.509: views only, lengths checked.
import { DecodeError, need } from './errors.js';

export interface Tlv {
  /** Class bits and constructed flag as in the identifier octet (low-tag-number form only). */
  tag: number;
  /** Offset of the value's first byte in the buffer. */
  start: number;
  /** Offset one past the value's last byte. */
  end: number;
}

/** Reads one TLV at `offset`, the value bounded by `limit` (the enclosing TLV's end). */
export function readTlv(bytes: Uint8Array, offset: number, limit: number, protocol: string): Tlv {
  need(bytes, offset, 2, protocol, 'ber.header');
  const tag = bytes[offset]!;
  // High-tag-number form (tag 31) does not occur in SNMP or certificates fields we read.
  if ((tag & 0x1f) === 0x1f) throw new DecodeError(protocol, offset, 'ber.tag', 'high tag number form');
  let pos = offset + 1;
  const first = bytes[pos++]!;
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    // Indefinite length (0x80) is BER-only and banned in DER and SNMP; >4 octets cannot fit a packet.
    if (octets === 0 || octets > 4)
      throw new DecodeError(protocol, offset + 1, 'ber.length', `${octets} octets`);
    need(bytes, pos, octets, protocol, 'ber.length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[pos++]!;
  }
  const end = pos + length;
  if (end > limit || end > bytes.length) {
    throw new DecodeError(protocol, offset, 'ber.length', `value of ${length} bytes overruns its container`);
  }
  return { tag, start: pos, end };
}

/** Reads a TLV and checks its tag. */
export function expectTlv(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  tag: number,
  protocol: string,
  field: string,
): Tlv {
  const tlv = readTlv(bytes, offset, limit, protocol);
  if (tlv.tag !== tag) {
    throw new DecodeError(
      protocol,
      offset,
      field,
      `tag 0x${tlv.tag.toString(16)} where 0x${tag.toString(16)} expected`,
    );
  }
  return tlv;
}

/** An INTEGER value of up to 6 bytes (two's complement) as a number. */
export function berInteger(bytes: Uint8Array, tlv: Tlv, protocol: string): number {
  const n = tlv.end - tlv.start;
  if (n < 1 || n > 6) throw new DecodeError(protocol, tlv.start, 'ber.integer', `${n} bytes`);
  let v = bytes[tlv.start]! & 0x80 ? -1 : 0;
  for (let i = tlv.start; i < tlv.end; i++) v = v * 256 + bytes[i]!;
  return v;
}

/** An OBJECT IDENTIFIER as dotted text (X.690 §8.19); arcs above 2^53 are rejected. */
export function berOid(bytes: Uint8Array, tlv: Tlv, protocol: string): string {
  if (tlv.end <= tlv.start) throw new DecodeError(protocol, tlv.start, 'ber.oid', 'empty');
  const arcs: number[] = [];
  let v = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    const b = bytes[i]!;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw new DecodeError(protocol, i, 'ber.oid', 'arc too large');
    if (!(b & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    } else if (i === tlv.end - 1) {
      throw new DecodeError(protocol, i, 'ber.oid', 'last arc unterminated');
    }
  }
  return arcs.join('.');
}
