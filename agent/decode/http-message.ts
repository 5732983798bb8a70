// HTTP/1.x-style message framing shared by HTTP (RFC 9112) and RTSP/1.0 (RFC 2326): start line,
// header fields and body length over one direction's bytes. Views only; caps from MessageLimits.
import { DecodeError, isDecoderError, TruncatedError } from './errors.js';
import { frameBody } from './http-framing.js';
import { hasAscii, isDigit, type Line, readLine, skipSpaces, trimEnd } from './text-lines.js';

export interface MessageLimits {
  /** Header fields per message; more is a DecodeError (a header flood). */
  maxHeaders: number;
  /** Bytes per start line, header line or chunk-size line, terminator excluded. */
  maxLineLength: number;
  /** Messages decoded from one direction's bytes; the rest are left alone. */
  maxMessages: number;
}

export interface HeaderField {
  readonly name: Uint8Array;
  /** Value without surrounding SP/HTAB; an obs-folded value spans its continuation lines. */
  readonly value: Uint8Array;
}

/**
 * A header field as offsets into the message bytes: a response carries ten or so fields and
 * observe() reads two or three, so the views are made only for those (two views per field were
 * most of what parsing the headers allocated).
 */
export class FieldAt implements HeaderField {
  constructor(
    readonly bytes: Uint8Array,
    readonly nameStart: number,
    readonly nameEnd: number,
    public valueStart: number,
    public valueEnd: number,
  ) {}

  get name(): Uint8Array {
    return this.bytes.subarray(this.nameStart, this.nameEnd);
  }

  get value(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }
}

export type BodyFraming = 'none' | 'length' | 'chunked' | 'close' | 'unknown';

export interface TextMessage {
  kind: 'request' | 'response';
  /** Request method token; null for responses. */
  method: Uint8Array | null;
  /** Request target (origin, absolute, authority or asterisk form); null for responses. */
  target: Uint8Array | null;
  /** "HTTP/1.1", "RTSP/1.0". */
  version: Uint8Array;
  /** Response status code; null for requests. */
  status: number | null;
  reason: Uint8Array | null;
  headers: FieldAt[];
  framing: BodyFraming;
  /** Payload bytes present: the content for length/close framing, the first chunk's data when chunked. */
  body: Uint8Array;
  /** The whole body (every chunk, for chunked) lies within the bytes. */
  bodyComplete: boolean;
}

/** What differs between the HTTP and RTSP members of the family. */
export interface Dialect {
  protocol: 'http' | 'rtsp';
  /** Version prefix, "HTTP/" or "RTSP/". */
  versionPrefix: string;
  /** Transfer-Encoding chunked exists (HTTP) or not (RTSP). */
  chunked: boolean;
  /** A response without Content-Length runs to the close (HTTP) or has none (RTSP §12.14). */
  readUntilClose: boolean;
  /** "$" channel length-prefixed interleaved binary data may sit between messages (RTSP §10.12). */
  interleaved: boolean;
}

export interface ParsedStream {
  messages: TextMessage[];
  /** Odd but parseable input, by anomaly name. */
  anomalies: string[];
}

const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** True when [start, end) is a non-empty RFC 9110 §5.6.2 token. */
export function isToken(bytes: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (!TCHAR[bytes[i]!]) return false;
  return true;
}

/**
 * Decode every complete message in one direction's bytes. The first message must parse (else
 * DecodeError, or TruncatedError when its header block is cut); a later malformed message ends the
 * walk with an anomaly, a later cut one ends it silently.
 */
export function parseStream(bytes: Uint8Array, dialect: Dialect, limits: MessageLimits): ParsedStream {
  const messages: TextMessage[] = [];
  const anomalies: string[] = [];
  let pos = 0;
  while (pos < bytes.length && messages.length < limits.maxMessages) {
    pos = skipBetween(bytes, pos, dialect);
    if (pos >= bytes.length) break;
    let parsed: { message: TextMessage; next: number | null };
    try {
      parsed = parseMessage(bytes, pos, dialect, limits, anomalies);
    } catch (err) {
      if (messages.length === 0 || !isDecoderError(err)) throw err;
      if (!(err instanceof TruncatedError)) anomalies.push(`${dialect.protocol}.bad_message`);
      break;
    }
    messages.push(parsed.message);
    if (parsed.next === null) break;
    pos = parsed.next;
  }
  if (messages.length === limits.maxMessages && pos < bytes.length)
    anomalies.push(`${dialect.protocol}.message_cap`);
  return { messages, anomalies };
}

/** Skips empty lines (RFC 9112 §2.2) and RTSP interleaved frames between messages. */
function skipBetween(bytes: Uint8Array, start: number, dialect: Dialect): number {
  let pos = start;
  for (;;) {
    if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) pos += 2;
    else if (bytes[pos] === 0x0a) pos += 1;
    else if (dialect.interleaved && bytes[pos] === 0x24) {
      // RFC 2326 §10.12: "$", one-byte channel, two-byte length, binary data.
      if (pos + 4 > bytes.length) return bytes.length;
      const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
      pos += 4 + length;
      if (pos > bytes.length) return bytes.length;
    } else return pos;
  }
}

function parseMessage(
  bytes: Uint8Array,
  start: number,
  dialect: Dialect,
  limits: MessageLimits,
  anomalies: string[],
): { message: TextMessage; next: number | null } {
  const { protocol } = dialect;
  const first = readLine(bytes, start, limits.maxLineLength, protocol, 'start_line');
  if (!first)
    throw new TruncatedError(protocol, start, 'start_line', bytes.length - start + 1, bytes.length - start);
  if (first.bareLf) anomalies.push(`${protocol}.bare_lf`);
  // One object shape from the start: spreading a partial record here cost more than the parse.
  const message = parseStartLine(bytes, first, dialect);
  const { headers, next: bodyStart } = parseHeaders(bytes, first.next, protocol, limits, anomalies);
  message.headers = headers;
  message.body = bytes.subarray(bodyStart, bodyStart);
  const next = frameBody(bytes, bodyStart, message, dialect, limits, anomalies);
  return { message, next };
}

/** RFC 9112 §3 request-line / §4 status-line (RFC 2326 §6.1 / §7.1 for RTSP); headers and body come later. */
function parseStartLine(bytes: Uint8Array, line: Line, dialect: Dialect): TextMessage {
  const { protocol, versionPrefix } = dialect;
  const { start, end } = line;
  if (hasAscii(bytes, start, versionPrefix)) {
    const vEnd = versionEnd(bytes, start, end, versionPrefix);
    if (vEnd < 0 || bytes[vEnd] !== 0x20)
      throw new DecodeError(protocol, start, 'status_line.version', 'bad version');
    const code = vEnd + 1;
    if (code + 3 > end || !(isDigit(bytes[code]) && isDigit(bytes[code + 1]) && isDigit(bytes[code + 2]))) {
      throw new DecodeError(protocol, code, 'status_line.status', 'not three digits');
    }
    if (code + 3 < end && bytes[code + 3] !== 0x20) {
      throw new DecodeError(protocol, code + 3, 'status_line.status', 'not three digits');
    }
    // Three digits checked above: the code by arithmetic, no text made per response.
    const status = (bytes[code]! - 0x30) * 100 + (bytes[code + 1]! - 0x30) * 10 + (bytes[code + 2]! - 0x30);
    const reasonStart = Math.min(code + 4, end);
    return newMessage(
      'response',
      null,
      null,
      bytes.subarray(start, vEnd),
      status,
      bytes.subarray(reasonStart, end),
    );
  }
  const sp1 = bytes.indexOf(0x20, start);
  if (sp1 < 0 || sp1 >= end || !isToken(bytes, start, sp1)) {
    throw new DecodeError(protocol, start, 'request_line.method', 'not a token followed by SP');
  }
  const sp2 = bytes.lastIndexOf(0x20, end - 1);
  if (sp2 <= sp1 + 1) throw new DecodeError(protocol, sp1 + 1, 'request_line.target', 'missing');
  for (let i = sp1 + 1; i < sp2; i++) {
    const b = bytes[i]!;
    if (b <= 0x20 || b === 0x7f)
      throw new DecodeError(protocol, i, 'request_line.target', 'space or control');
  }
  if (versionEnd(bytes, sp2 + 1, end, versionPrefix) !== end) {
    throw new DecodeError(protocol, sp2 + 1, 'request_line.version', `not ${versionPrefix}x.y`);
  }
  const version = bytes.subarray(sp2 + 1, end);
  return newMessage('request', bytes.subarray(start, sp1), bytes.subarray(sp1 + 1, sp2), version, null, null);
}

/** Placeholder until parseMessage knows where the body starts (never seen by callers). */
const NO_BODY = new Uint8Array(0);

function newMessage(
  kind: TextMessage['kind'],
  method: Uint8Array | null,
  target: Uint8Array | null,
  version: Uint8Array,
  status: number | null,
  reason: Uint8Array | null,
): TextMessage {
  return {
    kind,
    method,
    target,
    version,
    status,
    reason,
    headers: [],
    framing: 'none',
    body: NO_BODY, // parseMessage sets the view at the body's start once the headers are read
    bodyComplete: true,
  };
}

/** End offset of "PREFIX DIGIT . DIGIT" at `start`, or -1. */
function versionEnd(bytes: Uint8Array, start: number, end: number, prefix: string): number {
  const v = start + prefix.length;
  if (v + 3 > end || !hasAscii(bytes, start, prefix)) return -1;
  return isDigit(bytes[v]) && bytes[v + 1] === 0x2e && isDigit(bytes[v + 2]) ? v + 3 : -1;
}

/** RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, up to the empty line. */
function parseHeaders(
  bytes: Uint8Array,
  start: number,
  protocol: string,
  limits: MessageLimits,
  anomalies: string[],
): { headers: FieldAt[]; next: number } {
  const headers: FieldAt[] = [];
  let valueStart = -1;
  let pos = start;
  for (;;) {
    const line = readLine(bytes, pos, limits.maxLineLength, protocol, 'header.line');
    if (!line) throw new TruncatedError(protocol, pos, 'header', bytes.length - pos + 1, bytes.length - pos);
    pos = line.next;
    if (line.end === line.start) return { headers, next: pos };
    if (bytes[line.start] === 0x20 || bytes[line.start] === 0x09) {
      // §5.2 obs-fold: the value continues; the view then spans the fold, observe() normalises it.
      anomalies.push(`${protocol}.obs_fold`);
      const last = headers[headers.length - 1];
      if (last) {
        last.valueStart = valueStart;
        last.valueEnd = trimEnd(bytes, line.start, line.end);
      }
      continue;
    }
    const colon = bytes.indexOf(0x3a, line.start);
    if (colon < 0 || colon >= line.end) {
      anomalies.push(`${protocol}.header_without_colon`);
      continue;
    }
    let nameEnd = colon;
    if (bytes[colon - 1] === 0x20 || bytes[colon - 1] === 0x09) {
      // §5.1 forbids whitespace before the colon; servers reject it, we only read, so trim and count.
      anomalies.push(`${protocol}.space_before_colon`);
      nameEnd = trimEnd(bytes, line.start, colon);
    }
    if (!isToken(bytes, line.start, nameEnd)) {
      anomalies.push(`${protocol}.bad_header_name`);
      continue;
    }
    if (headers.length === limits.maxHeaders) {
      throw new DecodeError(
        protocol,
        line.start,
        'header.count',
        `more than ${limits.maxHeaders} header fields`,
      );
    }
    valueStart = skipSpaces(bytes, colon + 1, line.end);
    headers.push(new FieldAt(bytes, line.start, nameEnd, valueStart, trimEnd(bytes, valueStart, line.end)));
  }
}
