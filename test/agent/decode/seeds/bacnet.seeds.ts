// BACnet/IP fuzz seeds, built from ASHRAE 135 Annex J, clauses 6 and 20 (field comments in bacnet.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: hex('810b00180120ffff00ff1000c40200006422040091032105') },
  {
    transport: 'udp',
    bytes: hex('810a0025010030010c0c0200006419793e7511004a6f686e736f6e20436f6e74726f6c733f'),
  },
  {
    transport: 'udp',
    bytes: hex(`810a005b010030020e0c020000641e29464e751904004d0053002d004e004100450035003500310030002d00334f
      292c4e750b00392e302e302e313233344f294d4e7507004e41452d30314f29784e21054f293a5e910291205f1f`),
  },
  { transport: 'udp', bytes: hex('81 0a 0011 01 04 00 05 01 0c 0c 02000064 19 79') },
  // Forwarded-NPDU (original source 10.1.1.20:47808) carrying a Who-Is for instances 100..1000.
  { transport: 'udp', bytes: hex('81 04 0013 0a010114 bac0 01 00 10 08 09 64 1a 03e8') },
];
