// The one reused record the L2–L4 decoders fill for each packet: offsets into the capture buffer
// and numbers only, so decoding a packet allocates nothing (the hot path of `analyze`).

export const FRAGMENT_NONE = 0;
/** Offset 0 with more fragments: the transport header is here, the rest of the payload is not. */
export const FRAGMENT_FIRST = 1;
/** Offset > 0: no transport header; not decoded further. */
export const FRAGMENT_LATER = 2;

export class PacketInfo {
  buf: Uint8Array = new Uint8Array(0);
  /** End of the captured bytes of this packet in buf. */
  end = 0;
  linkType = 0;
  // Link layer
  /** Offset of the 6-byte source / destination MAC in buf, -1 when the link type has none. */
  srcMacOff = -1;
  dstMacOff = -1;
  vlanCount = 0;
  vlanOuter = 0;
  vlanInner = 0;
  /** EtherType of the payload after any tags; 0 for 802.3 frames (LLC at l3Off). */
  etherType = 0;
  l3Off = 0;
  // Network layer
  /** 0 (not IP), 4 or 6. */
  ipVersion = 0;
  srcIpOff = 0;
  dstIpOff = 0;
  ttl = 0;
  /** Transport protocol number after IPv6 extension headers. */
  ipProto = 0;
  fragment = FRAGMENT_NONE;
  // Transport layer
  l4Off = 0;
  /** End of the IP payload (the IP length, trimmed to the captured bytes; excludes Ethernet padding). */
  l4End = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  // Sequence numbers go up to 2^32, past V8's small integers: as object fields each write would
  // allocate a heap number (twice per TCP packet), so they live in a typed array.
  readonly #seqAck = new Uint32Array(2);
  get seq(): number {
    return this.#seqAck[0]!;
  }
  set seq(v: number) {
    this.#seqAck[0] = v;
  }
  get ack(): number {
    return this.#seqAck[1]!;
  }
  set ack(v: number) {
    this.#seqAck[1] = v;
  }
  window = 0;
  tcpOptOff = 0;
  tcpOptLen = 0;
  payloadOff = 0;
  payloadLen = 0;

  reset(buf: Uint8Array, off: number, caplen: number, linkType: number): void {
    this.buf = buf;
    this.end = off + caplen;
    this.linkType = linkType;
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.vlanCount = 0;
    this.vlanOuter = 0;
    this.vlanInner = 0;
    this.etherType = 0;
    this.l3Off = off;
    this.ipVersion = 0;
    this.ipProto = 0;
    this.fragment = FRAGMENT_NONE;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.payloadOff = 0;
    this.payloadLen = 0;
  }
}

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  IPV6: 0x86dd,
  LLDP: 0x88cc,
  PROFINET: 0x8892,
} as const;

export const IP_PROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;
