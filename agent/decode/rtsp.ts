// RTSP/1.0 (RFC 2326) over TCP: cameras and NVRs answer with a Server header naming their stack.
// Requests are framed too (so pipelined and interleaved streams stay in step) but say nothing here.
import { cleanText } from '../../core/observation.js';
import { DecodeError } from './errors.js';
import { firstChars } from './first-bytes.js';
import { header } from './http-fields.js';
import { type Dialect, type MessageLimits, parseStream, type TextMessage } from './http-message.js';
import { ascii, hasAscii, wireText } from './text-lines.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

export interface RtspPdu {
  messages: TextMessage[];
  anomalies: string[];
}

/** Same limits as HTTP: RTSP messages are HTTP-shaped (RFC 2326 §4). */
export const RTSP_LIMITS: MessageLimits = { maxHeaders: 100, maxLineLength: 8192, maxMessages: 64 };

const RTSP: Dialect = {
  protocol: 'rtsp',
  versionPrefix: 'RTSP/',
  // RTSP has no Transfer-Encoding; a missing Content-Length means no body (§12.14).
  chunked: false,
  readUntilClose: false,
  interleaved: true,
};

/** RFC 2326 §10 methods; OPTIONS is shared with HTTP and told apart by the version token. */
const RTSP_METHODS: ReadonlySet<string> = new Set([
  'OPTIONS',
  'DESCRIBE',
  'ANNOUNCE',
  'SETUP',
  'PLAY',
  'PAUSE',
  'TEARDOWN',
  'GET_PARAMETER',
  'SET_PARAMETER',
  'REDIRECT',
  'RECORD',
]);

const SNIFF_BYTES = 2048;

/** Status line "RTSP/1.0 SP code" or a request line ending in "RTSP/1.0". */
export function sniffRtsp(bytes: Uint8Array): boolean {
  if (hasAscii(bytes, 0, 'RTSP/1.')) return true;
  // Searched in place: a subarray per call was a view object for every direction this sniff sees
  // (all those no port-matched decoder claimed).
  const sp = indexOfByte(bytes, 0x20, 16);
  if (sp < 4 || !RTSP_METHODS.has(ascii(bytes, 0, sp))) return false;
  const lf = indexOfByte(bytes, 0x0a, SNIFF_BYTES);
  if (lf < 0) return hasAscii(bytes, sp + 1, 'rtsp://') || hasAscii(bytes, sp + 1, 'rtsps://');
  const end = bytes[lf - 1] === 0x0d ? lf - 1 : lf;
  return end - 8 > sp && hasAscii(bytes, end - 8, 'RTSP/1.');
}

/** The first offset of `byte` before min(limit, length), or -1. */
function indexOfByte(bytes: Uint8Array, byte: number, limit: number): number {
  const end = Math.min(limit, bytes.length);
  for (let i = 0; i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

export function createRtspDecoder(limits: MessageLimits = RTSP_LIMITS): AppDecoder<RtspPdu> {
  return {
    id: 'rtsp',
    transports: ['tcp'],
    // 554 is IANA's; 8554 and 7070 (RealServer heritage) are common on cameras and drones.
    ports: [554, 8554, 7070],
    firstBytes: firstChars(['RTSP/1.', ...RTSP_METHODS]),
    sniff: (bytes) => sniffRtsp(bytes),
    decode(bytes) {
      if (!sniffRtsp(bytes))
        throw new DecodeError('rtsp', 0, 'start_line', 'not an RTSP/1.x request or status line');
      return parseStream(bytes, RTSP, limits);
    },
    observe: observeRtsp,
  };
}

export const rtspDecoder: AppDecoder<RtspPdu> = createRtspDecoder();

function observeRtsp(pdu: RtspPdu, _ctx: AppContext, out: Emitter): void {
  for (const a of pdu.anomalies) out.anomaly(a);
  const seen = new Set<string>();
  for (const m of pdu.messages) {
    if (m.kind !== 'response') continue;
    const server = header(m, 'server');
    if (!server) continue;
    const value = cleanText(wireText(server.value).replace(/\s+/g, ' '));
    if (value && !seen.has(value)) {
      seen.add(value);
      out.observe('src', 'rtsp.server', value);
    }
  }
}
