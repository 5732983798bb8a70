// The explicit list of application and industrial decoders, in the order they are tried.
// Specific, cheaply-sniffed protocols come first; generic text sniffers (HTTP, banners) last.

// --- discovery and IT protocols (issue 3, part 1) ---
import { cdpDecoder } from './cdp.js';
import { dhcpDecoder } from './dhcp.js';
import { dhcpv6Decoder } from './dhcpv6.js';
import { dnsDecoder } from './dns.js';
import { lldpDecoder } from './lldp.js';
import { llmnrDecoder } from './llmnr.js';
import { mdnsDecoder } from './mdns.js';
import { nbnsDecoder } from './nbns.js';
import { snmpDecoder } from './snmp.js';
import { ssdpDecoder } from './ssdp.js';
import type { AppDecoder } from './types.js';

// --- industrial protocols (issue 3, part 2) ---

export const APP_DECODERS: readonly AppDecoder[] = [
  // --- discovery and IT protocols ---
  // Link protocols by EtherType/SNAP; then magic-cookie and BER checks; then port-bound DNS family; SSDP text last.
  lldpDecoder,
  cdpDecoder,
  dhcpDecoder,
  snmpDecoder,
  dhcpv6Decoder,
  nbnsDecoder,
  llmnrDecoder,
  mdnsDecoder,
  dnsDecoder,
  ssdpDecoder,
  // --- industrial protocols ---
];
