// Ethernet II and 802.3 framing with 802.1Q / 802.1ad (QinQ) tags (IEEE 802.1Q §9.6).
// Mirror ports often carry tags: losing tagged frames would lose whole OT VLANs.
import { TruncatedError } from './errors.js';
import { ETHERTYPE, type PacketInfo } from './packet-info.js';

export const id = 'ethernet';
/** More tags than this is not a real network (802.1Q allows two in practice); counted by the caller. */
export const MAX_VLAN_TAGS = 4;

/** Decodes the Ethernet header at `off`; sets MAC offsets, VLANs, etherType and l3Off. */
export function decodeEthernet(buf: Uint8Array, off: number, info: PacketInfo): void {
  if (off + 14 > info.end) throw new TruncatedError(id, off, 'header', 14, info.end - off);
  info.dstMacOff = off;
  info.srcMacOff = off + 6;
  let p = off + 12;
  let type = (buf[p]! << 8) | buf[p + 1]!;
  while (type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.QINQ_OLD) {
    if (p + 6 > info.end) throw new TruncatedError(id, p, 'vlan_tag', 6, info.end - p);
    const vid = ((buf[p + 2]! << 8) | buf[p + 3]!) & 0x0fff;
    if (info.vlanCount === 0) info.vlanOuter = vid;
    else if (info.vlanCount === 1) info.vlanInner = vid;
    info.vlanCount++;
    p += 4;
    type = (buf[p]! << 8) | buf[p + 1]!;
    if (info.vlanCount >= MAX_VLAN_TAGS) break;
  }
  // Values up to 1500 are an 802.3 length: the payload starts with an LLC header (CDP, STP…).
  info.etherType = type > 1500 ? type : 0;
  info.l3Off = p + 2;
}
