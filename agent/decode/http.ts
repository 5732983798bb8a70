// HTTP/1.x (RFC 9112) on any TCP port, recognised by its request or status line: the client's
// Host and User-Agent, the server's Server header, WWW-Authenticate realms and small pages' titles.
import { cleanText } from '../../core/observation.js';
import { DecodeError } from './errors.js';
import { firstChars } from './first-bytes.js';
import { dnsName, hostOfAuthority } from './host-names.js';
import {
  authRealms,
  charsetParam,
  findTitle,
  headers,
  isField,
  metaCharset,
  titleText,
} from './http-fields.js';
import {
  type Dialect,
  type FieldAt,
  type MessageLimits,
  parseStream,
  type TextMessage,
} from './http-message.js';
import { OnceEmitter } from './ot-bytes.js';
import { reportAnomalies } from './problems.js';
import { BytesCache } from './text-cache.js';
import { ascii, hasAscii, wireText } from './text-lines.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

export interface HttpPdu {
  messages: TextMessage[];
  anomalies: string[];
}

/**
 * Defaults: 100 header fields (browsers send ~20, Apache's LimitRequestFields is 100), 8 KiB lines
 * (the common server limit), 64 pipelined messages per direction.
 */
export const HTTP_LIMITS: MessageLimits = { maxHeaders: 100, maxLineLength: 8192, maxMessages: 64 };

const HTTP: Dialect = {
  protocol: 'http',
  versionPrefix: 'HTTP/',
  chunked: true,
  readUntilClose: true,
  interleaved: false,
};

/**
 * Methods that mark a request line: RFC 9110 §9, RFC 5789 PATCH, WebDAV (RFC 4918 §9) and the
 * UPnP GENA methods devices use over TCP (UPnP Device Architecture 2.0 §4).
 */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'NOTIFY',
]);

/** How far sniff looks for the end of the first line before deciding on the method alone. */
const SNIFF_BYTES = 2048;

/** Request line "METHOD SP target SP HTTP/x.y" or status line "HTTP/x.y SP code". */
export function sniffHttp(bytes: Uint8Array): boolean {
  if (hasAscii(bytes, 0, 'HTTP/1.')) return true;
  // The first SP within 12 bytes, and the first LF within SNIFF_BYTES, found in place (no views).
  const head = Math.min(bytes.length, 12);
  let sp = 0;
  while (sp < head && bytes[sp] !== 0x20) sp++;
  if (sp === head || sp < 3 || !HTTP_METHODS.has(ascii(bytes, 0, sp))) return false;
  let lf = bytes.indexOf(0x0a, sp);
  if (lf >= SNIFF_BYTES) lf = -1;
  if (lf < 0) return !hasAscii(bytes, sp + 1, 'rtsp://');
  const end = bytes[lf - 1] === 0x0d ? lf - 1 : lf;
  return end - 8 > sp && hasAscii(bytes, end - 8, 'HTTP/1.');
}

export function createHttpDecoder(limits: MessageLimits = HTTP_LIMITS): AppDecoder<HttpPdu> {
  return {
    id: 'http',
    transports: ['tcp'],
    ports: [80, 8080, 8000, 8008, 8081, 8888, 81],
    firstBytes: firstChars(['HTTP/1.', ...HTTP_METHODS]),
    sniff: (bytes) => sniffHttp(bytes),
    decode(bytes) {
      if (!hasAscii(bytes, 0, 'HTTP/') && !sniffHttp(bytes)) {
        throw new DecodeError('http', 0, 'start_line', 'not an HTTP/1.x request or status line');
      }
      return parseStream(bytes, HTTP, limits);
    },
    observe: observeHttp,
  };
}

export const httpDecoder: AppDecoder<HttpPdu> = createHttpDecoder();

/** Observed text: runs of white space as one space, then cleaned like all wire text. */
function fieldText(raw: string): string {
  return cleanText(raw.replace(/\s+/g, ' '));
}

// A client sends the same User-Agent and Host, a server the same Server header and page, on every
// connection: their texts are made once per distinct bytes (text-cache.ts) and are one string each.
const valueTexts = new BytesCache((value) => fieldText(wireText(value)));
const utf8Titles = new BytesCache((title) => fieldText(titleText(title, null)));
const contentCharsets = new BytesCache((value) => charsetParam(ascii(value)));

/** A Host value: its observed text, the host part, and the DNS name it may give the server. */
const hostTexts = new BytesCache((value) => {
  const text = wireText(value);
  const host = hostOfAuthority(text);
  const name = host ? dnsName(host) : null;
  const bad = !name && host !== null && !host.startsWith('[') && !/^[\d.]+$/.test(host);
  return { value: fieldText(text), name, bad };
});

function observeHttp(pdu: HttpPdu, ctx: AppContext, out: Emitter): void {
  // Indexed loops, not for-of, and the rarer parts in functions of their own: this runs once per
  // direction, and TurboFan compiled a for-of as an iterator inside a try/finally.
  reportAnomalies(pdu.anomalies, out);
  // Each value once per direction (a keep-alive connection repeats its User-Agent and Server).
  const once = new OnceEmitter(out);
  const messages = pdu.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    // The first of each field read here, found in one pass (a lookup per name scanned the fields
    // five times). Locals, not a shared record: storing fresh fields into an old object costs a
    // write barrier each.
    let userAgent: FieldAt | undefined;
    let host: FieldAt | undefined;
    let server: FieldAt | undefined;
    let contentType: FieldAt | undefined;
    let contentEncoding: FieldAt | undefined;
    let authenticate = false;
    const fields = m.headers;
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j]!;
      switch (f.nameEnd - f.nameStart) {
        case 4:
          if (!host && isField(f, 'host')) host = f;
          break;
        case 6:
          if (!server && isField(f, 'server')) server = f;
          break;
        case 10:
          if (!userAgent && isField(f, 'user-agent')) userAgent = f;
          break;
        case 12:
          if (!contentType && isField(f, 'content-type')) contentType = f;
          break;
        case 16:
          if (!contentEncoding && isField(f, 'content-encoding')) contentEncoding = f;
          else if (!authenticate && isField(f, 'www-authenticate')) authenticate = true;
          break;
      }
    }
    // The message kind, not the TCP direction, says who is client: a request's sender is.
    if (m.kind === 'request') {
      if (ctx.fromClient === false) out.anomaly('http.request_from_server');
      if (userAgent) once.observe('src', 'http.user_agent', valueTexts.get(userAgent.value));
      if (host) observeHost(m, host, ctx, once, out);
    } else {
      if (server) once.observe('src', 'http.server', valueTexts.get(server.value));
      if (authenticate) observeRealms(m, once);
      const title = findTitle(m, contentType, contentEncoding);
      if (title) observeTitle(m, title, contentType, once);
    }
  }
}

/** A request's Host: the value, and a name for the server's address when it is one. */
function observeHost(m: TextMessage, host: FieldAt, ctx: AppContext, once: OnceEmitter, out: Emitter): void {
  const texts = hostTexts.get(host.value);
  once.observe('src', 'http.host', texts.value);
  if (namesServer(m, ctx)) {
    if (texts.name) out.nameAddress(ctx.dst.ip!, texts.name, 'http');
    else if (texts.bad) out.anomaly('http.bad_host');
  }
}

/** Every WWW-Authenticate field's realms, in order (rare: only these responses scan again). */
function observeRealms(m: TextMessage, once: OnceEmitter): void {
  for (const h of headers(m, 'www-authenticate')) {
    for (const realm of authRealms(wireText(h.value)))
      once.observe('src', 'http.www_authenticate', fieldText(realm));
  }
}

/** A page title, in the body's charset (the Content-Type's, else a <meta> one). */
function observeTitle(
  m: TextMessage,
  title: Uint8Array,
  contentType: FieldAt | undefined,
  once: OnceEmitter,
): void {
  const offset = title.byteOffset - m.body.byteOffset;
  const charset = (contentType && contentCharsets.get(contentType.value)) || metaCharset(m.body, offset);
  once.observe(
    'src',
    'http.title',
    !charset || charset === 'utf-8' || charset === 'utf8'
      ? utf8Titles.get(title)
      : fieldText(titleText(title, charset)),
  );
}

/**
 * The Host names the server the request went to, so it names the receiver's address — but only
 * for origin-form targets: an absolute-form target or CONNECT goes to a proxy (RFC 9112 §3.2.2,
 * §3.2.3), whose address the name does not belong to.
 */
function namesServer(m: TextMessage, ctx: AppContext): boolean {
  if (!ctx.dst.ip || !m.target || m.target[0] !== 0x2f) return false;
  return !(m.method && hasAscii(m.method, 0, 'CONNECT'));
}
