// DNP3 fuzz seeds: IEEE 1815 link frames with real CRCs (field comments in dnp3.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', bytes: hex('05640bc40a000100acd1c0c1013c0106f973 056405c90a000100feda') },
  { transport: 'tcp', bytes: hex('0564184401000a00187bc1c18100001e02000100000001020304ddf4050607122f') },
  { transport: 'udp', bytes: hex('05640bc4ffff01009f0fc0c1013c0106f973') },
];
