// Fuzz seeds for ftp: a single-line and a 120-then-multi-line greeting (RFC 959 §4.2, §5.4).
import type { FuzzSeed } from '../helpers.js';

const t = (s: string) => Buffer.from(s, 'latin1');
const server = { fromClient: false, src: { mac: null, ip: '192.168.1.30', port: 21 } };

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', ctx: server, bytes: t('220 VxWorks (5.4.2) FTP server ready\r\n') },
  {
    transport: 'tcp',
    ctx: server,
    bytes: t('120 ready in 1 minute\r\n220-FileZilla Server 0.9.60 beta\r\n220 Please visit\r\n'),
  },
];
