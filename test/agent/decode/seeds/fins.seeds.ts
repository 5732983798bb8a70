// Omron FINS fuzz seeds, built from W227 §3/§5 and W421 §7 (field comments in fins.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

const RESPONSE = `c00002000a000001002205010000434a324d2d43505533332020202020202020202030322e3031202020202020202020202020202020
  ${'00'.repeat(40)} 0020000000080000 0000`;

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: hex('800002000100000a0022050100') },
  { transport: 'udp', bytes: hex(RESPONSE) },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: hex(`46494e53 00000070 00000002 00000000 ${RESPONSE}`),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: true },
    bytes: hex(
      '46494e53 0000000c 00000000 00000000 00000000 46494e53 00000015 00000002 00000000 800002000100000a0022050100',
    ),
  },
];
