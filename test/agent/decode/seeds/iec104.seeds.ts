// IEC 60870-5-104 fuzz seeds, built from IEC 60870-5-104 §5 (field comments in iec104.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: { fromClient: true },
    bytes: hex('680407000000 680e00000000640106001e0400000014'),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: hex(
      '68040b000000 680e00000200640107001e0400000014 6812020002000d0103001e04e90300 0000ac4100 680401000400',
    ),
  },
  { transport: 'tcp', bytes: hex('680443000000 680483000000 680413000000 680423000000') },
];
