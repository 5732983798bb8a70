// ClientHello and ServerHello bodies (RFC 8446 §4.1.2-§4.1.3, RFC 5246 §7.4.1.2-§7.4.1.3) and the
// extensions fingerprints need (SNI, ALPN, versions, groups, point formats, signature algorithms).
import { DecodeError } from './errors.js';
import { EXT } from './tls.codes.js';

export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * An extension as offsets into the hello: fingerprints need only the types of the 15–20 a browser
 * sends, so the view of the data is made only for the few that are read.
 */
class ExtensionAt implements Extension {
  constructor(
    readonly type: number,
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
  ) {}

  get data(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }
}

/**
 * Duplicate-extension check without a Set per hello: stamps[type] holds the number of the hello
 * that last saw the type (128 KiB once, instead of a Set per hello).
 */
const stamps = new Uint16Array(65536);
let stamp = 0;

function nextStamp(): number {
  if (++stamp === 65536) {
    stamps.fill(0);
    stamp = 1;
  }
  return stamp;
}

export interface ClientHello {
  legacyVersion: number;
  /** Wire order, GREASE included (fingerprints drop it themselves). */
  cipherSuites: number[];
  /** Wire order, GREASE included. */
  extensions: Extension[];
  /** First host_name of server_name (RFC 6066 §3), raw; null when absent. */
  serverName: Uint8Array | null;
  /** ALPN protocol names in order (RFC 7301 §3.1). */
  alpn: Uint8Array[];
  /** supported_versions list, or null when the extension is absent. */
  supportedVersions: number[] | null;
  supportedGroups: number[];
  ecPointFormats: number[];
  signatureAlgorithms: number[];
}

export interface ServerHello {
  legacyVersion: number;
  cipherSuite: number;
  extensions: Extension[];
  /** supported_versions selected_version (TLS 1.3), or null. */
  selectedVersion: number | null;
  /** The random is RFC 8446 §4.1.3's HelloRetryRequest marker. */
  helloRetry: boolean;
}

/**
 * A bounds-checked cursor over [pos, end) of one complete message body; overruns are DecodeErrors.
 * Nested vectors are cursors over the same body (`open`), not views: a hello holds a dozen of them,
 * and a typed-array view costs an allocation that a position pair does not.
 */
class Cursor {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    /** Added to positions in errors: where the body starts in the handshake stream. */
    readonly base: number,
  ) {
    this.pos = start;
  }

  fail(field: string, detail: string, at = this.pos): never {
    throw new DecodeError('tls', this.base + at, field, detail);
  }

  need(n: number, field: string): void {
    if (this.pos + n > this.end) this.fail(field, `needs ${n} bytes, ${this.end - this.pos} left`);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /** A vector with a one- or two-byte length prefix, as a cursor over its contents; this one moves past it. */
  open(lengthBytes: 1 | 2, field: string): Cursor {
    const n = lengthBytes === 1 ? this.u8(field) : this.u16(field);
    this.need(n, field);
    const inner = new Cursor(this.bytes, this.pos, this.pos + n, this.base);
    this.pos += n;
    return inner;
  }

  /** A vector with a one- or two-byte length prefix, as a view. */
  vector(lengthBytes: 1 | 2, field: string): Uint8Array {
    const n = lengthBytes === 1 ? this.u8(field) : this.u16(field);
    this.need(n, field);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A cursor over one extension's data (positions, and so error offsets, stay the body's). */
  extension(x: ExtensionAt): Cursor {
    return new Cursor(this.bytes, x.start, x.end, this.base);
  }
}

/** Big-endian 16-bit values of the vector `v` (from its position to its end); `c` reports an odd length. */
function u16List(c: Cursor, v: Cursor, field: string): number[] {
  const length = v.end - v.pos;
  if (length % 2) c.fail(field, `odd length ${length}`);
  const b = v.bytes;
  const out: number[] = [];
  for (let i = v.pos; i < v.end; i += 2) out.push((b[i]! << 8) | b[i + 1]!);
  return out;
}

/** Extensions block: extension_type (2), extension_data<0..2^16-1> each (RFC 8446 §4.2). */
function readExtensions(c: Cursor, maxExtensions: number, anomalies: string[]): ExtensionAt[] {
  const extensions: ExtensionAt[] = [];
  if (c.pos === c.end) return extensions; // pre-TLS 1.2 hellos may end before extensions
  const length = c.u16('extensions.length');
  c.need(length, 'extensions.length');
  // The block is read in place: positions (and error offsets) stay those of the message body.
  const e = new Cursor(c.bytes, c.pos, c.pos + length, c.base);
  c.pos += length;
  if (c.pos !== c.end) anomalies.push('tls.trailing_bytes');
  const hello = nextStamp();
  while (e.pos < e.end) {
    if (extensions.length === maxExtensions)
      e.fail('extensions.count', `more than ${maxExtensions} extensions`);
    const type = e.u16('extension.type');
    const n = e.u16('extension.length');
    e.need(n, 'extension.length');
    if (stamps[type] === hello) anomalies.push('tls.duplicate_extension');
    stamps[type] = hello;
    extensions.push(new ExtensionAt(type, e.bytes, e.pos, e.pos + n));
    e.pos += n;
  }
  return extensions;
}

/** The first extension of a type: the one a hello's fields are read from (a duplicate is an anomaly). */
export function firstExtension<E extends Extension>(extensions: readonly E[], type: number): E | undefined {
  for (let i = 0; i < extensions.length; i++) if (extensions[i]!.type === type) return extensions[i];
  return undefined;
}

/** RFC 8446 §4.1.2 ClientHello, with the extensions JA3/JA4 and observations read. */
export function parseClientHello(
  body: Uint8Array,
  base: number,
  maxExtensions: number,
  anomalies: string[],
): ClientHello {
  const c = new Cursor(body, 0, body.length, base);
  const legacyVersion = c.u16('client_hello.version');
  c.skip(32, 'client_hello.random');
  const session = c.u8('client_hello.session_id');
  c.skip(session, 'client_hello.session_id');
  if (session > 32) c.fail('client_hello.session_id', `${session} bytes, at most 32`);
  const suites = c.open(2, 'client_hello.cipher_suites');
  if (suites.end === suites.pos) c.fail('client_hello.cipher_suites', 'empty');
  const cipherSuites = u16List(c, suites, 'client_hello.cipher_suites');
  const compression = c.u8('client_hello.compression_methods');
  c.skip(compression, 'client_hello.compression_methods');
  if (compression === 0) c.fail('client_hello.compression_methods', 'empty');
  const extensions = readExtensions(c, maxExtensions, anomalies);

  const hello: ClientHello = {
    legacyVersion,
    cipherSuites,
    extensions,
    serverName: null,
    alpn: [],
    supportedVersions: null,
    supportedGroups: [],
    ecPointFormats: [],
    signatureAlgorithms: [],
  };
  const sni = firstExtension(extensions, EXT.serverName);
  if (sni) hello.serverName = readServerName(c.extension(sni), anomalies);
  const alpn = firstExtension(extensions, EXT.alpn);
  if (alpn) hello.alpn = readAlpn(c.extension(alpn), anomalies);
  const versions = firstExtension(extensions, EXT.supportedVersions);
  if (versions) {
    const v = c.extension(versions);
    hello.supportedVersions = u16List(v, v.open(1, 'supported_versions.length'), 'supported_versions');
  }
  const groups = firstExtension(extensions, EXT.supportedGroups);
  if (groups) {
    const g = c.extension(groups);
    hello.supportedGroups = u16List(g, g.open(2, 'supported_groups.length'), 'supported_groups');
  }
  const formats = firstExtension(extensions, EXT.ecPointFormats);
  if (formats) {
    const f = c.extension(formats).open(1, 'ec_point_formats.length');
    const list: number[] = [];
    for (let i = f.pos; i < f.end; i++) list.push(body[i]!);
    hello.ecPointFormats = list;
  }
  const sigs = firstExtension(extensions, EXT.signatureAlgorithms);
  if (sigs) {
    const s = c.extension(sigs);
    hello.signatureAlgorithms = u16List(s, s.open(2, 'signature_algorithms.length'), 'signature_algorithms');
  }
  return hello;
}

/** RFC 6066 §3 ServerNameList: name_type (1), HostName<1..2^16-1>; the first host_name (type 0). */
function readServerName(c: Cursor, anomalies: string[]): Uint8Array | null {
  if (c.end === c.pos) {
    anomalies.push('tls.empty_server_name');
    return null;
  }
  const list = c.open(2, 'server_name.list');
  let name: Uint8Array | null = null;
  while (list.pos < list.end) {
    const type = list.u8('server_name.type');
    const value = list.vector(2, 'server_name.host_name');
    if (type === 0 && name === null) name = value;
  }
  return name;
}

/** RFC 7301 §3.1 ProtocolNameList: ProtocolName<1..2^8-1> each. */
function readAlpn(c: Cursor, anomalies: string[]): Uint8Array[] {
  const list = c.open(2, 'alpn.list');
  const names: Uint8Array[] = [];
  while (list.pos < list.end) {
    const name = list.vector(1, 'alpn.protocol');
    if (name.length === 0) anomalies.push('tls.empty_alpn');
    names.push(name);
  }
  return names;
}

/** SHA-256("HelloRetryRequest"), the random a HelloRetryRequest carries (RFC 8446 §4.1.3). */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

function isHelloRetry(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 32; i++) if (b[at + i] !== HRR_RANDOM[i]) return false;
  return true;
}

/** RFC 8446 §4.1.3 ServerHello (RFC 5246 §7.4.1.3 before TLS 1.3). */
export function parseServerHello(
  body: Uint8Array,
  base: number,
  maxExtensions: number,
  anomalies: string[],
): ServerHello {
  const c = new Cursor(body, 0, body.length, base);
  const legacyVersion = c.u16('server_hello.version');
  c.need(32, 'server_hello.random');
  const helloRetry = isHelloRetry(body, c.pos);
  c.pos += 32;
  const session = c.u8('server_hello.session_id');
  c.skip(session, 'server_hello.session_id');
  if (session > 32) c.fail('server_hello.session_id', `${session} bytes, at most 32`);
  const cipherSuite = c.u16('server_hello.cipher_suite');
  c.u8('server_hello.compression_method');
  const extensions = readExtensions(c, maxExtensions, anomalies);
  let selectedVersion: number | null = null;
  const versions = firstExtension(extensions, EXT.supportedVersions);
  if (versions) {
    const v = c.extension(versions);
    selectedVersion = v.u16('supported_versions.selected');
    if (v.pos !== v.end) v.fail('supported_versions.selected', 'longer than 2 bytes');
  }
  return {
    legacyVersion,
    cipherSuite,
    extensions,
    selectedVersion,
    helloRetry,
  };
}
