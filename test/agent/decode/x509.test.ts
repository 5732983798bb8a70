// Certificate names from DER built per RFC 5280 §4.1: string types, attribute order, bad DER.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../agent/decode/errors.js';
import { certificateNames, directoryText } from '../../../agent/decode/x509.js';
import {
  bmpString,
  certificate,
  integer,
  OIDS,
  oid,
  seq,
  tlv,
  utf8String,
} from '../../../scripts/lib/der.js';

function names(der: Uint8Array) {
  const n = certificateNames(der, 'tls');
  const text = (s: { tag: number; bytes: Uint8Array } | null) => (s ? directoryText(s) : null);
  return {
    subjectCn: text(n.subject.cn),
    subjectO: text(n.subject.o),
    issuerCn: text(n.issuer.cn),
    issuerO: text(n.issuer.o),
  };
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

describe('x509 names', () => {
  it('reads subject and issuer CN and O whatever the RDN order', () => {
    const der = certificate({
      serial: 7,
      subject: [
        [OIDS.commonName, 'plc-web.plant.example'],
        [OIDS.organizationalUnitName, 'OT'],
        [OIDS.organizationName, 'Plant Operator'],
      ],
      issuer: [[OIDS.commonName, 'Issuing CA 1']],
    });
    expect(names(der)).toEqual({
      subjectCn: 'plc-web.plant.example',
      subjectO: 'Plant Operator',
      issuerCn: 'Issuing CA 1',
      issuerO: null,
    });
  });

  it('decodes UTF8String, BMPString and keeps the first of repeated attributes', () => {
    const der = certificate({
      serial: 8,
      subject: [
        [OIDS.commonName, utf8String('摄像机')],
        [OIDS.commonName, 'second'],
        [OIDS.organizationName, bmpString('Überwachung GmbH')],
      ],
      issuer: [[OIDS.commonName, 'x']],
    });
    expect(names(der)).toMatchObject({ subjectCn: '摄像机', subjectO: 'Überwachung GmbH' });
  });

  it('reads a v1 certificate without the [0] version field', () => {
    const v3 = certificate({
      serial: 9,
      subject: [[OIDS.commonName, 'v1']],
      issuer: [[OIDS.commonName, 'v1']],
    });
    // Drop "a0 03 02 01 02" from the TBS and re-wrap both SEQUENCEs.
    const tbsStart = v3[1]! & 0x80 ? 2 + (v3[1]! & 0x7f) : 2;
    const tbs = v3.subarray(tbsStart);
    const tbsHead = tbs[1]! & 0x80 ? 2 + (tbs[1]! & 0x7f) : 2;
    const tbsLength = tbs[1]! & 0x80 ? tbs.readUIntBE(2, tbs[1]! & 0x7f) : tbs[1]!;
    const inner = tbs.subarray(tbsHead + 5, tbsHead + tbsLength);
    const rest = tbs.subarray(tbsHead + tbsLength);
    expect(names(seq(seq(inner), rest)).subjectCn).toBe('v1');
  });

  it('a Name whose length overruns the TBS is a DecodeError on ber.length', () => {
    // serial, signature algorithm, then an issuer SEQUENCE claiming 127 bytes of which 2 exist.
    const tbs = Buffer.concat([
      integer(1),
      seq(oid(OIDS.ecdsaWithSha256)),
      Buffer.from([0x30, 0x7f, 0x31, 0x00]),
    ]);
    expect(thrown(() => certificateNames(seq(seq(tbs)), 'tls')).field).toBe('ber.length');
  });

  it('a certificate cut short is a DecodeError on ber.length', () => {
    const der = certificate({
      serial: 1,
      subject: [[OIDS.commonName, 'a']],
      issuer: [[OIDS.commonName, 'b']],
    });
    expect(thrown(() => certificateNames(der.subarray(0, der.length - 10), 'tls')).field).toBe('ber.length');
  });

  it('a CN that is not a string type is a DecodeError on x509.string', () => {
    const der = certificate({
      serial: 2,
      subject: [[OIDS.commonName, tlv(0x04, Buffer.from('octets'))]],
      issuer: [[OIDS.commonName, 'b']],
    });
    expect(thrown(() => certificateNames(der, 'tls')).field).toBe('x509.string');
  });

  it('a BMPString of odd length is a DecodeError on x509.string', () => {
    const der = certificate({
      serial: 3,
      subject: [[OIDS.organizationName, tlv(0x1e, Buffer.from([0, 0x41, 0]))]],
      issuer: [[OIDS.commonName, 'b']],
    });
    expect(thrown(() => certificateNames(der, 'tls')).field).toBe('x509.string');
  });

  it('a TBS that is not a SEQUENCE is a DecodeError on x509.tbs', () => {
    expect(thrown(() => certificateNames(seq(tlv(0x31)), 'tls')).field).toBe('x509.tbs');
  });
});
