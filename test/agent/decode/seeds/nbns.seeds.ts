// NetBIOS name service fixtures (RFC 1002 §4.2) built by hand from the spec; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** "DESKTOP-7QK2V1P<00>" first-level encoded (RFC 1001 §14.1): 32 letters A-P. */
const DESKTOP_00 = '20 454545464644454c464545504641434e44484642454c44434647444246414141';

/** A B-node's broadcast name registration request (§4.2.2) for DESKTOP-7QK2V1P<00>. */
export const NBNS_REGISTRATION = hex(`
  8001 2910 0001 0000 0000 0001                  # id, opcode 5 (registration), RD, B; 1 question, 1 additional
  ${DESKTOP_00} 00                               # @12 DESKTOP-7QK2V1P<00>
  0020 0001                                      # type NB, class IN
  c00c 0020 0001 000493e0 0006                   # additional: ptr→12, NB, IN, ttl 300000, rdlength 6
  0000 c0a8000a                                  # NB_FLAGS unique B-node, NB_ADDRESS 192.168.0.10
`);

/** A name server's positive query response (§4.2.13) naming another node (192.168.0.77). */
export const NBNS_SERVER_ANSWER = hex(`
  8002 8500 0000 0001 0000 0000                  # id, R, opcode 0, AA, RD; 1 answer
  ${DESKTOP_00} 00                               # DESKTOP-7QK2V1P<00>
  0020 0001 000493e0 0006 0000 c0a8004d          # NB, IN, ttl, rdlength 6, unique, 192.168.0.77
`);

/** A node status response (§4.2.18): the responder's name table and unit id. */
export const NBNS_NODE_STATUS = hex(`
  8003 8400 0000 0001 0000 0000                  # id, R, opcode 0, AA; 1 answer
  20 434b414141414141414141414141414141414141414141414141414141414141 00 # "*" (the wildcard queried)
  0021 0001 00000000 0065                        # NBSTAT, IN, ttl 0, rdlength 101
  03                                             # NUM_NAMES 3
  4445534b544f502d37514b32563150 00 0400         # DESKTOP-7QK2V1P<00>, active unique
  574f524b47524f5550202020202020 00 8400         # WORKGROUP<00>, active group
  4445534b544f502d37514b32563150 20 0400         # DESKTOP-7QK2V1P<20>, active unique
  001b1b000001 ${'00'.repeat(40)}                # STATISTICS: UNIT_ID, then counters
`);

const NB_PORTS = {
  src: { mac: null, ip: '192.168.0.10', port: 137 },
  dst: { mac: null, ip: '192.168.0.255', port: 137 },
};

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: NBNS_REGISTRATION, ctx: NB_PORTS },
  { transport: 'udp', bytes: NBNS_SERVER_ANSWER, ctx: NB_PORTS },
  { transport: 'udp', bytes: NBNS_NODE_STATUS, ctx: NB_PORTS },
];
