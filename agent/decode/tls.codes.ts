// TLS code points (IANA "TLS Parameters" and "TLS ExtensionType Values" registries) and GREASE.

/** Record content types (RFC 8446 §5.1; 24 heartbeat, RFC 6520). */
export const CONTENT = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
} as const;

/** Handshake message types we read (RFC 8446 §4, RFC 5246 §7.4). */
export const HANDSHAKE = {
  clientHello: 1,
  serverHello: 2,
  certificate: 11,
} as const;

/** Extension types we look inside. */
export const EXT = {
  serverName: 0x0000, // RFC 6066 §3
  supportedGroups: 0x000a, // RFC 8422 §5.1.1 (was elliptic_curves)
  ecPointFormats: 0x000b, // RFC 8422 §5.1.2
  signatureAlgorithms: 0x000d, // RFC 8446 §4.2.3
  alpn: 0x0010, // RFC 7301 §3.1
  supportedVersions: 0x002b, // RFC 8446 §4.2.1
} as const;

/**
 * GREASE values (RFC 8701 §2): 0x0A0A, 0x1A1A … 0xFAFA for cipher suites, extensions, groups,
 * signature algorithms and versions. JA3 and JA4 ignore them.
 */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/** Protocol versions by wire value, for display ("tls.versions"). */
const VERSION_NAMES: Readonly<Record<number, string>> = {
  2: 'SSLv2',
  768: 'SSLv3',
  769: 'TLSv1.0',
  770: 'TLSv1.1',
  771: 'TLSv1.2',
  772: 'TLSv1.3',
  65279: 'DTLSv1.0',
  65277: 'DTLSv1.2',
  65276: 'DTLSv1.3',
};

/** "TLSv1.3" for known versions; hex ("0x7f1c", a TLS 1.3 draft) for others. */
export function versionName(v: number): string {
  return VERSION_NAMES[v] ?? `0x${v.toString(16).padStart(4, '0')}`;
}

/** JA4 section a's two-character version (FoxIO JA4 spec, "TLS and DTLS Version"). */
export const JA4_VERSIONS: Readonly<Record<number, string>> = {
  772: '13',
  771: '12',
  770: '11',
  769: '10',
  768: 's3',
  2: 's2',
  65279: 'd1',
  65277: 'd2',
  65276: 'd3',
};

/** Largest record fragment: 2^14 plaintext plus the 2048 bytes of expansion TLS 1.2 allows (RFC 5246 §6.2.3). */
export const MAX_RECORD_LENGTH = 16384 + 2048;
