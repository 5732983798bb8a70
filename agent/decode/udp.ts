// UDP header (RFC 768): ports and a length that must fit the IP payload.
import { DecodeError, TruncatedError } from './errors.js';
import type { PacketInfo } from './packet-info.js';

export const id = 'udp';

export function decodeUdp(buf: Uint8Array, off: number, info: PacketInfo): void {
  const end = info.l4End;
  if (off + 8 > end) throw new TruncatedError(id, off, 'header', 8, end - off);
  info.srcPort = (buf[off]! << 8) | buf[off + 1]!;
  info.dstPort = (buf[off + 2]! << 8) | buf[off + 3]!;
  const len = (buf[off + 4]! << 8) | buf[off + 5]!;
  if (len !== 0 && len < 8) throw new DecodeError(id, off + 4, 'length', `${len} < 8`);
  info.payloadOff = off + 8;
  // Length 0 occurs with offload and IPv6 jumbograms: use what was captured. A length beyond the
  // captured bytes is a snap-length cut, not an error.
  const udpEnd = len === 0 ? end : off + len;
  info.payloadLen = (udpEnd < end ? udpEnd : end) - info.payloadOff;
}
