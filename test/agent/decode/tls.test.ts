// The TLS decoder: hellos and certificates built from RFC 8446/5246 layouts, what each yields, and
// one case per malformed input (each asserting the error type and field).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { sniffTls, type TlsPdu, tlsDecoder } from '../../../agent/decode/tls.js';
import { clientFingerprints, ja3, ja3String, ja4 } from '../../../agent/decode/tls-fingerprint.js';
import { certificate, OIDS } from '../../../scripts/lib/der.js';
import { tlsClientHello } from '../../../scripts/lib/payloads.js';
import {
  certificateMessage,
  clientHello,
  ext,
  handshake,
  records,
  serverHello,
  serverHelloDone,
} from '../../../scripts/lib/tls-builder.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';

const client = ctx('tcp', {
  src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50123 },
  dst: { mac: '00:1c:06:00:00:02', ip: '203.0.113.7', port: 443 },
});
const server = ctx('tcp', {
  src: { mac: '00:1c:06:00:00:02', ip: '203.0.113.7', port: 443 },
  dst: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50123 },
  fromClient: false,
});

const HELLO = clientHello({
  ciphers: [0x0a0a, 0x1301, 0x1302, 0xc02b, 0xc02f],
  extensions: [
    ext.raw(0x1a1a),
    ext.sni('telemetry.example.net'),
    ext.groups(0x2a2a, 0x001d, 0x0017),
    ext.pointFormats(0),
    ext.alpn('h2', 'http/1.1'),
    ext.sigAlgs(0x0403, 0x0804, 0x0401),
    ext.supportedVersions(0x3a3a, 0x0304, 0x0303),
  ],
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function decode(bytes: Uint8Array, c = client): TlsPdu {
  return tlsDecoder.decode(bytes, c);
}

function observe(bytes: Uint8Array, c = client): RecordingEmitter {
  const out = new RecordingEmitter();
  tlsDecoder.observe(decode(bytes, c), c, out);
  return out;
}

function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

const leaf = certificate({
  serial: 4242,
  subject: [
    [OIDS.countryName, 'CN'],
    [OIDS.organizationName, 'Example Devices Co.'],
    [OIDS.commonName, 'nvr.local'],
  ],
  issuer: [
    [OIDS.organizationName, 'Example Devices Co.'],
    [OIDS.commonName, 'Example Device CA'],
  ],
});
const ca = certificate({
  serial: 1,
  subject: [[OIDS.commonName, 'Example Device CA']],
  issuer: [[OIDS.commonName, 'Example Device CA']],
});
const SERVER_FLIGHT = Buffer.concat([
  serverHello({
    cipher: 0xc02f,
    extensions: [ext.raw(0xff01, Buffer.from([0])), ext.raw(0x000b, Buffer.from([1, 0]))],
  }),
  certificateMessage([leaf, ca]),
  serverHelloDone(),
]);

describe('tls sniff', () => {
  it('takes handshake records carrying a hello, on any port', () => {
    expect(sniffTls(records(22, HELLO, 0x0301))).toBe(true);
    expect(sniffTls(records(22, SERVER_FLIGHT))).toBe(true);
    expect(sniffTls(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(false);
    expect(sniffTls(records(23, Buffer.alloc(40)))).toBe(false);
    // SSL 2.0 itself (version 0x0002) is not; the SSLv2-compatible TLS hello below is.
    expect(sniffTls(hex('80 2e 01 00 02'))).toBe(false);
  });
});

describe('tls ClientHello', () => {
  it('yields SNI (naming the server address), ALPN, versions, JA3 and JA4 about the client', () => {
    const out = observe(records(22, HELLO, 0x0301));
    expect(out.values('tls.sni', 'src')).toEqual(['telemetry.example.net']);
    expect(out.names).toEqual([{ ip: '203.0.113.7', name: 'telemetry.example.net', via: 'sni' }]);
    expect(out.values('tls.alpn')).toEqual(['h2,http/1.1']);
    expect(out.values('tls.versions')).toEqual(['TLSv1.3,TLSv1.2']);
    // GREASE (0x0a0a, 0x1a1a, 0x2a2a) dropped; extensions and groups in wire order.
    expect(out.values('tls.ja3')).toEqual([md5('771,4865-4866-49195-49199,0-10-11-16-13-43,29-23,0')]);
    expect(out.values('tls.ja4')).toEqual([expect.stringMatching(/^t13d0406h2_[0-9a-f]{12}_[0-9a-f]{12}$/)]);
    expect(out.anomalies).toEqual([]);
  });

  it('returns views into the input when the hello sits in one record', () => {
    const bytes = records(22, HELLO);
    expect(decode(bytes).clientHello!.serverName!.buffer).toBe(bytes.buffer);
  });

  it('reassembles a ClientHello fragmented over several records', () => {
    const whole = decode(records(22, HELLO)).clientHello!;
    const split = decode(records(22, HELLO, 0x0301, 37)).clientHello!;
    expect(ja4(split)).toBe(ja4(whole));
    expect(ja3String(split)).toBe(ja3String(whole));
    expect(Buffer.from(split.serverName!).toString()).toBe('telemetry.example.net');
  });

  it('reports an IP literal in SNI but does not let it name an address', () => {
    const out = observe(records(22, clientHello({ ciphers: [0x002f], extensions: [ext.sni('10.0.0.1')] })));
    expect(out.values('tls.sni')).toEqual(['10.0.0.1']);
    expect(out.names).toEqual([]);
    expect(out.anomalies).toEqual(['tls.sni_not_dns_name']);
  });

  it('reads ALPN and versions texts within their lists, ignoring bytes after them, as the parse does', () => {
    const hello = clientHello({
      ciphers: [0x002f],
      extensions: [
        [0x0010, hex('0003 02 6832 ff')], // ALPN list ["h2"], then a stray byte
        [0x002b, hex('04 0a0a 0304 ee')], // versions [GREASE, TLS 1.3], then a stray byte
      ],
    });
    for (let i = 0; i < 2; i++) {
      const out = observe(records(22, hello));
      expect(out.values('tls.alpn')).toEqual(['h2']);
      expect(out.values('tls.versions')).toEqual(['TLSv1.3']);
    }
    const greaseOnly = clientHello({ ciphers: [0x002f], extensions: [[0x002b, hex('02 1a1a')]] });
    expect(observe(records(22, greaseOnly)).values('tls.versions')).toEqual([]);
  });

  it('writes a non-printable ALPN id in hex', () => {
    const out = observe(
      records(22, clientHello({ ciphers: [0x002f], extensions: [ext.alpn(Buffer.from([0x30, 0xab]))] })),
    );
    expect(out.values('tls.alpn')).toEqual(['0x30ab']);
  });

  it('counts duplicate extensions and trailing bytes after the extensions block', () => {
    const dup = clientHello({ ciphers: [0x002f], extensions: [ext.groups(23), ext.groups(24)] });
    expect(decode(records(22, dup)).anomalies).toEqual(['tls.duplicate_extension']);
    const body = Buffer.concat([dup.subarray(4), Buffer.from([0])]);
    expect(decode(records(22, handshake(1, body))).anomalies).toContain('tls.trailing_bytes');
  });
});

describe('tls server flight', () => {
  it('yields JA3S and the leaf certificate names (not the CA behind it)', () => {
    const out = observe(records(22, SERVER_FLIGHT), server);
    expect(out.values('tls.ja3s')).toEqual([md5('771,49199,65281-11')]);
    expect(out.values('tls.cert_subject_cn')).toEqual(['nvr.local']);
    expect(out.values('tls.cert_subject_o')).toEqual(['Example Devices Co.']);
    expect(out.values('tls.cert_issuer_cn')).toEqual(['Example Device CA']);
    expect(out.values('tls.cert_issuer_o')).toEqual(['Example Devices Co.']);
  });

  it('reads a Certificate message that spans records', () => {
    const pdu = decode(records(22, SERVER_FLIGHT, 0x0303, 200), server);
    expect(Buffer.from(pdu.certificate!.subject.cn!.bytes).toString()).toBe('nvr.local');
  });

  it('keeps the leaf of a certificate list cut by the byte cap, and counts a cut leaf', () => {
    const bytes = records(22, SERVER_FLIGHT);
    const leafEnd =
      5 +
      serverHello({
        cipher: 0xc02f,
        extensions: [ext.raw(0xff01, Buffer.from([0])), ext.raw(0x000b, Buffer.from([1, 0]))],
      }).length +
      4 +
      6 +
      leaf.length;
    expect(decode(bytes.subarray(0, leafEnd + 10), server).certificate?.issuer.cn).not.toBeNull();
    const cut = decode(bytes.subarray(0, leafEnd - 10), server);
    expect(cut.certificate).toBeNull();
    expect(cut.anomalies).toEqual(['tls.certificate_cut']);
    expect(cut.serverHello?.cipherSuite).toBe(0xc02f);
  });

  it('stops at ChangeCipherSpec: a TLS 1.3 ServerHello then encrypted records', () => {
    const bytes = Buffer.concat([
      records(
        22,
        serverHello({
          cipher: 0x1301,
          extensions: [ext.selectedVersion(0x0304), ext.keyShare(0x1d, Buffer.alloc(32))],
        }),
      ),
      records(20, Buffer.from([1])),
      records(23, Buffer.alloc(60, 0x5a)),
    ]);
    const pdu = decode(bytes, server);
    expect(pdu.serverHello?.selectedVersion).toBe(0x0304);
    expect(pdu.stoppedBy).toBe(20);
  });

  it('recognises a HelloRetryRequest by its random', () => {
    const random = hex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
    const pdu = decode(
      records(22, serverHello({ cipher: 0x1301, random, extensions: [ext.selectedVersion(0x0304)] })),
      server,
    );
    expect(pdu.serverHello?.helloRetry).toBe(true);
  });

  it('returns an empty PDU for a server that answers with an alert alone', () => {
    const pdu = decode(records(21, Buffer.from([2, 40])), server);
    expect(pdu).toMatchObject({ clientHello: null, serverHello: null, certificate: null, stoppedBy: 21 });
  });

  it('counts a malformed certificate but keeps the ServerHello before it', () => {
    const badDer = Buffer.from(leaf);
    badDer[1] = 0x82; // SEQUENCE length now claims more bytes than the certificate has
    badDer[2] = 0xff;
    const flight = Buffer.concat([serverHello({ cipher: 0xc02f }), certificateMessage([badDer])]);
    const pdu = decode(records(22, flight), server);
    expect(pdu.serverHello).not.toBeNull();
    expect(pdu.certificate).toBeNull();
    expect(pdu.anomalies).toEqual(['tls.bad_handshake_11']);
  });
});

// RFC 5246 Appendix E.2: msg_length 0x8022 (34 bytes follow), CLIENT-HELLO, TLS 1.0, 3 cipher specs,
// no session id, a 16-byte challenge.
const SSLV2_HELLO = hex(`
  80 22          # msg_length, top bit set
  01             # msg_type CLIENT-HELLO
  0301           # version TLS 1.0
  0009 0000 0010 # cipher_spec_length, session_id_length, challenge_length
  000035 00002f 0000ff
  00112233445566778899aabbccddeeff`);

describe('tls SSLv2-compatible ClientHello', () => {
  it('is recognised and counted, with no fingerprint (no extensions to take one from)', () => {
    expect(sniffTls(SSLV2_HELLO)).toBe(true);
    const pdu = decode(SSLV2_HELLO);
    expect(pdu.sslv2Hello).toEqual({ version: 0x0301, cipherSpecs: 3 });
    const out = observe(SSLV2_HELLO);
    expect(out.observations).toEqual([]);
    expect(out.anomalies).toEqual(['tls.sslv2_client_hello']);
  });

  it('malformed: cut, a ragged cipher list, a bad challenge length, a msg_length that disagrees', () => {
    const cut = thrown(() => decode(SSLV2_HELLO.subarray(0, 20)));
    expect(cut).toBeInstanceOf(TruncatedError);
    expect(cut.field).toBe('sslv2.body');
    const bad = (at: number, value: number) => {
      const b = Buffer.from(SSLV2_HELLO);
      b[at] = value;
      return b;
    };
    expect(thrown(() => decode(bad(6, 8))).field).toBe('sslv2.cipher_spec_length');
    expect(thrown(() => decode(bad(10, 8))).field).toBe('sslv2.challenge_length');
    expect(thrown(() => decode(bad(1, 0x21))).field).toBe('sslv2.msg_length');
  });
});

describe('tls malformed input', () => {
  const whole = records(22, HELLO);

  it('a record header cut short is a TruncatedError on record.header', () => {
    const err = thrown(() => decode(whole.subarray(0, 4)));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('record.header');
  });

  it('a ClientHello cut by the end of the bytes is a TruncatedError on handshake.body', () => {
    const err = thrown(() => decode(whole.subarray(0, 60)));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('handshake.body');
  });

  it.each([
    ['record.type', hex('19 0303 0004 01000000')],
    ['record.version', hex('16 0203 0004 01000000')],
    ['record.length', hex('16 0303 4801 01')],
    ['record.type', records(23, Buffer.alloc(8))],
  ])('a bad record header is a DecodeError on %s', (field, bytes) => {
    const err = thrown(() => decode(bytes));
    expect(err).not.toBeInstanceOf(TruncatedError);
    expect(err.field).toBe(field);
  });

  it('a handshake length over the cap is a DecodeError on handshake.length', () => {
    expect(thrown(() => decode(hex('16 0303 0004 01 7fffff'))).field).toBe('handshake.length');
  });

  it('an extension whose length overruns the block is a DecodeError on extension.length', () => {
    const msg = Buffer.from(clientHello({ ciphers: [0x002f], extensions: [ext.sni('a.example')] }));
    msg[msg.length - 1 - 'a.example'.length - 6] = 0x40; // extension_data length high byte
    const err = thrown(() => decode(records(22, msg)));
    expect(err.field).toBe('extension.length');
  });

  it('more extensions than the cap is a DecodeError on extensions.count', () => {
    const many = Array.from({ length: 101 }, (_, i) => ext.raw(0x1000 + i));
    expect(
      thrown(() => decode(records(22, clientHello({ ciphers: [0x002f], extensions: many })))).field,
    ).toBe('extensions.count');
  });

  it('a server name overrunning its extension is a DecodeError on server_name.host_name', () => {
    const bad: [number, Uint8Array] = [0x0000, hex('0007 00 0010 6162636465')];
    expect(
      thrown(() => decode(records(22, clientHello({ ciphers: [0x002f], extensions: [bad] })))).field,
    ).toBe('server_name.host_name');
  });

  it.each([
    ['client_hello.cipher_suites', clientHello({ ciphers: [] })],
    ['client_hello.compression_methods', clientHello({ ciphers: [0x002f], compression: [] })],
    ['supported_versions', clientHello({ ciphers: [0x002f], extensions: [[0x002b, hex('03 0304 03')]] })],
    ['client_hello.session_id', clientHello({ ciphers: [0x002f], sessionId: Buffer.alloc(33) })],
  ])('a malformed hello field is a DecodeError on %s', (field, msg) => {
    expect(thrown(() => decode(records(22, msg))).field).toBe(field);
  });

  it('an odd cipher-suite vector is a DecodeError', () => {
    const msg = Buffer.from(clientHello({ ciphers: [0x002f, 0x0035] }));
    // cipher_suites length is at 4 + 2 + 32 + 1 = 39; make it odd and the vector ends mid-suite.
    msg[40] = 3;
    expect(thrown(() => decode(records(22, msg))).field).toBe('client_hello.cipher_suites');
  });
});

describe('tls: bytes that are not records after a good handshake record', () => {
  it('keep the ClientHello and count the rest as an anomaly', () => {
    const hello = tlsClientHello('plant.example.jp', 7);
    const bytes = Uint8Array.from([...hello, 0xa5, 0x03, 0x03, 0x00, 0x10, ...new Uint8Array(16)]);
    const c = ctx('tcp', { fromClient: true });
    const out = new RecordingEmitter();
    tlsDecoder.observe(tlsDecoder.decode(bytes, c), c, out);
    expect(out.values('tls.sni')).toEqual(['plant.example.jp']);
    expect(out.anomalies).toContain('tls.bad_record_after_handshake.type');
  });
});

describe('tls: remembered fingerprints', () => {
  it('give the same JA3/JA4 as computing them, and tell apart hellos that differ in one field', () => {
    const a = tlsDecoder.decode(tlsClientHello('a.example', 1), ctx('tcp')).clientHello!;
    const b = tlsDecoder.decode(tlsClientHello('b.example', 2), ctx('tcp')).clientHello!;
    expect(clientFingerprints(a)).toEqual({ ja3: ja3(a), ja4: ja4(a) });
    expect(clientFingerprints(b)).toEqual(clientFingerprints(a)); // same fields but SNI and random
    const c = { ...a, cipherSuites: a.cipherSuites.slice(1) };
    expect(clientFingerprints(c)).toEqual({ ja3: ja3(c), ja4: ja4(c) });
    expect(clientFingerprints(c).ja3).not.toBe(clientFingerprints(a).ja3);
  });
});
