// The names of an X.509 certificate (RFC 5280 §4.1): subject and issuer commonName and
// organizationName, read from DER with ber.ts. Nothing else is interpreted; nothing is verified.
import { berOid, expectTlv, readTlv, type Tlv } from './ber.js';
import { DecodeError } from './errors.js';

export interface NameParts {
  /** First commonName (2.5.4.3) value, raw string bytes with their ASN.1 string tag. */
  cn: DirectoryString | null;
  /** First organizationName (2.5.4.10) value. */
  o: DirectoryString | null;
}

export interface DirectoryString {
  tag: number;
  bytes: Uint8Array;
}

export interface CertificateNames {
  subject: NameParts;
  issuer: NameParts;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
const INTEGER = 0x02;
const VERSION = 0xa0; // [0] EXPLICIT Version

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 *                               subject, … } (RFC 5280 §4.1.1, §4.1.2). Throws DecodeError.
 */
export function certificateNames(der: Uint8Array, protocol: string): CertificateNames {
  const cert = expectTlv(der, 0, der.length, SEQUENCE, protocol, 'x509.certificate');
  const tbs = expectTlv(der, cert.start, cert.end, SEQUENCE, protocol, 'x509.tbs');
  let pos = tbs.start;
  const first = readTlv(der, pos, tbs.end, protocol);
  if (first.tag === VERSION) pos = first.end;
  pos = expectTlv(der, pos, tbs.end, INTEGER, protocol, 'x509.serial').end;
  pos = expectTlv(der, pos, tbs.end, SEQUENCE, protocol, 'x509.signature').end;
  const issuer = expectTlv(der, pos, tbs.end, SEQUENCE, protocol, 'x509.issuer');
  const validity = expectTlv(der, issuer.end, tbs.end, SEQUENCE, protocol, 'x509.validity');
  const subject = expectTlv(der, validity.end, tbs.end, SEQUENCE, protocol, 'x509.subject');
  return { subject: nameParts(der, subject, protocol), issuer: nameParts(der, issuer, protocol) };
}

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET OF AttributeTypeAndValue;
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY } (RFC 5280 §4.1.2.4).
 */
function nameParts(der: Uint8Array, name: Tlv, protocol: string): NameParts {
  const parts: NameParts = { cn: null, o: null };
  for (let rdnPos = name.start; rdnPos < name.end; ) {
    const rdn = expectTlv(der, rdnPos, name.end, SET, protocol, 'x509.rdn');
    for (let atvPos = rdn.start; atvPos < rdn.end; ) {
      const atv = expectTlv(der, atvPos, rdn.end, SEQUENCE, protocol, 'x509.attribute');
      const type = expectTlv(der, atv.start, atv.end, OID, protocol, 'x509.attribute.type');
      const value = readTlv(der, type.end, atv.end, protocol);
      const oid = berOid(der, type, protocol);
      if ((oid === OID_CN && !parts.cn) || (oid === OID_O && !parts.o)) {
        const text = { tag: value.tag, bytes: der.subarray(value.start, value.end) };
        checkString(text, value.start, protocol);
        if (oid === OID_CN) parts.cn = text;
        else parts.o = text;
      }
      atvPos = atv.end;
    }
    rdnPos = rdn.end;
  }
  return parts;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const utf16be = new TextDecoder('utf-16be');

/** Bytes per character of the fixed-width string types. */
const WIDTH: Readonly<Record<number, number>> = { 30: 2, 28: 4 };

/**
 * DirectoryString and the other string types names use (X.680 §41): UTF8String (0x0c),
 * PrintableString (0x13), TeletexString (0x14), IA5String (0x16), VisibleString (0x1a),
 * UniversalString (0x1c), BMPString (0x1e). Another tag or a ragged width is a DecodeError.
 */
function checkString(s: DirectoryString, offset: number, protocol: string): void {
  if (![0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e].includes(s.tag)) {
    throw new DecodeError(
      protocol,
      offset,
      'x509.string',
      `tag 0x${s.tag.toString(16)} is not a string type`,
    );
  }
  const width = WIDTH[s.tag] ?? 1;
  if (s.bytes.length % width) {
    throw new DecodeError(
      protocol,
      offset,
      'x509.string',
      `${s.bytes.length} bytes for ${width}-byte characters`,
    );
  }
}

/** A checked directory string as text; TeletexString is read as Latin-1, as OpenSSL does. */
export function directoryText(s: DirectoryString): string {
  switch (s.tag) {
    case 0x0c:
      return utf8.decode(s.bytes);
    case 0x1e:
      return utf16be.decode(s.bytes);
    case 0x1c: {
      let out = '';
      for (let i = 0; i + 3 < s.bytes.length; i += 4) {
        const cp =
          ((s.bytes[i]! << 24) | (s.bytes[i + 1]! << 16) | (s.bytes[i + 2]! << 8) | s.bytes[i + 3]!) >>> 0;
        out += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      }
      return out;
    }
    default:
      return latin1.decode(s.bytes);
  }
}
