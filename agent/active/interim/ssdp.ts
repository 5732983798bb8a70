// INTERIM: SSDP response reader for probe replies until agent/decode lands its ssdp decoder (a
// registered decoder with the same id is preferred). Status line and headers per RFC 9112 §4-5
// (UPnP Device Architecture 1.1 §1.3.3 uses HTTP/1.1 over UDP).
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
