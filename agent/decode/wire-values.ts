// Wire bytes to observation text for the discovery decoders: MACs, addresses, hex and text views.
// Callers check lengths first; these helpers read exactly what they are given and never throw.

import { formatIpv4, formatIpv6 } from '../../core/net/ip.js';
import { cleanText } from '../../core/observation.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Six bytes at `offset` as a lower-case colon MAC. */
export function macAt(bytes: Uint8Array, offset: number): string {
  let out = HEX[bytes[offset]!]!;
  for (let i = 1; i < 6; i++) out += `:${HEX[bytes[offset + i]!]!}`;
  return out;
}

/**
 * Dotted texts of recent IPv4 addresses, direct-mapped by a hash of the address: DNS answers and
 * DHCP offers repeat the same few hundred addresses, and the text (four number conversions and a
 * concatenation) cost more than the parse around it. A slot holds the address it was made for, so
 * a hit is exact; a clash only makes the text again.
 */
const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Texts: (string | undefined)[] = new Array<string | undefined>(V4_SLOTS).fill(undefined);

/** Four bytes at `offset` as a dotted IPv4 address. */
export function ipv4At(bytes: Uint8Array, offset: number): string {
  const v =
    (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  const slot = (Math.imul(v, 0x9e3779b1) >>> 20) & (V4_SLOTS - 1);
  const known = v4Texts[slot];
  if (known !== undefined && v4Keys[slot] === v) return known;
  const text = formatIpv4(v >>> 0);
  v4Keys[slot] = v;
  v4Texts[slot] = text;
  return text;
}

/** Sixteen bytes at `offset` as RFC 5952 IPv6 text. */
export function ipv6At(bytes: Uint8Array, offset: number): string {
  return formatIpv6(bytes, offset);
}

/** A view as contiguous lower-case hex (identifiers such as DHCP client ids and DUIDs). */
export function hexOf(view: Uint8Array): string {
  let out = '';
  for (const b of view) out += HEX[b]!;
  return out;
}

/** A view as UTF-8 text; invalid sequences become U+FFFD (wire text is not trusted to be valid). */
export function utf8(view: Uint8Array): string {
  return utf8Decoder.decode(view);
}

/** A view as observation text: UTF-8, control characters stripped, length capped (cleanText). */
export function wireText(view: Uint8Array): string {
  return cleanText(utf8(view));
}

/** True when every byte is printable ASCII or UTF-8 lead/continuation (no control bytes but tab). */
export function isTextual(view: Uint8Array): boolean {
  for (const b of view) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  return view.length > 0;
}

/** A unicast, non-zero MAC (the I/G bit clear): one that can name a single device. */
export function isUnicastMac(bytes: Uint8Array, offset: number): boolean {
  if (bytes[offset]! & 0x01) return false;
  for (let i = 0; i < 6; i++) if (bytes[offset + i] !== 0) return true;
  return false;
}

/** Text of a view, or its hex when it holds control bytes (binary identifiers in LLDP/CDP). */
export function textOrHex(view: Uint8Array): string {
  return isTextual(view) ? wireText(view) : hexOf(view);
}
