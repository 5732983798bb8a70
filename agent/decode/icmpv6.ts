// ICMPv6 neighbour discovery (RFC 4861 §4): solicitations and advertisements bind MACs to IPv6
// addresses through the source/target link-layer address options. Off the hot path.
import { DecodeError, TruncatedError } from './errors.js';

export const id = 'icmpv6';

export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;

export interface NdPdu {
  type: number;
  /** Offset of the target address (NS/NA), -1 otherwise. */
  targetOff: number;
  /** Offset of the MAC in a source (type 1) or target (type 2) link-layer option, -1 when absent. */
  sourceLlOff: number;
  targetLlOff: number;
}

/** Decodes an ND message; null for other ICMPv6 types. */
export function decodeNd(buf: Uint8Array, off: number, end: number): NdPdu | null {
  if (off + 4 > end) throw new TruncatedError(id, off, 'header', 4, end - off);
  const type = buf[off]!;
  if (type < ND_ROUTER_SOLICIT || type > ND_NEIGHBOR_ADVERT) return null;
  // Fixed part after the 4-byte header: RS 4, RA 12, NS/NA 4 + 16-byte target.
  const fixed = type === ND_ROUTER_SOLICIT ? 4 : type === ND_ROUTER_ADVERT ? 12 : 20;
  if (off + 4 + fixed > end) throw new TruncatedError(id, off + 4, 'body', fixed, end - off - 4);
  const pdu: NdPdu = {
    type,
    targetOff: fixed === 20 ? off + 8 : -1,
    sourceLlOff: -1,
    targetLlOff: -1,
  };
  let p = off + 4 + fixed;
  while (p + 2 <= end) {
    const optType = buf[p]!;
    const optLen = buf[p + 1]! * 8;
    if (optLen === 0) throw new DecodeError(id, p + 1, 'option_length', 'zero-length option (RFC 4861 §4.6)');
    if (p + optLen > end) throw new TruncatedError(id, p, 'option', optLen, end - p);
    if (optLen === 8 && optType === 1) pdu.sourceLlOff = p + 2;
    if (optLen === 8 && optType === 2) pdu.targetLlOff = p + 2;
    p += optLen;
  }
  return pdu;
}
