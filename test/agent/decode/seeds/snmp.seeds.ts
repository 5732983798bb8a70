// SNMP fixtures (RFC 1157, RFC 3416, RFC 3412, RFC 3414; BER per X.690) built by hand; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

const asc = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

const SYS_DESCR =
  'Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.4, RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport';

/** A router's v2c GetResponse with sysDescr, sysObjectID, sysName and sysUpTime. */
export const SNMP_GET_RESPONSE = hex(`
  30 82 0123                    # Message SEQUENCE, 291 bytes
    02 01 01                    # version 1 = v2c
    04 06 ${asc('public')}      # community (never read into the PDU)
    a2 82 0114                  # GetResponse PDU, 276 bytes
      02 04 1a2b3c4d            # request-id
      02 01 00  02 01 00        # error-status 0, error-index 0
      30 82 0104                # variable-bindings
        30 81 b3                # varbind
          06 08 2b06010201010100 # 1.3.6.1.2.1.1.1.0 sysDescr
          04 81 a6 ${asc(SYS_DESCR)} # OCTET STRING, 166 bytes
        30 15                   # varbind
          06 08 2b06010201010200 # 1.3.6.1.2.1.1.2.0 sysObjectID
          06 09 2b06010401090190 14 # OID 1.3.6.1.4.1.9.1.2068 (2068 = 0x90 0x14 base 128)
        30 23                   # varbind
          06 08 2b06010201010500 # 1.3.6.1.2.1.1.5.0 sysName
          04 17 ${asc('edge-rtr-01.example.net')}
        30 10                   # varbind
          06 08 2b06010201010300 # 1.3.6.1.2.1.1.3.0 sysUpTime
          43 04 05f5e100        # TimeTicks
`);

/** The manager's GetRequest for the same objects (NULL values). */
export const SNMP_GET_REQUEST = hex(`
  30 45 02 01 01 04 06 ${asc('public')} # Message: v2c, community
  a0 38 02 04 1a2b3c4d 02 01 00 02 01 00 # GetRequest, request-id, error-status, error-index
  30 2a                                  # variable-bindings
    30 0c 06 08 2b06010201010100 05 00   # sysDescr.0 NULL
    30 0c 06 08 2b06010201010200 05 00   # sysObjectID.0 NULL
    30 0c 06 08 2b06010201010500 05 00   # sysName.0 NULL
`);

/** A v1 Trap (RFC 1157 §4.1.6): enterprise 1.3.6.1.4.1.2011.2.23 and a sysName varbind. */
export const SNMP_V1_TRAP = hex(`
  30 41 02 01 00 04 06 ${asc('public')} # Message: v1, community
  a4 34                                 # Trap-PDU
    06 09 2b060104018f5b0217            # enterprise 1.3.6.1.4.1.2011.2.23 (2011 = 0x8f 0x5b)
    40 04 c0a80003                      # agent-addr 192.168.0.3
    02 01 00  02 01 00                  # generic-trap coldStart, specific-trap 0
    43 01 0a                            # time-stamp
    30 18 30 16 06 08 2b06010201010500 04 0a ${asc('core-sw-02')} # sysName.0 "core-sw-02"
`);

/** A v3 Report (RFC 3412 §6, RFC 3414 §2.4): the agent's engine id 0x80000009 (Cisco, 9) + MAC format. */
export const SNMP_V3_REPORT = hex(`
  30 6b 02 01 03                        # Message, version 3
  30 12 02 04 00004242 02 04 0000ffe3 04 01 00 02 01 03 # msgGlobalData: id, max size, flags, USM
  04 1f 30 1d                           # msgSecurityParameters: OCTET STRING holding a USM SEQUENCE
    04 0c 800000090300001b54000001      #   msgAuthoritativeEngineID
    02 01 03  02 04 00003039            #   boots 3, time 12345
    04 00 04 00 04 00                   #   user name, auth params, priv params (empty)
  30 31                                 # ScopedPDU (plaintext)
    04 0c 800000090300001b54000001      #   contextEngineID
    04 00                               #   contextName
    a8 1f 02 04 00004242 02 01 00 02 01 00 # Report PDU
      30 11 30 0f 06 0a 2b060106030f01010400 41 01 07 # usmStatsUnknownEngineIDs.0 Counter32 7
`);

const AGENT = { mac: null, ip: '192.168.0.1', port: 161 };
const MANAGER = { mac: null, ip: '192.168.0.5', port: 50000 };

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: SNMP_GET_RESPONSE, ctx: { src: AGENT, dst: MANAGER } },
  { transport: 'udp', bytes: SNMP_GET_REQUEST, ctx: { src: MANAGER, dst: AGENT } },
  {
    transport: 'udp',
    bytes: SNMP_V1_TRAP,
    ctx: { src: { ...AGENT, port: 50001 }, dst: { ...MANAGER, port: 162 } },
  },
  { transport: 'udp', bytes: SNMP_V3_REPORT, ctx: { src: AGENT, dst: MANAGER } },
];
