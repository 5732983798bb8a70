// DHCPv6 fixtures (RFC 8415 §8, §9, §11, §21; RFC 4704; RFC 6939) built by hand; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** A Windows client's SOLICIT: DUID-LLT of its Dell NIC, FQDN, vendor class "311:MSFT 5.0". */
export const DHCPV6_WINDOWS_SOLICIT = hex(`
  01 3d8f21                          # SOLICIT, transaction id
  0008 0002 0000                     # elapsed time 0
  0001 000e 0001 0001 2a3b4c5d f01faf123456 # client id: DUID-LLT, Ethernet, time, MAC
  0003 000c 0e f01faf 00000000 00000000 # IA_NA: IAID, T1, T2
  0027 001f 00 0f 4445534b544f502d37514b32563150 04 636f7270 07 6578616d706c65 00 # 39 FQDN DESKTOP-7QK2V1P.corp.example
  0010 000e 00000137 0008 4d53465420352e30 # 16 vendor class: enterprise 311, "MSFT 5.0"
  0006 0008 0011 0017 0018 0027      # option request: 17, 23, 24, 39
`);

/** A relay's RELAY-FORW carrying a camera's SOLICIT (DUID-LL) and the RFC 6939 client link-layer address. */
export const DHCPV6_RELAY_FORW = hex(`
  0c 00                              # RELAY-FORW, hop count 0
  20010db8000100000000000000000001   # link-address 2001:db8:1::1
  fe800000000000004619b6fffe000007   # peer-address fe80::4619:b6ff:fe00:7
  004f 0008 0001 4419b6000007        # 79 client link-layer address: Ethernet, 44:19:b6:00:00:07
  0009 002a                          # 9 relay message, 42 bytes:
    01 00a1b2                        #   SOLICIT, transaction id
    0001 000a 0003 0001 4419b6000007 #   client id: DUID-LL, Ethernet, MAC
    0010 0014 00007ed9 000e 6578616d706c652d63616d657261 # 16 vendor class: enterprise 32473 (RFC 5612), "example-camera"
`);

/** A server's REPLY: its own DUID-LL names its MAC 00:1b:54:00:00:01. */
export const DHCPV6_REPLY = hex(`
  07 3d8f21                          # REPLY, transaction id
  0002 000a 0003 0001 001b54000001   # server id: DUID-LL, Ethernet, 00:1b:54:00:00:01
  0001 000e 0001 0001 2a3b4c5d f01faf123456 # client id echoed
  0010 000e 00000137 0008 4d53465420352e30 # a vendor class echoed by the server (not the client's word)
`);

export const seeds: FuzzSeed[] = [
  {
    transport: 'udp',
    bytes: DHCPV6_WINDOWS_SOLICIT,
    ctx: { dst: { mac: null, ip: 'ff02::1:2', port: 547 } },
  },
  { transport: 'udp', bytes: DHCPV6_RELAY_FORW, ctx: { dst: { mac: null, ip: '2001:db8::547', port: 547 } } },
  {
    transport: 'udp',
    bytes: DHCPV6_REPLY,
    ctx: { src: { mac: '00:1b:54:00:00:01', ip: 'fe80::1', port: 547 } },
  },
];
