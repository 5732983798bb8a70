// BACnet tag encoding (ASHRAE 135 clause 20.2): tags, primitive application values, character strings.
import { DecodeError } from './errors.js';
import { latin1, utf8 } from './ot-bytes.js';

const P = 'bacnet';
/** Longest tagged value accepted: a BACnet/IP datagram holds at most 1476 bytes of APDU. */
export const BACNET_MAX_VALUE = 1476;

export interface Tag {
  number: number;
  context: boolean;
  /** Opening (6) or closing (7) context tag: no value. */
  open: boolean;
  close: boolean;
  /** Application boolean carries its value here; otherwise the length/value/type field. */
  lvt: number;
  /** Value bytes [start, end). */
  start: number;
  end: number;
}

/**
 * One tag at `pos` (clause 20.2.1): tag number in the high nibble (15 = one more byte), class bit 0x08,
 * length/value/type in the low 3 bits (5 = extended length: one byte, 254 = two more, 255 = four more).
 */
export function readTag(b: Uint8Array, pos: number, limit: number): Tag {
  if (pos >= limit) throw new DecodeError(P, pos, 'tag', 'no tag before the end of the APDU');
  const first = b[pos]!;
  let at = pos + 1;
  let number = first >> 4;
  if (number === 15) {
    if (at >= limit) throw new DecodeError(P, at, 'tag.number', 'cut extended tag number');
    number = b[at++]!;
  }
  const context = (first & 0x08) !== 0;
  const lvt = first & 0x07;
  if (context && (lvt === 6 || lvt === 7)) {
    return { number, context, open: lvt === 6, close: lvt === 7, lvt, start: at, end: at };
  }
  // An application boolean's value is its lvt; it has no value bytes.
  if (!context && number === 1)
    return { number, context, open: false, close: false, lvt, start: at, end: at };
  let length = lvt;
  if (lvt === 5) {
    if (at >= limit) throw new DecodeError(P, at, 'tag.length', 'cut extended length');
    length = b[at++]!;
    const extra = length === 254 ? 2 : length === 255 ? 4 : 0;
    if (extra) {
      if (at + extra > limit) throw new DecodeError(P, at, 'tag.length', 'cut extended length');
      length = 0;
      for (let i = 0; i < extra; i++) length = length * 256 + b[at++]!;
    }
  }
  if (length > BACNET_MAX_VALUE || at + length > limit) {
    throw new DecodeError(P, pos, 'tag.length', `value of ${length} bytes overruns the APDU`);
  }
  return { number, context, open: false, close: false, lvt, start: at, end: at + length };
}

/** Unsigned integer of 1–6 bytes (clause 20.2.4); longer values do not fit a JS number exactly. */
export function tagUnsigned(b: Uint8Array, tag: Tag): number {
  const n = tag.end - tag.start;
  if (n < 1 || n > 6) throw new DecodeError(P, tag.start, 'tag.unsigned', `${n} bytes`);
  let v = 0;
  for (let i = tag.start; i < tag.end; i++) v = v * 256 + b[i]!;
  return v;
}

/** BACnetObjectIdentifier (clause 20.2.14): 10-bit object type, 22-bit instance. */
export function tagObjectId(b: Uint8Array, tag: Tag): { type: number; instance: number } {
  if (tag.end - tag.start !== 4)
    throw new DecodeError(P, tag.start, 'tag.object_id', `${tag.end - tag.start} bytes`);
  const v =
    ((b[tag.start]! << 24) | (b[tag.start + 1]! << 16) | (b[tag.start + 2]! << 8) | b[tag.start + 3]!) >>> 0;
  return { type: v >>> 22, instance: v & 0x3fffff };
}

/** Character sets of a CharacterString (clause 20.2.9). */
export const CHARSET = { UTF8: 0, DBCS: 1, JIS: 2, UCS4: 3, UCS2: 4, LATIN1: 5 } as const;

/** A CharacterString's text, or null for the double-byte sets (DBCS, JIS) that need code pages. */
export function decodeString(charset: number, bytes: Uint8Array): string | null {
  switch (charset) {
    case CHARSET.UTF8:
      return utf8(bytes);
    case CHARSET.LATIN1:
      return latin1(bytes);
    case CHARSET.UCS2: {
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2)
        s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return s;
    }
    case CHARSET.UCS4: {
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        const cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return null;
  }
}

/** A primitive application value this decoder keeps: strings, unsigned and enumerated numbers, object ids. */
export type BacnetValue =
  | { kind: 'string'; charset: number; bytes: Uint8Array }
  | { kind: 'unsigned'; value: number }
  | { kind: 'enumerated'; value: number }
  | { kind: 'object'; type: number; instance: number }
  | { kind: 'other'; tag: number };

/** Application tag numbers (clause 20.2.1.4). */
export const APP_TAG = { UNSIGNED: 2, CHARACTER_STRING: 7, ENUMERATED: 9, OBJECT_ID: 12 } as const;

export function appValue(b: Uint8Array, tag: Tag): BacnetValue {
  switch (tag.number) {
    case APP_TAG.UNSIGNED:
      return { kind: 'unsigned', value: tagUnsigned(b, tag) };
    case APP_TAG.ENUMERATED:
      return { kind: 'enumerated', value: tagUnsigned(b, tag) };
    case APP_TAG.OBJECT_ID:
      return { kind: 'object', ...tagObjectId(b, tag) };
    case APP_TAG.CHARACTER_STRING:
      if (tag.end === tag.start) throw new DecodeError(P, tag.start, 'tag.string', 'no character set byte');
      return { kind: 'string', charset: b[tag.start]!, bytes: b.subarray(tag.start + 1, tag.end) };
    default:
      return { kind: 'other', tag: tag.number };
  }
}
