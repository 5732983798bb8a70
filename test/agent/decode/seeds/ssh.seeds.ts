// Fuzz seeds for ssh: identification strings of both sides, with pre-lines (RFC 4253 §4.2).
import type { FuzzSeed } from '../helpers.js';

const t = (s: string) => Buffer.from(s, 'latin1');

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', bytes: t('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n\x00\x00\x01\x0c\x0a\x14') },
  {
    transport: 'tcp',
    ctx: { fromClient: false, src: { mac: null, ip: '192.168.1.1', port: 22 } },
    bytes: t('Authorized access only\r\nSSH-2.0-HUAWEI-1.5\r\n'),
  },
];
