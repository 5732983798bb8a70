// Builds TLS handshake messages and records from the specs (RFC 8446 §4-§5, RFC 5246 §7) for
// fixtures and tests: ClientHello with chosen extensions, ServerHello, Certificate, record framing.

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v, 0);
  return b;
}

function u24(v: number): Buffer {
  return Buffer.from([(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
}

/** opaque vector with a 1-, 2- or 3-byte length prefix. */
export function vec(lengthBytes: 1 | 2 | 3, ...parts: Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  const head =
    lengthBytes === 1 ? Buffer.from([body.length]) : lengthBytes === 2 ? u16(body.length) : u24(body.length);
  return Buffer.concat([head, body]);
}

function u16s(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

export type Ext = [type: number, data: Uint8Array];

/** Extension bodies as RFC 6066, 7301, 8422 and 8446 define them. */
export const ext = {
  /** server_name: ServerNameList with one host_name (RFC 6066 §3). */
  sni: (host: string): Ext => [0x0000, vec(2, Buffer.from([0]), vec(2, Buffer.from(host, 'latin1')))],
  /** application_layer_protocol_negotiation (RFC 7301 §3.1). */
  alpn: (...names: (string | Uint8Array)[]): Ext => [
    0x0010,
    vec(2, ...names.map((n) => vec(1, typeof n === 'string' ? Buffer.from(n, 'latin1') : n))),
  ],
  /** supported_versions in a ClientHello (RFC 8446 §4.2.1). */
  supportedVersions: (...versions: number[]): Ext => [0x002b, vec(1, u16s(versions))],
  /** supported_versions in a ServerHello: the selected version. */
  selectedVersion: (version: number): Ext => [0x002b, u16(version)],
  /** supported_groups (RFC 8422 §5.1.1). */
  groups: (...groups: number[]): Ext => [0x000a, vec(2, u16s(groups))],
  /** ec_point_formats (RFC 8422 §5.1.2). */
  pointFormats: (...formats: number[]): Ext => [0x000b, vec(1, Buffer.from(formats))],
  /** signature_algorithms (RFC 8446 §4.2.3). */
  sigAlgs: (...algs: number[]): Ext => [0x000d, vec(2, u16s(algs))],
  /** key_share with one entry (RFC 8446 §4.2.8). */
  keyShare: (group: number, key: Uint8Array): Ext => [0x0033, vec(2, u16(group), vec(2, key))],
  /** Any extension with an empty or given body. */
  raw: (type: number, data: Uint8Array = Buffer.alloc(0)): Ext => [type, data],
};

function extensionsBlock(exts: readonly Ext[]): Buffer {
  return vec(2, ...exts.map(([type, data]) => Buffer.concat([u16(type), vec(2, data)])));
}

/** Handshake header: msg_type, uint24 length (RFC 8446 §4). */
export function handshake(type: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), body]);
}

export interface ClientHelloSpec {
  /** legacy_version, 0x0303 unless given. */
  version?: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  ciphers: readonly number[];
  compression?: readonly number[];
  /** Omitted: no extensions block at all (a pre-TLS 1.2 hello). */
  extensions?: readonly Ext[];
}

const PATTERN_RANDOM = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff));

/** ClientHello (RFC 8446 §4.1.2), as a handshake message. */
export function clientHello(spec: ClientHelloSpec): Buffer {
  const body = Buffer.concat([
    u16(spec.version ?? 0x0303),
    Buffer.from(spec.random ?? PATTERN_RANDOM),
    vec(1, spec.sessionId ?? Buffer.alloc(0)),
    vec(2, u16s(spec.ciphers)),
    vec(1, Buffer.from(spec.compression ?? [0])),
    spec.extensions ? extensionsBlock(spec.extensions) : Buffer.alloc(0),
  ]);
  return handshake(1, body);
}

export interface ServerHelloSpec {
  version?: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  cipher: number;
  extensions?: readonly Ext[];
}

/** ServerHello (RFC 8446 §4.1.3), as a handshake message. */
export function serverHello(spec: ServerHelloSpec): Buffer {
  const body = Buffer.concat([
    u16(spec.version ?? 0x0303),
    Buffer.from(spec.random ?? Buffer.from(PATTERN_RANDOM).reverse()),
    vec(1, spec.sessionId ?? Buffer.alloc(0)),
    u16(spec.cipher),
    Buffer.from([0]),
    spec.extensions ? extensionsBlock(spec.extensions) : Buffer.alloc(0),
  ]);
  return handshake(2, body);
}

/** Certificate (RFC 5246 §7.4.2): certificate_list of ASN.1Cert, sender's first. */
export function certificateMessage(certs: readonly Uint8Array[]): Buffer {
  return handshake(11, vec(3, ...certs.map((c) => vec(3, c))));
}

/**
 * ServerKeyExchange for ECDHE (RFC 8422 §5.4): ECParameters (named_curve 3, the group), the ephemeral
 * public point, then the signature algorithm and the signature over it (RFC 5246 §4.7, §7.4.3).
 */
export function serverKeyExchange(
  group: number,
  point: Uint8Array,
  sigAlg: number,
  signature: Uint8Array,
): Buffer {
  return handshake(
    12,
    Buffer.concat([Buffer.from([3]), u16(group), vec(1, point), u16(sigAlg), vec(2, signature)]),
  );
}

/** ServerHelloDone (RFC 5246 §7.4.5): empty body. */
export const serverHelloDone = (): Buffer => handshake(14, Buffer.alloc(0));

/**
 * TLSPlaintext records (RFC 8446 §5.1) carrying `payload`, split into fragments of at most
 * `maxFragment` bytes (2^14 unless given, which is how a handshake message spans records).
 */
export function records(type: number, payload: Uint8Array, version = 0x0303, maxFragment = 16384): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length || (i === 0 && payload.length === 0); i += maxFragment) {
    const fragment = payload.subarray(i, Math.min(payload.length, i + maxFragment));
    out.push(Buffer.from([type]), u16(version), u16(fragment.length), Buffer.from(fragment));
    if (payload.length === 0) break;
  }
  return Buffer.concat(out);
}
