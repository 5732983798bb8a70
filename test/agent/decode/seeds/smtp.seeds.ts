// Fuzz seeds for smtp: single-line and multi-line greetings (RFC 5321 §4.2).
import type { FuzzSeed } from '../helpers.js';

const t = (s: string) => Buffer.from(s, 'latin1');
const server = { fromClient: false, src: { mac: null, ip: '192.168.1.5', port: 25 } };

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', ctx: server, bytes: t('220 mail.plant.example ESMTP Postfix (Debian/GNU)\r\n') },
  { transport: 'tcp', ctx: server, bytes: t('220-mx ESMTP Exim 4.96\r\n220 No UCE\r\n') },
];
