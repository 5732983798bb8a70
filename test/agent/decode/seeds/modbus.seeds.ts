// Modbus/TCP fuzz seeds, built from MAP V1.1b3 and the MBAP header (see modbus.test.ts for field comments).
import { type FuzzSeed, hex } from '../helpers.js';

const server = { fromClient: false, src: { mac: null, ip: '10.0.0.5', port: 502 } };

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: server,
    bytes: hex(`0001 0000 0030 01 2b 0e 01 01 00 00 03
      00 12 5363686e656964657220456c656374726963 01 0a 424d5850333432303230 02 06 7630322e3930`),
  },
  {
    transport: 'tcp',
    ctx: server,
    bytes: hex('0000 0000 0015 0a 11 12 00 ff 57696e6770617468204c696d69746564'),
  },
  { transport: 'tcp', ctx: server, bytes: hex('0002 0000 0006 0a 03 04 0000 0001 0003 0000 0003 01 ab 01') },
  { transport: 'tcp', bytes: hex('0001 0000 0005 01 2b 0e 01 00 0002 0000 0006 01 03 0000 000a') },
];
