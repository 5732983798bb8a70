// Linux "cooked" captures: SLL (LINKTYPE 113) and SLL2 (LINKTYPE 276), per tcpdump.org/linktypes.
// They carry only the sender's link-layer address, so only the source MAC is known.
import { TruncatedError } from './errors.js';
import type { PacketInfo } from './packet-info.js';

export const id = 'sll';
const ARPHRD_ETHER = 1;

/** LINKTYPE_LINUX_SLL: pkttype(2) hatype(2) halen(2) addr(8) protocol(2). */
export function decodeSll(buf: Uint8Array, off: number, info: PacketInfo): void {
  if (off + 16 > info.end) throw new TruncatedError(id, off, 'header', 16, info.end - off);
  const hatype = (buf[off + 2]! << 8) | buf[off + 3]!;
  const halen = (buf[off + 4]! << 8) | buf[off + 5]!;
  if (hatype === ARPHRD_ETHER && halen === 6) info.srcMacOff = off + 6;
  setProtocol((buf[off + 14]! << 8) | buf[off + 15]!, info);
  info.l3Off = off + 16;
}

/** LINKTYPE_LINUX_SLL2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8). */
export function decodeSll2(buf: Uint8Array, off: number, info: PacketInfo): void {
  if (off + 20 > info.end) throw new TruncatedError('sll2', off, 'header', 20, info.end - off);
  const hatype = (buf[off + 8]! << 8) | buf[off + 9]!;
  const halen = buf[off + 11]!;
  if (hatype === ARPHRD_ETHER && halen === 6) info.srcMacOff = off + 12;
  setProtocol((buf[off]! << 8) | buf[off + 1]!, info);
  info.l3Off = off + 20;
}

function setProtocol(protocol: number, info: PacketInfo): void {
  // 1 (802.3 without LLC) and 4 (802.2 LLC) are Linux pseudo-protocols, not EtherTypes.
  info.etherType = protocol > 1500 ? protocol : 0;
}
