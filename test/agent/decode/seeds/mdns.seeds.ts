// mDNS / DNS-SD fixtures (RFC 6762, RFC 6763) built by hand from the specs; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** An IPP printer's unsolicited announcement (RFC 6762 §8.3), with name compression throughout. */
export const MDNS_PRINTER_ANNOUNCEMENT = hex(`
  0000 8400 0000 0005 0000 0000                                    # @0 id 0, flags QR|AA, 0 questions, 5 answers
  09 5f7365727669636573 07 5f646e732d7364 04 5f756470              # @12 answer 1 owner: _services._dns-sd._udp
  05 6c6f63616c 00                                                 # @35 .local
  000c 0001 00001194 000c                                          # @42 PTR, IN, ttl 4500, rdlength 12
  04 5f697070 04 5f746370 c023                                     # @52 _ipp._tcp.local
  c034 000c 0001 00001194                                          # @64 answer 2: _ipp._tcp.local, PTR, IN, ttl 4500
  0013                                                             # @74 rdlength
  10 4850204c617365724a6574204d343034 c034                         # @76 HP LaserJet M404._ipp._tcp.local
  c04c 0021 8001 00000078                                          # @95 answer 3: the instance, SRV, cache-flush|IN, ttl 120
  0012                                                             # @105 rdlength
  0000 0000 0277                                                   # @107 priority 0, weight 0, port 631
  09 4e5049354131423243 c023                                       # @113 target NPI5A1B2C.local
  c04c 0010 8001 00001194 0078                                     # @125 answer 4: the instance, TXT, cache-flush|IN, ttl 4500, rdlength 120
  09 747874766572733d31                                            # @137 "txtvers=1"
  19 74793d4850204c617365724a65742050726f204d343034646e            # @147 "ty=HP LaserJet Pro M404dn"
  20 70726f647563743d284850204c617365724a65742050726f204d343034646e29 # @173 "product=(HP LaserJet Pro M404dn)"
  0a 7573625f4d46473d4850                                          # @206 "usb_MFG=HP"
  1b 7573625f4d444c3d4c617365724a65742050726f204d343034646e        # @217 "usb_MDL=LaserJet Pro M404dn"
  0b 6e6f74653d4f6666696365                                        # @245 "note=Office"
  c071 0001 8001 00000078 0004 c0a8000a                            # @257 answer 5: NPI5A1B2C.local, A, cache-flush|IN, ttl 120, 192.168.0.10
`);

/**
 * A query with a known answer (RFC 6762 §7.1) about another device, and a probe (§8.1) whose authority
 * section claims the sender's own host name.
 */
export const MDNS_QUERY_WITH_KNOWN_ANSWER_AND_PROBE = hex(`
  0000 0000 0001 0001 0001 0000                    # id 0, query, 1 question, 1 answer, 1 authority
  05 63616d2d31 05 6c6f63616c 00 00ff 8001         # @12 cam-1.local ANY, QU|IN (the probe's question)
  05 6f74686572 c012 0001 0001 00000078 0004 c0a80063 # @29 known answer: other.local A 192.168.0.99
  c00c 0001 0001 00000078 0004 c0a8000a            # @51 authority: cam-1.local A 192.168.0.10 (claimed)
`);

/** A reflector's response: it repeats another host's A record from its own address (192.168.0.10). */
export const MDNS_REFLECTED = hex(`
  0000 8400 0000 0001 0000 0000                    # QR|AA, 1 answer
  06 6b696f736b31 05 6c6f63616c 00                 # @12 kiosk1.local
  0001 8001 00000078 0004 c0a80042                 # A, cache-flush|IN, ttl 120, 192.168.0.66
`);

const MDNS_PORTS = {
  src: { mac: null, ip: '192.168.0.10', port: 5353 },
  dst: { mac: null, ip: '224.0.0.251', port: 5353 },
};

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: MDNS_PRINTER_ANNOUNCEMENT, ctx: MDNS_PORTS },
  { transport: 'udp', bytes: MDNS_QUERY_WITH_KNOWN_ANSWER_AND_PROBE, ctx: MDNS_PORTS },
  { transport: 'udp', bytes: MDNS_REFLECTED, ctx: MDNS_PORTS },
];
