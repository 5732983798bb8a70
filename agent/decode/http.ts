// HTTP/1.x (RFC 9112) on any TCP port, recognised by its request or status line: the client's
// Host and User-Agent, the server's Server header, WWW-Authenticate realms and small pages' titles.
import { cleanText } from '../../core/observation.js';
import { DecodeError } from './errors.js';
import { dnsName, hostOfAuthority } from './host-names.js';
import {
  authRealms,
  charsetParam,
  findTitle,
  header,
  headers,
  metaCharset,
  titleText,
} from './http-fields.js';
import { type Dialect, type MessageLimits, parseStream, type TextMessage } from './http-message.js';
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
  const sp = bytes.subarray(0, 12).indexOf(0x20);
  if (sp < 3 || !HTTP_METHODS.has(ascii(bytes, 0, sp))) return false;
  const lf = bytes.subarray(0, SNIFF_BYTES).indexOf(0x0a);
  if (lf < 0) return !hasAscii(bytes, sp + 1, 'rtsp://');
  const end = bytes[lf - 1] === 0x0d ? lf - 1 : lf;
  return end - 8 > sp && hasAscii(bytes, end - 8, 'HTTP/1.');
}

export function createHttpDecoder(limits: MessageLimits = HTTP_LIMITS): AppDecoder<HttpPdu> {
  return {
    id: 'http',
    transports: ['tcp'],
    ports: [80, 8080, 8000, 8008, 8081, 8888, 81],
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

function observeHttp(pdu: HttpPdu, ctx: AppContext, out: Emitter): void {
  for (const a of pdu.anomalies) out.anomaly(a);
  const seen = new Set<string>();
  const emit = (
    key: 'http.host' | 'http.user_agent' | 'http.server' | 'http.www_authenticate' | 'http.title',
    raw: string,
  ) => {
    const value = cleanText(raw.replace(/\s+/g, ' '));
    if (!value || seen.has(`${key}\0${value}`)) return;
    seen.add(`${key}\0${value}`);
    out.observe('src', key, value);
  };
  for (const m of pdu.messages) {
    // The message kind, not the TCP direction, says who is client: a request's sender is.
    if (m.kind === 'request') {
      if (ctx.fromClient === false) out.anomaly('http.request_from_server');
      const ua = header(m, 'user-agent');
      if (ua) emit('http.user_agent', wireText(ua.value));
      const host = header(m, 'host');
      if (host) {
        const text = wireText(host.value);
        emit('http.host', text);
        nameServer(m, text, ctx, out);
      }
    } else {
      const server = header(m, 'server');
      if (server) emit('http.server', wireText(server.value));
      for (const h of headers(m, 'www-authenticate')) {
        for (const realm of authRealms(wireText(h.value))) emit('http.www_authenticate', realm);
      }
      const title = findTitle(m);
      if (title) {
        const type = header(m, 'content-type');
        const offset = title.byteOffset - m.body.byteOffset;
        const charset = (type && charsetParam(ascii(type.value))) || metaCharset(m.body, offset);
        emit('http.title', titleText(title, charset));
      }
    }
  }
}

/**
 * The Host names the server the request went to, so it names the receiver's address — but only
 * for origin-form targets: an absolute-form target or CONNECT goes to a proxy (RFC 9112 §3.2.2,
 * §3.2.3), whose address the name does not belong to.
 */
function nameServer(m: TextMessage, hostHeader: string, ctx: AppContext, out: Emitter): void {
  if (!ctx.dst.ip || !m.target || m.target[0] !== 0x2f) return;
  if (m.method && hasAscii(m.method, 0, 'CONNECT')) return;
  const host = hostOfAuthority(hostHeader);
  const name = host ? dnsName(host) : null;
  if (name) out.nameAddress(ctx.dst.ip, name, 'http');
  else if (host && !host.startsWith('[') && !/^[\d.]+$/.test(host)) out.anomaly('http.bad_host');
}
