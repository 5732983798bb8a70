// Builds DER (X.690 §10) for fixtures: TLVs, OIDs, strings, names and a minimal X.509 certificate
// (RFC 5280 §4.1) whose signature is filler: parsers read it, nothing verifies it.

export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  let head: number[];
  if (n < 0x80) head = [tag, n];
  else if (n < 0x100) head = [tag, 0x81, n];
  else if (n < 0x10000) head = [tag, 0x82, n >> 8, n & 0xff];
  else head = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(head), body]);
}

export const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: Uint8Array[]) => tlv(0x31, ...c);

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const groups: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x & 0x7f) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Buffer.from(out));
}

export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printableString = (s: string) => tlv(0x13, Buffer.from(s, 'latin1'));
export const bmpString = (s: string) => tlv(0x1e, Buffer.from(s, 'utf16le').swap16());
export const nullValue = () => Buffer.from([0x05, 0x00]);
export const utcTime = (s: string) => tlv(0x17, Buffer.from(s, 'latin1'));

/** Positive INTEGER from a non-negative safe integer. */
export function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** INTEGER holding big-endian unsigned bytes, minimally encoded (X.690 §8.3.2). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.from([0]) : Buffer.alloc(0), v);
}

export const OIDS = {
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** Name: one RDN per attribute, in the order given; each value a PrintableString unless already DER. */
export function name(attributes: [string, string | Uint8Array][]): Buffer {
  return seq(
    ...attributes.map(([type, value]) =>
      set(seq(oid(type), typeof value === 'string' ? printableOrUtf8(value) : value)),
    ),
  );
}

function printableOrUtf8(s: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? printableString(s) : utf8String(s);
}

export interface CertificateSpec {
  serial: number;
  subject: [string, string | Uint8Array][];
  issuer: [string, string | Uint8Array][];
  notBefore?: string;
  notAfter?: string;
  /** Seed for the filler public key and signature bytes (deterministic fixtures). */
  seed?: number;
}

function filler(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** A v3 certificate with an ECDSA P-256 key and signature made of deterministic filler bytes. */
export function certificate(spec: CertificateSpec): Buffer {
  const seed = spec.seed ?? spec.serial;
  const algorithm = seq(oid(OIDS.ecdsaWithSha256));
  const spki = seq(
    seq(oid(OIDS.ecPublicKey), oid(OIDS.prime256v1)),
    tlv(0x03, Buffer.from([0x00, 0x04]), filler(64, seed)),
  );
  const tbs = seq(
    tlv(0xa0, integer(2)),
    integer(spec.serial),
    algorithm,
    name(spec.issuer),
    seq(utcTime(spec.notBefore ?? '240101000000Z'), utcTime(spec.notAfter ?? '341231235959Z')),
    name(spec.subject),
    spki,
  );
  // ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 §2.2.3), filler values.
  const sig = seq(unsignedInteger(filler(32, seed + 1)), unsignedInteger(filler(32, seed + 2)));
  return seq(tbs, algorithm, tlv(0x03, Buffer.from([0x00]), sig));
}
