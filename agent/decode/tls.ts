// TLS on any TCP port, recognised by its record header: the ClientHello (SNI, ALPN, versions, JA3,
// JA4), the ServerHello (JA3S) and, up to TLS 1.2, the leaf certificate's subject and issuer names.
import { cleanText } from '../../core/observation.js';
import { DecodeError, isDecoderError } from './errors.js';
import { bytesFrom } from './first-bytes.js';
import { dnsName } from './host-names.js';
import { reportAnomalies } from './problems.js';
import { BytesCache } from './text-cache.js';
import { CONTENT, EXT, HANDSHAKE, isGrease, MAX_RECORD_LENGTH, versionName } from './tls.codes.js';
import { clientFingerprints, ja3s } from './tls-fingerprint.js';
import {
  type ClientHello,
  firstExtension,
  parseClientHello,
  parseServerHello,
  type ServerHello,
} from './tls-hello.js';
import { type HandshakeMessage, walkRecords } from './tls-records.js';
import { parseSslv2Hello, type Sslv2ClientHello, sniffSslv2Hello } from './tls-sslv2.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';
import { type CertificateNames, certificateNames, type DirectoryString, directoryText } from './x509.js';

export interface TlsOptions {
  /** Largest length a handshake message may declare (OpenSSL's default certificate-list cap is 100 KiB). */
  maxHandshakeLength: number;
  /** Extensions per hello; browsers send under 20. */
  maxExtensions: number;
}

export const TLS_OPTIONS: TlsOptions = { maxHandshakeLength: 128 * 1024, maxExtensions: 100 };

export interface TlsPdu {
  clientHello: ClientHello | null;
  serverHello: ServerHello | null;
  /** Names of the first (leaf) certificate of a cleartext Certificate message. */
  certificate: CertificateNames | null;
  /** An SSL 2.0-compatible ClientHello (no extensions, so no SNI and no fingerprint). */
  sslv2Hello: Sslv2ClientHello | null;
  /** Content type of the record that ended the cleartext handshake, 0 if none did (see RecordWalk). */
  stoppedBy: number;
  anomalies: string[];
}

/**
 * Record header: handshake (22), version 3.x, a plausible length, then a hello message type; or an
 * SSL 2.0-compatible ClientHello.
 */
export function sniffTls(bytes: Uint8Array): boolean {
  if (sniffSslv2Hello(bytes)) return true;
  if (bytes.length < 3 || bytes[0] !== CONTENT.handshake || bytes[1] !== 3 || bytes[2]! > 4) return false;
  if (bytes.length >= 5) {
    const length = (bytes[3]! << 8) | bytes[4]!;
    if (length < 4 || length > MAX_RECORD_LENGTH) return false;
  }
  return bytes.length < 6 || bytes[5] === HANDSHAKE.clientHello || bytes[5] === HANDSHAKE.serverHello;
}

export function createTlsDecoder(options: TlsOptions = TLS_OPTIONS): AppDecoder<TlsPdu> {
  return {
    id: 'tls',
    transports: ['tcp'],
    ports: [443, 8443, 993, 995, 465, 636, 853, 4443],
    // A handshake record, or an SSL 2.0 record header (its length's top bit set).
    firstBytes: [CONTENT.handshake, ...bytesFrom(0x80)],
    sniff: (bytes) => sniffTls(bytes),
    decode: (bytes) => decodeTls(bytes, options),
    observe: observeTls,
  };
}

export const tlsDecoder: AppDecoder<TlsPdu> = createTlsDecoder();

function decodeTls(bytes: Uint8Array, options: TlsOptions): TlsPdu {
  if (sniffSslv2Hello(bytes)) {
    return {
      clientHello: null,
      serverHello: null,
      certificate: null,
      sslv2Hello: parseSslv2Hello(bytes),
      stoppedBy: 0,
      anomalies: ['tls.sslv2_client_hello'],
    };
  }
  const walk = walkRecords(bytes, options.maxHandshakeLength);
  const pdu: TlsPdu = {
    clientHello: null,
    serverHello: null,
    certificate: null,
    sslv2Hello: null,
    stoppedBy: walk.stoppedBy,
    anomalies: walk.anomalies,
  };
  if (walk.messages.length === 0) {
    // A server may answer a ClientHello with an alert alone; anything else is not a handshake.
    if (walk.stoppedBy === CONTENT.alert) return pdu;
    throw new DecodeError('tls', 0, 'record.type', 'no handshake message before other records');
  }
  // An indexed loop, not forEach and a closure: this runs for every TLS direction.
  const messages = walk.messages;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i]!;
    try {
      readMessage(msg, pdu, options);
    } catch (err) {
      // The first message decides; a bad later one is counted and the earlier ones are kept.
      if (i === 0 || !isDecoderError(err)) throw err;
      pdu.anomalies.push(`tls.bad_handshake_${msg.type}`);
    }
  }
  return pdu;
}

function readMessage(msg: HandshakeMessage, pdu: TlsPdu, options: TlsOptions): void {
  const base = msg.offset + 4;
  switch (msg.type) {
    case HANDSHAKE.clientHello:
      if (!msg.complete || pdu.clientHello) return;
      pdu.clientHello = parseClientHello(msg.body, base, options.maxExtensions, pdu.anomalies);
      return;
    case HANDSHAKE.serverHello:
      if (!msg.complete || pdu.serverHello) return;
      pdu.serverHello = parseServerHello(msg.body, base, options.maxExtensions, pdu.anomalies);
      return;
    case HANDSHAKE.certificate:
      if (pdu.certificate) return;
      // TLS 1.3 encrypts its Certificate (RFC 8446 §4.4.2); a cleartext one after a 1.3 hello is odd.
      if (pdu.serverHello?.selectedVersion === 0x0304) {
        pdu.anomalies.push('tls.cleartext_certificate_after_1_3');
        return;
      }
      pdu.certificate = leafCertificate(msg, pdu.anomalies);
      return;
  }
}

/**
 * RFC 5246 §7.4.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>, sender's own
 * first. A message cut by the flow's byte cap still yields the leaf when the leaf itself is whole.
 */
function leafCertificate(msg: HandshakeMessage, anomalies: string[]): CertificateNames | null {
  const b = msg.body;
  if (b.length < 3) {
    if (msg.complete)
      throw new DecodeError('tls', msg.offset + 4, 'certificate.list', 'shorter than 3 bytes');
    anomalies.push('tls.certificate_cut');
    return null;
  }
  const listLength = (b[0]! << 16) | (b[1]! << 8) | b[2]!;
  if (3 + listLength !== msg.length) {
    throw new DecodeError(
      'tls',
      msg.offset + 4,
      'certificate.list',
      `${listLength} bytes in a ${msg.length}-byte message`,
    );
  }
  if (listLength === 0) return null; // a client with no certificate to offer
  if (b.length < 6) {
    anomalies.push('tls.certificate_cut');
    return null;
  }
  const certLength = (b[3]! << 16) | (b[4]! << 8) | b[5]!;
  if (certLength === 0 || 3 + certLength > listLength) {
    throw new DecodeError(
      'tls',
      msg.offset + 7,
      'certificate.length',
      `${certLength} bytes in a ${listLength}-byte list`,
    );
  }
  if (6 + certLength > b.length) {
    anomalies.push('tls.certificate_cut');
    return null;
  }
  return certificateNames(b.subarray(6, 6 + certLength), 'tls');
}

/** Data of an extension the hello lacks (not reached: ALPN and versions are read only when present). */
const NO_BYTES = new Uint8Array(0);

/** SNI bytes → the observed text and the DNS name it may give its server (null when not one). */
const sniTexts = new BytesCache((raw) => {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
  return { value: cleanText(text), name: dnsName(text) };
});

/** ALPN extension data → tls.alpn text (its names were already read, so the data is a valid list). */
const alpnTexts = new BytesCache((data) => {
  // ProtocolNameList<2..2^16-1> (RFC 7301 §3.1); bytes after it are ignored, as the parse does.
  const end = 2 + ((data[0]! << 8) | data[1]!);
  const names: string[] = [];
  for (let i = 2; i < end; i += 1 + data[i]!) names.push(alpnText(data.subarray(i + 1, i + 1 + data[i]!)));
  return cleanText(names.join(','));
});

/** supported_versions extension data → tls.versions text, GREASE left out ('' when none is left). */
const versionTexts = new BytesCache((data) => {
  // ProtocolVersion versions<2..254> (RFC 8446 §4.2.1); bytes after it are ignored, as the parse does.
  const end = 1 + data[0]!;
  const names: string[] = [];
  for (let i = 1; i + 1 < end; i += 2) {
    const v = (data[i]! << 8) | data[i + 1]!;
    if (!isGrease(v)) names.push(versionName(v));
  }
  return names.join(',');
});

function observeTls(pdu: TlsPdu, ctx: AppContext, out: Emitter): void {
  reportAnomalies(pdu.anomalies, out);
  const h = pdu.clientHello;
  if (h) {
    if (h.serverName) observeSni(h.serverName, ctx, out);
    if (h.alpn.length)
      out.observe('src', 'tls.alpn', alpnTexts.get(firstExtension(h.extensions, EXT.alpn)?.data ?? NO_BYTES));
    if (h.supportedVersions) {
      const versions = versionTexts.get(
        firstExtension(h.extensions, EXT.supportedVersions)?.data ?? NO_BYTES,
      );
      if (versions) out.observe('src', 'tls.versions', versions);
    }
    const fp = clientFingerprints(h);
    out.observe('src', 'tls.ja3', fp.ja3);
    out.observe('src', 'tls.ja4', fp.ja4);
  }
  if (pdu.serverHello) out.observe('src', 'tls.ja3s', ja3s(pdu.serverHello));
  const cert = pdu.certificate;
  if (cert) {
    emitName(out, 'tls.cert_subject_cn', cert.subject.cn);
    emitName(out, 'tls.cert_subject_o', cert.subject.o);
    emitName(out, 'tls.cert_issuer_cn', cert.issuer.cn);
    emitName(out, 'tls.cert_issuer_o', cert.issuer.o);
  }
}

/** SNI is ASCII (RFC 6066 §3); only a real DNS name may name the server's address. */
function observeSni(raw: Uint8Array, ctx: AppContext, out: Emitter): void {
  const { value, name } = sniTexts.get(raw);
  if (value) out.observe('src', 'tls.sni', value);
  if (!name) out.anomaly('tls.sni_not_dns_name');
  else if (ctx.dst.ip) out.nameAddress(ctx.dst.ip, name, 'sni');
}

/** An ALPN protocol id as text when printable ASCII ("h2", "http/1.1"), else 0x-hex. */
function alpnText(name: Uint8Array): string {
  const b = Buffer.from(name.buffer, name.byteOffset, name.length);
  return name.every((c) => c > 0x20 && c < 0x7f && c !== 0x2c)
    ? b.toString('latin1')
    : `0x${b.toString('hex')}`;
}

function emitName(
  out: Emitter,
  key: 'tls.cert_subject_cn' | 'tls.cert_subject_o' | 'tls.cert_issuer_cn' | 'tls.cert_issuer_o',
  s: DirectoryString | null,
): void {
  if (!s) return;
  const value = cleanText(directoryText(s));
  if (value) out.observe('src', key, value);
}
