// BSD loopback encapsulations: LINKTYPE_NULL (0, address family in the capturing host's byte
// order) and LINKTYPE_LOOP (108, network byte order). IPv6 has several AF values across systems.
import { TruncatedError } from './errors.js';
import { ETHERTYPE, type PacketInfo } from './packet-info.js';

export const id = 'null';
const AF_INET = 2;
/** AF_INET6 on Linux (10), FreeBSD (28), Darwin (30), NetBSD/OpenBSD (24). */
const AF_INET6 = new Set([10, 24, 28, 30]);

export function decodeNull(buf: Uint8Array, off: number, info: PacketInfo, networkOrder: boolean): void {
  if (off + 4 > info.end) throw new TruncatedError(id, off, 'family', 4, info.end - off);
  const le = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
  const be = ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
  // LINKTYPE_NULL's byte order is the writer's: the family is a small number, so the smaller reading wins.
  const family = networkOrder ? be : Math.min(le, be);
  info.etherType = family === AF_INET ? ETHERTYPE.IPV4 : AF_INET6.has(family) ? ETHERTYPE.IPV6 : 0;
  info.l3Off = off + 4;
}
