// When is a reply complete? Each framing reads its protocol's own length field, so a multi-step
// exchange sends the next step as soon as the previous reply is whole, and never waits on a timer
// when the bytes say they are done.
import type { Framing } from './probe-spec.js';

/**
 * Length of the first complete message in `bytes`, or null when more bytes are needed.
 * `bodyless`: the request was HEAD or OPTIONS-like, so an HTTP-style reply ends at its header block.
 */
export function completeLength(framing: Framing, bytes: Uint8Array, bodyless = false): number | null {
  switch (framing) {
    case 'datagram':
      return bytes.length;
    case 'mbap':
      // Modbus Messaging on TCP/IP V1.0b §3.1.3: 6-byte header, length counts unit id + PDU.
      return bytes.length >= 6 ? fits(bytes, 6 + ((bytes[4]! << 8) | bytes[5]!)) : null;
    case 'tpkt':
      // RFC 1006 §6: version 3, reserved, 16-bit length of the whole packet.
      return bytes.length >= 4 ? fits(bytes, Math.max(4, (bytes[2]! << 8) | bytes[3]!)) : null;
    case 'enip':
      // CIP Vol. 2 §2-3.1: 24-byte encapsulation header, little-endian data length at 2..3.
      return bytes.length >= 24 ? fits(bytes, 24 + (bytes[2]! | (bytes[3]! << 8))) : null;
    case 'fins-tcp':
      // Omron W421 §7-2: "FINS", then a big-endian length of what follows the first 8 bytes.
      return bytes.length >= 8
        ? fits(bytes, 8 + ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!))
        : null;
    case 'line': {
      const nl = bytes.indexOf(0x0a);
      return nl >= 0 ? nl + 1 : null;
    }
    case 'http':
      return httpLength(bytes, bodyless);
  }
}

function fits(bytes: Uint8Array, length: number): number | null {
  return bytes.length >= length ? length : null;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** Longest header block looked at for Content-Length; the reply cap bounds it anyway. */
const MAX_HEAD = 16_384;

function httpLength(bytes: Uint8Array, bodyless: boolean): number | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, MAX_HEAD));
  const end = buf.indexOf(CRLFCRLF);
  if (end < 0) return null;
  const headEnd = end + 4;
  const head = buf.toString('latin1', 0, end);
  // RTSP (RFC 2326 §12.14) and HEAD replies (RFC 9110 §9.3.2) without Content-Length carry no body.
  const m = /\r\ncontent-length:[ \t]*(\d{1,9})[ \t]*(\r|$)/i.exec(head);
  if (m) return fits(bytes, headEnd + Number(m[1]));
  if (bodyless || head.startsWith('RTSP/') || /^HTTP\/1\.\d (1\d\d|204|304)/.test(head)) return headEnd;
  // Chunked or close-delimited: the caller reads until close, the cap or the timeout.
  return null;
}
