// IPv6 header (RFC 8200 §3) and its extension-header chain (§4): hop-by-hop, routing, fragment,
// destination options, AH (RFC 4302). ESP and unknown headers end the chain.
import { DecodeError, TruncatedError } from './errors.js';
import { FRAGMENT_FIRST, FRAGMENT_LATER, FRAGMENT_NONE, type PacketInfo } from './packet-info.js';

export const id = 'ipv6';
/** A longer chain is an evasion attempt, not a network (RFC 7112 recommends a bounded chain). */
export const MAX_EXTENSION_HEADERS = 8;

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DEST_OPTS = 60;
const MOBILITY = 135;

export function decodeIpv6(buf: Uint8Array, off: number, info: PacketInfo): void {
  if (off + 40 > info.end) throw new TruncatedError(id, off, 'header', 40, info.end - off);
  if (buf[off]! >> 4 !== 6) throw new DecodeError(id, off, 'version', `version ${buf[off]! >> 4}`);
  const payloadLen = (buf[off + 4]! << 8) | buf[off + 5]!;
  info.ipVersion = 6;
  info.ttl = buf[off + 7]!;
  info.srcIpOff = off + 8;
  info.dstIpOff = off + 24;
  // Payload length 0 means a jumbogram (RFC 2675) or an offloaded capture: use the captured bytes.
  const ipEnd = payloadLen === 0 ? info.end : off + 40 + payloadLen;
  const end = ipEnd < info.end ? ipEnd : info.end;
  let next = buf[off + 6]!;
  let p = off + 40;
  info.fragment = FRAGMENT_NONE;
  for (let i = 0; ; i++) {
    if (
      next !== HOP_BY_HOP &&
      next !== ROUTING &&
      next !== FRAGMENT &&
      next !== DEST_OPTS &&
      next !== AH &&
      next !== MOBILITY
    ) {
      break;
    }
    if (i >= MAX_EXTENSION_HEADERS)
      throw new DecodeError(id, p, 'extension_chain', `more than ${MAX_EXTENSION_HEADERS} headers`);
    if (p + 8 > end) throw new TruncatedError(id, p, 'extension_header', 8, end - p);
    const nh = buf[p]!;
    let len: number;
    if (next === FRAGMENT) {
      const fo = ((buf[p + 2]! << 8) | buf[p + 3]!) >> 3;
      const more = (buf[p + 3]! & 1) !== 0;
      info.fragment = fo > 0 ? FRAGMENT_LATER : more ? FRAGMENT_FIRST : FRAGMENT_NONE;
      len = 8;
    } else if (next === AH) {
      len = (buf[p + 1]! + 2) * 4;
    } else {
      len = (buf[p + 1]! + 1) * 8;
    }
    if (p + len > end) throw new TruncatedError(id, p, 'extension_header', len, end - p);
    p += len;
    next = nh;
    if (info.fragment === FRAGMENT_LATER) break;
  }
  info.ipProto = next;
  info.l4Off = p;
  info.l4End = end;
}
