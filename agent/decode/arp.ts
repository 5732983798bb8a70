// ARP for IPv4 over Ethernet (RFC 826): who claims which address. Off the hot path.
import { DecodeError, TruncatedError } from './errors.js';

export const id = 'arp';

export interface ArpPdu {
  op: number;
  senderMacOff: number;
  senderIp: number;
  targetMacOff: number;
  targetIp: number;
}

export function decodeArp(buf: Uint8Array, off: number, end: number): ArpPdu {
  if (off + 28 > end) throw new TruncatedError(id, off, 'packet', 28, end - off);
  const htype = (buf[off]! << 8) | buf[off + 1]!;
  const ptype = (buf[off + 2]! << 8) | buf[off + 3]!;
  if (htype !== 1 || ptype !== 0x0800 || buf[off + 4] !== 6 || buf[off + 5] !== 4) {
    throw new DecodeError(
      id,
      off,
      'hardware',
      `htype ${htype} ptype 0x${ptype.toString(16)} not Ethernet/IPv4`,
    );
  }
  const op = (buf[off + 6]! << 8) | buf[off + 7]!;
  const ip = (o: number) => ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  return {
    op,
    senderMacOff: off + 8,
    senderIp: ip(off + 14),
    targetMacOff: off + 18,
    targetIp: ip(off + 24),
  };
}
