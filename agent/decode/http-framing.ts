// HTTP/RTSP message body length (RFC 9112 §6.3, §7.1 chunked; RFC 2326 §12.14): where one message's
// body ends and the next message starts, keeping the body bytes present as a view.
import { isDecoderError } from './errors.js';
import { header, headers } from './http-fields.js';
import type { Dialect, HeaderField, MessageLimits, TextMessage } from './http-message.js';
import { ascii, type Line, readLine, skipSpaces } from './text-lines.js';

/**
 * RFC 9112 §6.3 message body length (RFC 2326 §12.14 for RTSP). Sets framing, body and
 * bodyComplete; returns where the next message starts, or null when it cannot be known.
 */
export function frameBody(
  bytes: Uint8Array,
  start: number,
  m: TextMessage,
  dialect: Dialect,
  limits: MessageLimits,
  anomalies: string[],
): number | null {
  const { protocol } = dialect;
  const noBody = m.status !== null && (m.status < 200 || m.status === 204 || m.status === 304);
  if (noBody) return start;
  const te = dialect.chunked ? header(m, 'transfer-encoding') : undefined;
  const cl = headers(m, 'content-length');
  if (te) {
    if (cl.length) anomalies.push(`${protocol}.te_and_cl`);
    if (endsWithChunked(te.value)) return walkChunks(bytes, start, m, protocol, limits, anomalies);
    m.framing = m.kind === 'response' ? 'close' : 'unknown';
    m.body = bytes.subarray(start);
    m.bodyComplete = false;
    return null;
  }
  if (cl.length) {
    const length = contentLength(cl);
    if (length === null) {
      anomalies.push(`${protocol}.bad_content_length`);
      m.framing = 'unknown';
      m.body = bytes.subarray(start);
      m.bodyComplete = false;
      return null;
    }
    m.framing = 'length';
    m.body = bytes.subarray(start, Math.min(bytes.length, start + length));
    m.bodyComplete = start + length <= bytes.length;
    return m.bodyComplete ? start + length : null;
  }
  if (m.kind === 'response' && dialect.readUntilClose) {
    m.framing = 'close';
    m.body = bytes.subarray(start);
    m.bodyComplete = false;
    return null;
  }
  return start;
}

/** True when the last transfer coding listed is "chunked" (RFC 9112 §6.1). */
function endsWithChunked(value: Uint8Array): boolean {
  const codings = ascii(value).split(',');
  return codings[codings.length - 1]!.trim().toLowerCase() === 'chunked';
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** One decimal length, or a list of identical ones ("5, 5", §6.3 item 5); null when invalid. */
function contentLength(fields: readonly HeaderField[]): number | null {
  // Nearly always one field of 1-15 plain digits: read in place, no text, split or regex made.
  if (fields.length === 1) {
    const v = fields[0]!.value;
    if (v.length >= 1 && v.length <= 15) {
      let n = 0;
      let i = 0;
      for (; i < v.length; i++) {
        const b = v[i]!;
        if (b < 0x30 || b > 0x39) break;
        n = n * 10 + (b - 0x30);
      }
      if (i === v.length) return n;
    }
  }
  let length: number | null = null;
  for (const f of fields) {
    for (const part of ascii(f.value).split(',')) {
      const text = part.trim();
      // 15 digits keep the value exact in a double and far beyond any body we could hold.
      if (!/^\d{1,15}$/.test(text)) return null;
      const n = Number(text);
      if (length !== null && n !== length) return null;
      length = n;
    }
  }
  return length;
}

/** RFC 9112 §7.1 chunked transfer coding: keeps the first chunk's data as the body view. */
function walkChunks(
  bytes: Uint8Array,
  start: number,
  m: TextMessage,
  protocol: string,
  limits: MessageLimits,
  anomalies: string[],
): number | null {
  m.framing = 'chunked';
  m.bodyComplete = false;
  let pos = start;
  let first = true;
  for (;;) {
    const line = bodyLine(bytes, pos, protocol, limits, anomalies);
    if (!line) return null;
    let digitsEnd = line.start;
    while (digitsEnd < line.end && isHex(bytes[digitsEnd]!)) digitsEnd++;
    const ext = skipSpaces(bytes, digitsEnd, line.end);
    // 8 hex digits allow 4 GiB chunks, beyond anything that could matter here.
    if (digitsEnd === line.start || digitsEnd - line.start > 8 || (ext < line.end && bytes[ext] !== 0x3b)) {
      anomalies.push(`${protocol}.bad_chunk_size`);
      return null;
    }
    const size = Number.parseInt(ascii(bytes, line.start, digitsEnd), 16);
    const dataStart = line.next;
    if (first) {
      m.body = bytes.subarray(dataStart, Math.min(bytes.length, dataStart + size));
      first = false;
    }
    if (size === 0) return skipTrailers(bytes, dataStart, m, protocol, limits, anomalies);
    const after = dataStart + size;
    if (after + 2 > bytes.length) return null;
    if (bytes[after] === 0x0d && bytes[after + 1] === 0x0a) pos = after + 2;
    else if (bytes[after] === 0x0a) pos = after + 1;
    else {
      anomalies.push(`${protocol}.bad_chunk_end`);
      return null;
    }
  }
}

/** §7.1.2 trailer section after the last chunk, up to its empty line. */
function skipTrailers(
  bytes: Uint8Array,
  start: number,
  m: TextMessage,
  protocol: string,
  limits: MessageLimits,
  anomalies: string[],
): number | null {
  let pos = start;
  for (let n = 0; n <= limits.maxHeaders; n++) {
    const line = bodyLine(bytes, pos, protocol, limits, anomalies);
    if (!line) return null;
    pos = line.next;
    if (line.end === line.start) {
      m.bodyComplete = true;
      return pos;
    }
  }
  // A trailer flood ends the walk; the message's own header fields stay decoded.
  anomalies.push(`${protocol}.trailer_cap`);
  return null;
}

/** A chunk-size or trailer line; an overlong one ends the body walk as an anomaly, not an error. */
function bodyLine(
  bytes: Uint8Array,
  pos: number,
  protocol: string,
  limits: MessageLimits,
  anomalies: string[],
): Line | null {
  try {
    return readLine(bytes, pos, limits.maxLineLength, protocol, 'chunk.line');
  } catch (err) {
    if (!isDecoderError(err)) throw err;
    anomalies.push(`${protocol}.chunk_line_too_long`);
    return null;
  }
}
