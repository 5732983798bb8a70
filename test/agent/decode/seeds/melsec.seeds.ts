// SLMP / MC protocol fuzz seeds, built from SH-080956ENG §4.1 (field comments in melsec.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', ctx: { fromClient: true }, bytes: hex('5000 00 ff 03ff 00 0600 1000 0101 0000') },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: hex('d000 00 ff 03ff 00 1400 0000 52303443505520202020202020202020 0048'),
  },
  {
    transport: 'udp',
    bytes: hex('d400 3412 0000 00 ff 03ff 00 1400 0000 52303443505520202020202020202020 0048'),
  },
  { transport: 'udp', bytes: hex('5400 3412 0000 00 ff 03ff 00 0c00 1000 0104 0000 640000 a8 0300') },
];
