// EtherNet/IP fuzz seeds, built from ODVA Vol. 2 encapsulation and CPF layouts (field comments in enip.test.ts).
import { type FuzzSeed, hex } from '../helpers.js';

const target = {
  src: { mac: null, ip: '192.168.1.10', port: 44818 },
  dst: { mac: null, ip: '192.168.1.2', port: 50000 },
};
const io = {
  src: { mac: null, ip: '192.168.1.10', port: 2222 },
  dst: { mac: null, ip: '239.192.1.2', port: 2222 },
};

export const seeds: FuzzSeed[] = [
  {
    transport: 'udp',
    ctx: target,
    bytes: hex(`6300 3300 00000000 00000000 0000000000000000 00000000 0100 0c00 2d00 0100
      0002 af12 c0a8010a 0000000000000000 0100 0e00 a600 20 0b 6031 b3a2e160 0b 313735362d4c3833452f42 03`),
  },
  {
    transport: 'tcp',
    ctx: { ...target, fromClient: false },
    bytes: hex(`6f00 2e00 78563412 00000000 0000000000000000 00000000 00000000 0a00 0200 0000 0000 b200 1e00
      81 00 00 00 0100 0c00 3a00 04 03 3000 6ca34600 0b 313735362d454e42542f41`),
  },
  {
    transport: 'tcp',
    bytes: hex(`6500 0400 00000000 00000000 0000000000000000 00000000 0100 0000
      7000 1a00 78563412 00000000 0000000000000000 00000000 00000000 0000 0200 a100 0400 01020304
      b100 0600 0100 01 02 2001 2401`),
  },
  { transport: 'udp', ctx: io, bytes: hex('0200 0280 0800 44332211 01000000 b100 0600 0100 00 00 00 00') },
];
