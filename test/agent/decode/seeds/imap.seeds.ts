// Fuzz seeds for imap: a greeting with a CAPABILITY response code (RFC 9051 §7.1).
import type { FuzzSeed } from '../helpers.js';

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: Buffer.from(
      '* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n',
      'latin1',
    ),
  },
];
