// INTERIM: HTTP, RTSP and SSDP response readers for probe replies until agent/decode lands its
// http/rtsp/ssdp decoders (a registered decoder with the same id is preferred). Status line and
// headers per RFC 9112 §4-5; the <title> of a small HTML body.
import { DecodeError, TruncatedError } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';

export interface HttpReply {
  status: number;
  headers: Map<string, string>;
  body: Uint8Array;
}

const MAX_HEADERS = 100;

export function parseReply(bytes: Uint8Array, protocol: string, version: RegExp): HttpReply {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) throw new TruncatedError(protocol, 0, 'headers', bytes.length + 4, bytes.length);
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const m = /^(\S+) (\d{3})(?: |$)/.exec(lines[0]!);
  if (!m || !version.test(m[1]!)) throw new DecodeError(protocol, 0, 'status-line', 'not a response');
  if (lines.length > MAX_HEADERS) throw new DecodeError(protocol, 0, 'headers', `more than ${MAX_HEADERS}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Header values are latin1 on the wire (RFC 9110 §5.5); first occurrence wins.
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { status: Number(m[2]), headers, body: bytes.subarray(end + 4) };
}

function realm(auth: string): string | null {
  const m = /realm="([^"]{0,200})"/i.exec(auth) ?? /realm=([^\s,]{1,200})/i.exec(auth);
  return m ? m[1]! : null;
}

export const httpReply: AppDecoder<HttpReply> = {
  id: 'http',
  transports: ['tcp'],
  ports: [80, 8080, 8000],
  sniff: (bytes) => bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === 'HTTP/',
  decode: (bytes) => parseReply(bytes, 'http', /^HTTP\/1\.[01]$/),
  observe(r, _ctx, out) {
    const server = r.headers.get('server');
    if (server) out.observe('src', 'http.server', server);
    const auth = r.headers.get('www-authenticate');
    const rlm = auth ? realm(auth) : null;
    if (rlm) out.observe('src', 'http.www_authenticate', rlm);
    const html = Buffer.from(r.body.subarray(0, 4096)).toString('utf8');
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(html);
    if (title) out.observe('src', 'http.title', title[1]!.trim());
  },
};

export const rtspReply: AppDecoder<HttpReply> = {
  id: 'rtsp',
  transports: ['tcp'],
  ports: [554],
  sniff: (bytes) => bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === 'RTSP/',
  decode: (bytes) => parseReply(bytes, 'rtsp', /^RTSP\/1\.0$/),
  observe(r, _ctx, out) {
    const server = r.headers.get('server');
    if (server) out.observe('src', 'rtsp.server', server);
    const auth = r.headers.get('www-authenticate');
    const rlm = auth ? realm(auth) : null;
    if (rlm) out.observe('src', 'http.www_authenticate', rlm);
  },
};

export const ssdpReply: AppDecoder<HttpReply> = {
  id: 'ssdp',
  transports: ['udp'],
  ports: [1900],
  sniff: (bytes) => bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === 'HTTP/',
  decode: (bytes) => parseReply(bytes, 'ssdp', /^HTTP\/1\.[01]$/),
  observe(r, _ctx, out) {
    const pairs = [
      ['server', 'ssdp.server'],
      ['usn', 'ssdp.usn'],
      ['location', 'ssdp.location'],
      ['st', 'ssdp.nt'],
    ] as const;
    for (const [header, key] of pairs) {
      const v = r.headers.get(header);
      if (v) out.observe('src', key, v);
    }
  },
};
