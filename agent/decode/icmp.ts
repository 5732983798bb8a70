// ICMP for IPv4 (RFC 792): type and code only; enough to tell echo replies from errors.
import { TruncatedError } from './errors.js';

export const id = 'icmp';

export function decodeIcmp(buf: Uint8Array, off: number, end: number): { type: number; code: number } {
  if (off + 4 > end) throw new TruncatedError(id, off, 'header', 4, end - off);
  return { type: buf[off]!, code: buf[off + 1]! };
}
