// Fuzz seeds for pop3: a greeting with an APOP timestamp (RFC 1939 §4, §7).
import type { FuzzSeed } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: Buffer.from('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n', 'latin1'),
  },
];
