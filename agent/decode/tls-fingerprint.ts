// TLS client and server fingerprints: JA3 and JA3S (salesforce/ja3 README) and JA4 (FoxIO).
//
// JA4 follows FoxIO-LLC/ja4 technical_details/JA4.md at commit d8f731ce0f194896f03261f333040cd8a80a2345
// (the revision with the hex rule for non-alphanumeric ALPN values and "000000000000" for empty
// lists): GREASE ignored everywhere, version from supported_versions' highest value, cipher and
// extension lists sorted, SNI (0000) and ALPN (0010) left out of the extension hash, signature
// algorithms (from signature_algorithms only) appended in wire order, SHA-256 truncated to 12 hex.
import { createHash } from 'node:crypto';
import { EXT, isGrease, JA4_VERSIONS } from './tls.codes.js';
import type { ClientHello, ServerHello } from './tls-hello.js';

/**
 * Digests of fingerprint strings, remembered: a client repeats the same hello thousands of times a
 * day and hashing is most of what a fingerprint costs. Bounded; cleared when full.
 */
const digests = new Map<string, string>();
const MAX_DIGESTS = 4096;

function remembered(kind: 'md5' | 'sha256', text: string): string {
  const key = kind === 'md5' ? `m${text}` : `s${text}`;
  let hex = digests.get(key);
  if (hex === undefined) {
    hex = createHash(kind).update(text).digest('hex');
    if (digests.size >= MAX_DIGESTS) digests.clear();
    digests.set(key, hex);
  }
  return hex;
}

function md5(text: string): string {
  return remembered('md5', text);
}

/** JA3 string: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (decimal, "-"). */
export function ja3String(h: ClientHello): string {
  const keep = (v: number) => !isGrease(v);
  return [
    String(h.legacyVersion),
    h.cipherSuites.filter(keep).join('-'),
    h.extensions
      .map((e) => e.type)
      .filter(keep)
      .join('-'),
    h.supportedGroups.filter(keep).join('-'),
    h.ecPointFormats.join('-'),
  ].join(',');
}

export function ja3(h: ClientHello): string {
  return md5(ja3String(h));
}

/** JA3S string: SSLVersion,Cipher,Extensions (decimal; servers send no GREASE, none is removed). */
export function ja3sString(s: ServerHello): string {
  return [String(s.legacyVersion), String(s.cipherSuite), s.extensions.map((e) => e.type).join('-')].join(
    ',',
  );
}

/**
 * JA3S remembered by a 53-bit digest of what it is made of (version, cipher, extension types): a
 * server answers with the same hello all day, and building and hashing its string cost more than
 * the parse.
 */
const serverFingerprints = new Map<number, string>();

export function ja3s(s: ServerHello): string {
  const d = new Digest53();
  d.mix(s.legacyVersion);
  d.mix(s.cipherSuite);
  d.mix(0x20000 + s.extensions.length);
  for (let i = 0; i < s.extensions.length; i++) d.mix(s.extensions[i]!.type);
  const key = d.value();
  let fp = serverFingerprints.get(key);
  if (fp === undefined) {
    fp = md5(ja3sString(s));
    if (serverFingerprints.size >= MAX_DIGESTS) serverFingerprints.clear();
    serverFingerprints.set(key, fp);
  }
  return fp;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/** First 12 hex digits of SHA-256, or twelve zeros for an empty list (JA4+ general rule 1). */
export function hash12(text: string): string {
  return text ? remembered('sha256', text).slice(0, 12) : '000000000000';
}

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * JA4 "ALPN Extension Value": first and last characters of the first ALPN value; "00" when there
 * is none or it is empty; a one-byte value counts as both; when either end byte is not
 * alphanumeric, the first and last characters of the value's hex form instead.
 */
export function ja4Alpn(first: Uint8Array | undefined): string {
  if (!first || first.length === 0) return '00';
  const a = first[0]!;
  const z = first[first.length - 1]!;
  if (isAlnum(a) && isAlnum(z)) return String.fromCharCode(a, z);
  const hex = Buffer.from(first.buffer, first.byteOffset, first.length).toString('hex');
  return hex[0]! + hex[hex.length - 1]!;
}

/** JA4_b: sorted 4-hex cipher list (GREASE removed), hashed. */
export function ja4Ciphers(suites: readonly number[]): string {
  return hash12(
    suites
      .filter((v) => !isGrease(v))
      .map(hex4)
      .sort()
      .join(','),
  );
}

/**
 * JA4_c: sorted 4-hex extension list without GREASE, SNI and ALPN, then "_" and the signature
 * algorithms in wire order when there are any; twelve zeros when no extension is left.
 */
export function ja4Extensions(types: readonly number[], sigalgs: readonly number[]): string {
  const exts = types
    .filter((v) => !isGrease(v) && v !== EXT.serverName && v !== EXT.alpn)
    .map(hex4)
    .sort()
    .join(',');
  if (!exts) return '000000000000';
  const sigs = sigalgs
    .filter((v) => !isGrease(v))
    .map(hex4)
    .join(',');
  return hash12(sigs ? `${exts}_${sigs}` : exts);
}

function count2(n: number): string {
  return String(Math.min(n, 99)).padStart(2, '0');
}

/** The JA4 version: highest non-GREASE supported_versions value, else the hello's legacy version. */
export function ja4Version(h: ClientHello): string {
  const offered = (h.supportedVersions ?? []).filter((v) => !isGrease(v));
  const version = offered.length ? Math.max(...offered) : h.legacyVersion;
  return JA4_VERSIONS[version] ?? '00';
}

/** JA4 = a_b_c for a ClientHello seen over TCP ("t"); QUIC and DTLS are not decoded here. */
export function ja4(h: ClientHello): string {
  const types = h.extensions.map((e) => e.type);
  const a = [
    't',
    ja4Version(h),
    types.includes(EXT.serverName) ? 'd' : 'i',
    count2(h.cipherSuites.filter((v) => !isGrease(v)).length),
    count2(types.filter((v) => !isGrease(v)).length),
    ja4Alpn(h.alpn[0]),
  ].join('');
  return `${a}_${ja4Ciphers(h.cipherSuites)}_${ja4Extensions(types, h.signatureAlgorithms)}`;
}

/**
 * Two 32-bit FNV/murmur-style lanes folded into a 53-bit integer, used as a number Map key (a
 * string key cost a toString and a string hash per hello). Two different hellos sharing a 53-bit
 * digest among the 4096 remembered is about one chance in 10^9.
 */
class Digest53 {
  #a = 0x811c9dc5;
  #b = 0x01000193 ^ 0x5bd1e995;

  mix(v: number): void {
    this.#a = Math.imul(this.#a ^ v, 0x01000193);
    this.#b = Math.imul(this.#b ^ v, 0x5bd1e995) ^ (this.#b >>> 13);
  }

  list(xs: readonly number[]): void {
    this.mix(0x10000 + xs.length);
    for (let i = 0; i < xs.length; i++) this.mix(xs[i]!);
  }

  value(): number {
    return (this.#a >>> 0) * 0x200000 + ((this.#b >>> 0) & 0x1fffff);
  }
}

/** JA3 and JA4 of a ClientHello, remembered by a digest of every field they are made of. */
const helloFingerprints = new Map<number, { ja3: string; ja4: string }>();

export function clientFingerprints(h: ClientHello): { ja3: string; ja4: string } {
  const d = new Digest53();
  d.mix(h.legacyVersion);
  d.list(h.cipherSuites);
  d.mix(0x20000 + h.extensions.length);
  for (let i = 0; i < h.extensions.length; i++) d.mix(h.extensions[i]!.type);
  d.list(h.supportedGroups);
  d.list(h.ecPointFormats);
  d.list(h.signatureAlgorithms);
  if (h.supportedVersions) d.list(h.supportedVersions);
  else d.mix(0x30000);
  d.mix(h.serverName ? 1 : 0);
  const alpn = h.alpn[0];
  d.mix(0x40000 + (alpn?.length ?? 0));
  if (alpn) for (let i = 0; i < alpn.length; i++) d.mix(alpn[i]!);
  const key = d.value();
  let fp = helloFingerprints.get(key);
  if (!fp) {
    fp = { ja3: ja3(h), ja4: ja4(h) };
    if (helloFingerprints.size >= MAX_DIGESTS) helloFingerprints.clear();
    helloFingerprints.set(key, fp);
  }
  return fp;
}
