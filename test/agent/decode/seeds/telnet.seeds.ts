// Fuzz seeds for telnet: negotiation, subnegotiation, ANSI colour and a prompt (RFC 854/855).
import type { FuzzSeed } from '../helpers.js';

const server = { fromClient: false, src: { mac: null, ip: '192.168.1.1', port: 23 } };

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: server,
    bytes: Buffer.concat([
      Buffer.from('fffb01fffb03fffd18fffd1f', 'hex'),
      Buffer.from('\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:', 'latin1'),
    ]),
  },
  {
    transport: 'tcp',
    ctx: server,
    bytes: Buffer.concat([
      Buffer.from('fffa1801fff0', 'hex'),
      Buffer.from('\r\0\x1b[1;32mBusyBox v1.31.1\x1b[0m\r\nlogin: ', 'latin1'),
    ]),
  },
];
