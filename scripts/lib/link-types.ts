// Re-frames Ethernet frames for the other link types a capture may use (tcpdump.org/linktypes):
// Linux cooked SLL (113) and SLL2 (276), raw IP (101, 228, 229) and BSD loopback (0).

const SLL_ETHER = 1;

function etherPayload(frame: Uint8Array): { type: number; payload: Uint8Array; src: Uint8Array } {
  let p = 12;
  let type = (frame[p]! << 8) | frame[p + 1]!;
  while (type === 0x8100 || type === 0x88a8) {
    p += 4;
    type = (frame[p]! << 8) | frame[p + 1]!;
  }
  return { type, payload: frame.subarray(p + 2), src: frame.subarray(6, 12) };
}

/** The same packet as the given link type would capture it; null when it cannot carry it (non-IP on raw). */
export function relink(frame: Uint8Array, linkType: number): Uint8Array | null {
  if (linkType === 1) return frame;
  const { type, payload, src } = etherPayload(frame);
  const v4 = type === 0x0800;
  const v6 = type === 0x86dd;
  if (linkType === 113) {
    const h = Buffer.alloc(16);
    h.writeUInt16BE(0, 0); // sent to us
    h.writeUInt16BE(SLL_ETHER, 2);
    h.writeUInt16BE(6, 4);
    h.set(src, 6);
    h.writeUInt16BE(type, 14);
    return Buffer.concat([h, payload]);
  }
  if (linkType === 276) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt32BE(2, 4); // ifindex
    h.writeUInt16BE(SLL_ETHER, 8);
    h[10] = 0;
    h[11] = 6;
    h.set(src, 12);
    return Buffer.concat([h, payload]);
  }
  if (!v4 && !v6) return null;
  if (linkType === 101 || (linkType === 228 && v4) || (linkType === 229 && v6)) return payload;
  if (linkType === 228 || linkType === 229) return null;
  if (linkType === 0) {
    // LINKTYPE_NULL: the family in the writer's (here little-endian) byte order; AF_INET6 as on Linux.
    const h = Buffer.alloc(4);
    h.writeUInt32LE(v4 ? 2 : 10, 0);
    return Buffer.concat([h, payload]);
  }
  throw new Error(`relink: link type ${linkType} not supported by the fixture writer`);
}
