// LLMNR fixtures (RFC 4795 §2.1) built by hand from the spec; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** A Windows host answering for its own name. */
export const LLMNR_RESPONSE = hex(`
  8c21 8000 0001 0001 0000 0000                  # id, flags QR, 1 question, 1 answer
  0f 4445534b544f502d37514b32563150 00           # @12 DESKTOP-7QK2V1P
  0001 0001                                      # type A, class IN
  c00c 0001 0001 0000001e 0004 c0a8000a          # ptr→12, A, IN, ttl 30, 192.168.0.10
`);

/** The query a peer multicast for that name. */
export const LLMNR_QUERY = hex(`
  8c21 0000 0001 0000 0000 0000                  # id, query, 1 question
  0f 4445534b544f502d37514b32563150 00 0001 0001 # DESKTOP-7QK2V1P A IN
`);

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: LLMNR_RESPONSE, ctx: { src: { mac: null, ip: '192.168.0.10', port: 5355 } } },
  { transport: 'udp', bytes: LLMNR_QUERY, ctx: { dst: { mac: null, ip: '224.0.0.252', port: 5355 } } },
];
