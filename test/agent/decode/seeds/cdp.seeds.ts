// CDP v2 fixtures (LLC/SNAP 00:00:0c/0x2000; TLV layout as Cisco documents it) built by hand; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

const asc = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

const SOFTWARE = [
  'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)',
  'Technical Support: http://www.cisco.com/techsupport',
  'Copyright (c) 1986-2021 by Cisco Systems, Inc.',
].join('\n');

/** A Cisco switch's CDP announcement, from the LLC header on (as link decoders receive 802.3 frames). */
export const CDP_SWITCH = hex(`
  aaaa03 00000c 2000            # LLC DSAP/SSAP AA, UI; SNAP OUI Cisco, protocol 0x2000
  02 b4 dde9                    # version 2, TTL 180 s, checksum
  0001 001b ${asc('plant-sw-01.example.net')} # device id (length counts the 4-byte header)
  0005 00cc ${asc(SOFTWARE)}    # software version, three lines
  0006 001b ${asc('cisco WS-C2960X-48FPD-L')} # platform
  0002 0011 00000001 01 01 cc 0004 c0a80002 # addresses: 1, NLPID 0xcc (IPv4) 192.168.0.2
  0003 0019 ${asc('GigabitEthernet1/0/17')} # port id
  0004 0008 00000028            # capabilities: switch, IGMP
  000a 0006 0001                # native VLAN 1
  000b 0005 01                  # duplex full
  0016 002d 00000002            # management addresses: 2
    01 01 cc 0004 c0a80002      #   NLPID IPv4 192.168.0.2
    02 08 aaaa0300000086dd 0010 20010db8000000000000000000000002 # 802.2 IPv6 2001:db8::2
`);

export const seeds: FuzzSeed[] = [{ transport: 'link', bytes: CDP_SWITCH, ctx: { ethertype: 0x0000 } }];
