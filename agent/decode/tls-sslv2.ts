// The SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2) old OpenSSL builds still send from
// embedded devices: recognised and checked, but neither JA3 nor JA4 defines a fingerprint for it.
import { DecodeError, TruncatedError } from './errors.js';

export interface Sslv2ClientHello {
  /** Highest version the client offers (0x0300 SSLv3 … 0x0303 TLS 1.2). */
  version: number;
  /** Number of 3-byte V2CipherSpecs offered. */
  cipherSpecs: number;
}

/** Two-byte header with the top bit set, msg_type 1, then a 3.x version. */
export function sniffSslv2Hello(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && (bytes[0]! & 0x80) !== 0 && bytes[2] === 1 && bytes[3] === 3 && bytes[4]! <= 3;
}

/**
 * msg_length (2, top bit set), msg_type (1), version (2), cipher_spec_length (2),
 * session_id_length (2), challenge_length (2), cipher_specs, session_id, challenge.
 */
export function parseSslv2Hello(bytes: Uint8Array): Sslv2ClientHello {
  if (bytes.length < 11) throw new TruncatedError('tls', 0, 'sslv2.header', 11, bytes.length);
  const length = ((bytes[0]! & 0x7f) << 8) | bytes[1]!;
  if (2 + length > bytes.length) throw new TruncatedError('tls', 0, 'sslv2.body', length, bytes.length - 2);
  const version = (bytes[3]! << 8) | bytes[4]!;
  const specs = (bytes[5]! << 8) | bytes[6]!;
  const session = (bytes[7]! << 8) | bytes[8]!;
  const challenge = (bytes[9]! << 8) | bytes[10]!;
  if (specs === 0 || specs % 3) throw new DecodeError('tls', 5, 'sslv2.cipher_spec_length', `${specs} bytes`);
  // E.2: the session id is empty or 16 bytes; the challenge 16 to 32 bytes.
  if (session !== 0 && session !== 16)
    throw new DecodeError('tls', 7, 'sslv2.session_id_length', `${session}`);
  if (challenge < 16 || challenge > 32)
    throw new DecodeError('tls', 9, 'sslv2.challenge_length', `${challenge}`);
  if (9 + specs + session + challenge !== length) {
    throw new DecodeError('tls', 0, 'sslv2.msg_length', `${length} bytes do not match the fields`);
  }
  return { version, cipherSpecs: specs / 3 };
}
