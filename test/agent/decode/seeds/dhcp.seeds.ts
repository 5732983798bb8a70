// DHCPv4 fixtures (RFC 2131 §2 Figure 1, RFC 2132) built by hand from the specs; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** BOOTP header fields after chaddr: sname (64) and file (128), unused here. */
const SNAME_FILE = '00'.repeat(64 + 128);
const CHADDR_PAD = '00'.repeat(10);

/** A Windows 10 client's DISCOVER, broadcast by the client itself (Dell MAC f0:1f:af:12:34:56). */
export const DHCP_WINDOWS_DISCOVER = hex(`
  01 01 06 00                  # op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
  3903f326 0000 8000           # xid, secs, flags broadcast
  00000000 00000000 00000000 00000000 # ciaddr, yiaddr, siaddr, giaddr
  f01faf123456 ${CHADDR_PAD}   # chaddr
  ${SNAME_FILE}                # sname, file
  63825363                     # @236 magic cookie
  35 01 01                     # 53 message type DISCOVER
  3d 07 01f01faf123456         # 61 client id: type 1 + MAC
  32 04 c0a8000a               # 50 requested IP 192.168.0.10
  0c 0f 4445534b544f502d37514b32563150 # 12 host name "DESKTOP-7QK2V1P"
  3c 08 4d53465420352e30       # 60 vendor class "MSFT 5.0"
  37 0e 0103060f1f212b2c2e2f7779f9fc # 55 parameter request list (14)
  ff                           # end
`);

/**
 * An IP camera's REQUEST relayed by a router (giaddr 10.1.0.1, hops 1): the sender is the relay, the
 * client is chaddr 44:19:b6:00:00:07. Options are split over the sname field (option 52 overload).
 */
export const DHCP_RELAYED_REQUEST = hex(`
  01 01 06 01                  # BOOTREQUEST, Ethernet, hlen 6, hops 1
  0badcafe 0000 0000           # xid, secs, flags
  00000000 00000000 00000000 0a010001 # ciaddr, yiaddr, siaddr, giaddr 10.1.0.1
  4419b6000007 ${CHADDR_PAD}   # chaddr
  3c 0c 75646863702031 2e32302e32 ff ${'00'.repeat(49)} # @44 sname holds option 60 "udhcp 1.20.2", end
  ${'00'.repeat(128)}          # file
  63825363                     # magic cookie
  35 01 03                     # 53 REQUEST
  34 01 02                     # 52 overload: sname holds options
  39 02 0240                   # 57 max message size 576
  32 04 0a01000c               # 50 requested IP 10.1.0.12
  36 04 0a000001               # 54 server id 10.0.0.1
  0c 0a 4950432d43414d2d3031   # 12 host name "IPC-CAM-01"
  37 07 0103060c0f1c2a         # 55 parameter request list 1,3,6,12,15,28,42
  51 18 05 0000 05 63616d3031 05 706c616e74 07 6578616d706c65 00 # 81 FQDN, flags S|E, cam01.plant.example
  ff
`);

/** The server's ACK to the Windows client, broadcast: yiaddr, router, two DNS servers. */
export const DHCP_ACK = hex(`
  02 01 06 00                  # op BOOTREPLY, Ethernet, hlen 6, hops 0
  3903f326 0000 8000           # xid, secs, flags broadcast
  00000000 c0a8000a 00000000 00000000 # ciaddr, yiaddr 192.168.0.10, siaddr, giaddr
  f01faf123456 ${CHADDR_PAD}   # chaddr
  ${SNAME_FILE}
  63825363
  35 01 05                     # 53 ACK
  36 04 c0a80001               # 54 server id 192.168.0.1
  33 04 00015180               # 51 lease time 86400 s
  01 04 ffffff00               # 1 subnet mask
  03 04 c0a80001               # 3 router 192.168.0.1
  06 08 c0a80002 c0a80003      # 6 DNS servers 192.168.0.2, 192.168.0.3
  ff
`);

const CLIENT = { mac: 'f0:1f:af:12:34:56', ip: '0.0.0.0', port: 68 };
const SERVER = { mac: '00:1b:54:00:00:01', ip: '192.168.0.1', port: 67 };

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: DHCP_WINDOWS_DISCOVER, ctx: { src: CLIENT, dst: SERVER } },
  {
    transport: 'udp',
    bytes: DHCP_RELAYED_REQUEST,
    ctx: { src: { mac: '00:1b:54:00:00:09', ip: '10.1.0.1', port: 67 } },
  },
  { transport: 'udp', bytes: DHCP_ACK, ctx: { src: SERVER, dst: CLIENT } },
];
