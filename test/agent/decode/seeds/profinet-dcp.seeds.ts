// PROFINET DCP fuzz seeds, built from IEC 61158-6-10 §4.3.1 (field comments in profinet-dcp.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

const dcp = { ethertype: 0x8892 };

export const seeds: FuzzSeed[] = [
  {
    transport: 'link',
    ctx: dcp,
    bytes: hex(`feff050100000001000000420201000a000045542032303053500202000b0000657432303073702d3100
      020300060000002a031302040004000001000102000e0001c0a80014ffffff00c0a80001`),
  },
  { transport: 'link', ctx: dcp, bytes: hex('fefd 04 00 00000002 0000 000c 0202 0008 0001 256e256e256e') },
  { transport: 'link', ctx: dcp, bytes: hex('fefe 05 00 00000004 0001 0004 ffff 0000') },
  {
    transport: 'link',
    ctx: dcp,
    bytes: hex('fefc 06 00 00000007 0000 000e 0202 000a 0000 706c6331 00000000'),
  },
];
