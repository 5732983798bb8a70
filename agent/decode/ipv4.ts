// IPv4 header (RFC 791 §3.1). Only the first fragment is decoded further (it alone has the
// transport header); the IP total length trims Ethernet padding off the payload.
import { DecodeError, TruncatedError } from './errors.js';
import { FRAGMENT_FIRST, FRAGMENT_LATER, FRAGMENT_NONE, type PacketInfo } from './packet-info.js';

export const id = 'ipv4';

export function decodeIpv4(buf: Uint8Array, off: number, info: PacketInfo): void {
  if (off + 20 > info.end) throw new TruncatedError(id, off, 'header', 20, info.end - off);
  const vihl = buf[off]!;
  if (vihl >> 4 !== 4) throw new DecodeError(id, off, 'version', `version ${vihl >> 4}`);
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) throw new DecodeError(id, off, 'ihl', `header length ${ihl} < 20`);
  if (off + ihl > info.end) throw new TruncatedError(id, off, 'options', ihl, info.end - off);
  const total = (buf[off + 2]! << 8) | buf[off + 3]!;
  // TSO/offloaded captures record total length 0: use what was captured.
  if (total !== 0 && total < ihl)
    throw new DecodeError(id, off + 2, 'total_length', `${total} < header ${ihl}`);
  const fragField = (buf[off + 6]! << 8) | buf[off + 7]!;
  const fragOffset = fragField & 0x1fff;
  const more = (fragField & 0x2000) !== 0;
  info.ipVersion = 4;
  info.ttl = buf[off + 8]!;
  info.ipProto = buf[off + 9]!;
  info.srcIpOff = off + 12;
  info.dstIpOff = off + 16;
  info.fragment = fragOffset > 0 ? FRAGMENT_LATER : more ? FRAGMENT_FIRST : FRAGMENT_NONE;
  info.l4Off = off + ihl;
  const ipEnd = total === 0 ? info.end : off + total;
  info.l4End = ipEnd < info.end ? ipEnd : info.end;
}
