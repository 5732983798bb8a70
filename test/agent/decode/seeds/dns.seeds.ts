// DNS fixtures (RFC 1035 §4.1) built by hand from the spec; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** A client's standard query for update.vendor.example, type A. */
export const DNS_QUERY = hex(`
  abcd 0100 0001 0000 0000 0000                  # id, flags RD, 1 question
  06 757064617465 06 76656e646f72 07 6578616d706c65 00 # @12 update.vendor.example
  0001 0001                                      # type A, class IN
`);

/** The resolver's answer for www.example.com: CNAME edge.example.net, then A 192.0.2.7 and AAAA. */
export const DNS_CNAME_RESPONSE = hex(`
  1234 8180 0001 0003 0000 0000                  # id, flags QR|RD|RA, 1 question, 3 answers
  03 777777 07 6578616d706c65 03 636f6d 00       # @12 www.example.com
  0001 0001                                      # type A, class IN
  c00c 0005 0001 0000012c 0012                   # @33 ptr→12, CNAME, IN, ttl 300, rdlength 18
  04 65646765 07 6578616d706c65 03 6e6574 00     # @45 edge.example.net
  c02d 0001 0001 0000012c 0004 c0000207          # @63 ptr→45, A, IN, ttl 300, 192.0.2.7
  c02d 001c 0001 0000012c 0010 20010db8000000000000000000000007 # @79 ptr→45, AAAA, 2001:db8::7
`);

/** A response whose answer names a host that is not the asked one (cache-poisoning shape). */
export const DNS_UNRELATED_RESPONSE = hex(`
  1235 8180 0001 0001 0000 0000                  # id, QR|RD|RA, 1 question, 1 answer
  03 777777 07 6578616d706c65 03 636f6d 00 0001 0001 # @12 www.example.com A IN
  04 62616e6b 07 6578616d706c65 00               # @33 bank.example (not asked)
  0001 0001 0000012c 0004 c0000263               # A, IN, ttl 300, 192.0.2.99
`);

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: DNS_QUERY, ctx: { dst: { mac: null, ip: '192.168.0.1', port: 53 } } },
  { transport: 'udp', bytes: DNS_CNAME_RESPONSE, ctx: { src: { mac: null, ip: '192.168.0.1', port: 53 } } },
  {
    transport: 'udp',
    bytes: DNS_UNRELATED_RESPONSE,
    ctx: { src: { mac: null, ip: '192.168.0.1', port: 53 } },
  },
];
