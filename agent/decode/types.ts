// The shape every application/industrial decoder shares (STYLE.md "One protocol, one file").
// Link/network/transport decoders (ethernet, ipv4, tcp…) have their own allocation-free shape
// in the hot path; these run once per flow direction or per datagram, off the hot path.

import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';

export type Transport = 'link' | 'udp' | 'tcp';

export interface Endpoint {
  /** Lower-case colon MAC, or null where the link type has none (raw IP, SLL without address). */
  mac: string | null;
  /** Dotted IPv4 or compressed IPv6, or null for link-layer protocols. */
  ip: string | null;
  /** Transport port, 0 for link-layer protocols. */
  port: number;
}

/** Valid during the decoder call it is passed to: the engine reuses it (keep a copy, never the object). */
export interface AppContext {
  /**
   * Capture time of the first byte, ms since epoch: a datagram's or frame's own; for a TCP direction,
   * that of the segment that brought its first buffered bytes (not when the prefix is decoded).
   */
  ts: number;
  transport: Transport;
  /** Sender of these bytes. */
  src: Endpoint;
  /** Receiver of these bytes. */
  dst: Endpoint;
  /** TCP: true when src opened the connection; null for datagrams and link frames. */
  fromClient: boolean | null;
  /** Link frames: the EtherType the payload came with. */
  ethertype?: number;
}

/** Where a decoder's observe() puts what it learned. */
export interface Emitter {
  /** A fact about the sender ('src') or the receiver ('dst') of the bytes. */
  observe(about: 'src' | 'dst', key: ObservationKey, value: ObservationValue): void;
  /**
   * A fact about a device known only by its MAC, which may be neither sender nor receiver of these
   * bytes (a DHCP client behind a relay, or the chaddr of a broadcast server reply). Lower-case colon MAC.
   */
  observeMac(mac: string, key: ObservationKey, value: ObservationValue): void;
  /** A name for a remote address, seen in DNS answers, TLS SNI or HTTP Host. */
  nameAddress(ip: string, name: string, via: 'dns' | 'mdns' | 'sni' | 'http'): void;
  /** Odd but parseable input, counted by name (Zeek's "weirds"). */
  anomaly(name: string): void;
}

export interface AppDecoder<Pdu = unknown> {
  /** Equals the file name without extension. */
  readonly id: string;
  readonly transports: readonly Transport[];
  /** Well-known ports: a hint for ordering, never a requirement (HTTP/TLS are sniffed on any port). */
  readonly ports: readonly number[];
  /** Link-layer decoders: the EtherTypes (or 0x0000 with an LLC/SNAP check in sniff) they take. */
  readonly ethertypes?: readonly number[];
  /**
   * Every first byte sniff() may accept, in any context (omit: any byte). The dispatcher does not
   * call sniff for bytes that start otherwise: a TCP direction no decoder claims was sniffed by
   * twenty of them. test/agent/decode/first-bytes.test.ts holds each list to its sniff.
   */
  readonly firstBytes?: readonly number[];
  /** Cheap check on the first bytes: may this decoder understand them? Never throws. */
  sniff(bytes: Uint8Array, ctx: AppContext): boolean;
  /**
   * Parse bytes into a PDU of views (subarray, never copies). Throws only DecodeError/TruncatedError.
   * What `bytes` holds depends on the transport:
   * - tcp: the in-order reassembled prefix of ONE direction of a connection (up to the flow table's
   *   payload cap, 4 KiB by default), from the first payload byte. It may hold several messages and
   *   end inside one: decode every complete message; a cut final message is not an error once one
   *   message decoded (throw TruncatedError only when not even the first is complete).
   * - udp: one datagram's payload.
   * - link: the frame after the Ethernet/802.1Q header (for 802.3 frames, from the LLC header on).
   */
  decode(bytes: Uint8Array, ctx: AppContext): Pdu;
  /** Turn a decoded PDU into observations with registered keys. */
  observe(pdu: Pdu, ctx: AppContext, out: Emitter): void;
}
