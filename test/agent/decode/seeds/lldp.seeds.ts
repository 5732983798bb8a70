// LLDP fixtures (IEEE 802.1AB-2016 §8, ANSI/TIA-1057 §10.2.6) built by hand; the fuzz test mutates them.
import { type FuzzSeed, hex } from '../helpers.js';

/** Text as hex, for TLV values in fixtures. */
const asc = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

const SYS_DESCR =
  'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\nCompiled Tue 18-Feb-20';

/** A Cisco access switch's LLDPDU (the frame comes from a port MAC, the chassis id is the base MAC). */
export const LLDP_SWITCH = hex(`
  0207 04 001b54aa0000          # chassis id (type 1, len 7): subtype 4 MAC 00:1b:54:aa:00:00
  0409 05 ${asc('Gi1/0/17')}    # port id (2, 9): subtype 5 interface name
  0602 0078                     # TTL (3, 2): 120 s
  0815 ${asc('GigabitEthernet1/0/17')} # port description (4, 21)
  0a17 ${asc('plant-sw-01.example.net')} # system name (5, 23)
  0c7c ${asc(SYS_DESCR)}        # system description (6, 124), two lines
  0e04 0014 0004                # capabilities (7, 4): bridge+router supported, bridge enabled
  100c 05 01 c0a80002 02 00000011 00 # management address (8, 12): len 5, IPv4 192.168.0.2, ifIndex 17, OID len 0
  0000                          # end
  ${'00'.repeat(8)}             # Ethernet padding
`);

/** An IP phone's LLDP-MED LLDPDU with inventory TLVs. */
export const LLDP_MED_PHONE = hex(`
  0206 05 01 c0a80032           # chassis id: subtype 5 network address, IPv4 192.168.0.50
  0407 03 0004f2000050          # port id: subtype 3 MAC 00:04:f2:00:00:50
  0602 00b4                     # TTL 180 s
  0e04 0024 0020                # capabilities: bridge+telephone supported, telephone enabled
  fe15 0012bb 09 ${asc('ExamplePhone Inc.')} # org TLV (127, 21): TIA, inventory manufacturer name
  fe0a 0012bb 0a ${asc('EP-410')}            # TIA inventory model name
  fe0e 0012bb 07 ${asc('5.9.1.0615')}        # TIA inventory software revision
  fe09 00120f 01 03 6c03 001e   # IEEE 802.3 MAC/PHY configuration (not read)
  0000                          # end
`);

export const seeds: FuzzSeed[] = [
  { transport: 'link', bytes: LLDP_SWITCH, ctx: { ethertype: 0x88cc } },
  { transport: 'link', bytes: LLDP_MED_PHONE, ctx: { ethertype: 0x88cc } },
];
