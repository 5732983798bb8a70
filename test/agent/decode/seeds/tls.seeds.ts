// Fuzz seeds for tls: a GREASEd ClientHello (one record and fragmented), a TLS 1.2 server flight
// with a certificate, a TLS 1.3 ServerHello followed by encrypted records. Built from RFC 8446/5246.
import { certificate, OIDS } from '../../../../scripts/lib/der.js';
import {
  certificateMessage,
  clientHello,
  ext,
  records,
  serverHello,
  serverHelloDone,
} from '../../../../scripts/lib/tls-builder.js';
import type { FuzzSeed } from '../helpers.js';

const hello = clientHello({
  ciphers: [0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0x009c],
  extensions: [
    ext.raw(0x1a1a),
    ext.sni('api.example.com'),
    ext.groups(0x2a2a, 0x001d, 0x0017),
    ext.pointFormats(0),
    ext.alpn('h2', 'http/1.1'),
    ext.sigAlgs(0x0403, 0x0804),
    ext.supportedVersions(0x3a3a, 0x0304, 0x0303),
    ext.keyShare(0x001d, Buffer.alloc(32, 9)),
  ],
});
const cert = certificate({
  serial: 77,
  subject: [
    [OIDS.organizationName, 'Example'],
    [OIDS.commonName, 'device.example'],
  ],
  issuer: [[OIDS.commonName, 'Example CA']],
});
const tls12 = Buffer.concat([serverHello({ cipher: 0xc02f }), certificateMessage([cert]), serverHelloDone()]);
const tls13 = Buffer.concat([
  records(22, serverHello({ cipher: 0x1301, extensions: [ext.selectedVersion(0x0304)] })),
  records(20, Buffer.from([1])),
  records(23, Buffer.alloc(40, 0x33)),
]);

// SSLv2-compatible ClientHello (RFC 5246 Appendix E.2): 3 cipher specs, no session id, 16-byte challenge.
const sslv2 = Buffer.from('802201030100090000001000003500002f0000ff00112233445566778899aabbccddeeff', 'hex');

export const seeds: FuzzSeed[] = [
  { transport: 'tcp', bytes: sslv2 },
  { transport: 'tcp', bytes: records(22, hello, 0x0301) },
  { transport: 'tcp', bytes: records(22, hello, 0x0301, 64) },
  { transport: 'tcp', bytes: records(22, tls12), ctx: { fromClient: false } },
  { transport: 'tcp', bytes: records(22, tls12, 0x0303, 300), ctx: { fromClient: false } },
  { transport: 'tcp', bytes: tls13, ctx: { fromClient: false } },
];
