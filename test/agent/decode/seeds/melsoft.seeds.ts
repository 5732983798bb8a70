// MELSOFT fuzz seeds, built from the layout documented in agent/decode/melsoft.ts (field comments in melsoft.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  {
    transport: 'udp',
    bytes: hex(`57010500000000000000ffff03000000000000 2000 1c0a16 ${'00'.repeat(21)} 0121 0700 0000 0001`),
  },
  {
    transport: 'udp',
    bytes: hex(`d7010500000000000000ffff03000000000000 3800 9c0a18 000000 ${'00'.repeat(20)} 0121 0700 0000
      46583555432d33324d542f4400000000 0000 000000000000`),
  },
  { transport: 'udp', bytes: hex('5a 00 00 01') },
  { transport: 'udp', bytes: hex('da 00 00 01 14 00 c0a8030a c0a8030a') },
];
