// HART-IP fuzz seeds, built from the HCF_SPEC-085 header (field comments in hartip.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: { fromClient: true },
    bytes: hex('01000000 0001 000d 0100007530 01000300 0003 0011 82264e0000d2000038'),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: hex('01010000 0001 000d 0100007530 01010200 0002 0008'),
  },
  { transport: 'udp', bytes: hex('01020300 0010 0014 86264e0000d2 0d 00 00 41424344') },
];
