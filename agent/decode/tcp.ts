// TCP header (RFC 9293 §3.1): ports, flags, sequence numbers, window and the options block,
// whose order and values make the passive OS signature (p0f's idea).
import { DecodeError, TruncatedError } from './errors.js';
import type { PacketInfo } from './packet-info.js';

export const id = 'tcp';

export function decodeTcp(buf: Uint8Array, off: number, info: PacketInfo): void {
  const end = info.l4End;
  if (off + 20 > end) throw new TruncatedError(id, off, 'header', 20, end - off);
  const dataOff = (buf[off + 12]! >> 4) * 4;
  if (dataOff < 20) throw new DecodeError(id, off + 12, 'data_offset', `header length ${dataOff} < 20`);
  if (off + dataOff > end) throw new TruncatedError(id, off, 'options', dataOff, end - off);
  info.srcPort = (buf[off]! << 8) | buf[off + 1]!;
  info.dstPort = (buf[off + 2]! << 8) | buf[off + 3]!;
  info.seq = ((buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) >>> 0;
  info.ack = ((buf[off + 8]! << 24) | (buf[off + 9]! << 16) | (buf[off + 10]! << 8) | buf[off + 11]!) >>> 0;
  info.tcpFlags = buf[off + 13]!;
  info.window = (buf[off + 14]! << 8) | buf[off + 15]!;
  info.tcpOptOff = off + 20;
  info.tcpOptLen = dataOff - 20;
  info.payloadOff = off + dataOff;
  info.payloadLen = end - info.payloadOff;
}

/**
 * The option layout of a SYN as p0f-style letters with values: "M1460,N,W7,S,T" (MSS, NOP, window
 * scale, SACK permitted, timestamps, E = end of list, ? = other). Off the hot path: SYNs only.
 */
export function tcpOptionSignature(
  buf: Uint8Array,
  off: number,
  len: number,
): { layout: string; mss: number; wscale: number } {
  const parts: string[] = [];
  let mss = -1;
  let wscale = -1;
  let p = off;
  const end = off + len;
  while (p < end) {
    const kind = buf[p]!;
    if (kind === 0) {
      parts.push('E');
      break;
    }
    if (kind === 1) {
      parts.push('N');
      p++;
      continue;
    }
    if (p + 2 > end) break;
    const olen = buf[p + 1]!;
    if (olen < 2 || p + olen > end) {
      parts.push('?');
      break;
    }
    if (kind === 2 && olen === 4) {
      mss = (buf[p + 2]! << 8) | buf[p + 3]!;
      parts.push('M');
    } else if (kind === 3 && olen === 3) {
      wscale = buf[p + 2]!;
      parts.push('W');
    } else if (kind === 4) parts.push('S');
    else if (kind === 8) parts.push('T');
    else parts.push(`?${kind}`);
    p += olen;
  }
  return { layout: parts.join(','), mss, wscale };
}
