// Address bytes → text, off the per-packet path (once per flow or endpoint).
import { formatIpv4, formatIpv6 } from '../../core/net/ip.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function macText(buf: Uint8Array, off: number): string {
  return `${HEX[buf[off]!]}:${HEX[buf[off + 1]!]}:${HEX[buf[off + 2]!]}:${HEX[buf[off + 3]!]}:${HEX[buf[off + 4]!]}:${HEX[buf[off + 5]!]}`;
}

/** A MAC that can name a station: not group (multicast/broadcast, I/G bit) and not all zeros. */
export function isStationMac(buf: Uint8Array, off: number): boolean {
  if (buf[off]! & 1) return false;
  return (buf[off]! | buf[off + 1]! | buf[off + 2]! | buf[off + 3]! | buf[off + 4]! | buf[off + 5]!) !== 0;
}

export function ipText(buf: Uint8Array, off: number, version: number): string {
  if (version === 4)
    return formatIpv4(
      ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0,
    );
  return formatIpv6(buf, off);
}

/** Multicast or broadcast destinations and unspecified sources are not stations. */
export function isStationIp(buf: Uint8Array, off: number, version: number): boolean {
  if (version === 4) {
    if (buf[off]! >= 224) return false;
    return (buf[off]! | buf[off + 1]! | buf[off + 2]! | buf[off + 3]!) !== 0;
  }
  if (buf[off] === 0xff) return false;
  let any = 0;
  for (let i = 0; i < 16; i++) any |= buf[off + i]!;
  return any !== 0;
}

/** Text of one side of a canonical flow key (side 0 or 1), IPv4 or IPv6 by the key's version. */
export function keyIpText(key: Uint32Array, side: number): string {
  if (key[9]! >> 8 === 4) return formatIpv4(key[side]!);
  const b = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    const w = key[side * 4 + i]!;
    b[i * 4] = w >>> 24;
    b[i * 4 + 1] = (w >>> 16) & 0xff;
    b[i * 4 + 2] = (w >>> 8) & 0xff;
    b[i * 4 + 3] = w & 0xff;
  }
  return formatIpv6(b);
}
