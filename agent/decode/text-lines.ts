// Byte-level helpers for line-oriented protocols (HTTP, RTSP, SSH, mail and FTP banners, Telnet):
// lines as views, ASCII comparisons without decoding, wire text to display text.
import { DecodeError } from './errors.js';

export interface Line {
  /** Offset of the first byte of the line. */
  start: number;
  /** Offset one past the last content byte (CR LF / LF not included). */
  end: number;
  /** Offset of the first byte after the terminator. */
  next: number;
  /** Terminated by LF alone rather than CR LF (tolerated, RFC 9112 §2.2, but worth counting). */
  bareLf: boolean;
}

/**
 * The line starting at `start`, or null when the bytes end before its LF (more bytes may complete it).
 * A line longer than `maxLength` bytes (terminator excluded) is a DecodeError, whether or not it ends.
 */
export function readLine(
  bytes: Uint8Array,
  start: number,
  maxLength: number,
  protocol: string,
  field: string,
): Line | null {
  const stop = Math.min(bytes.length, start + maxLength + 2);
  const lf = bytes.indexOf(0x0a, start);
  if (lf === -1 || lf >= stop) {
    if (bytes.length - start > maxLength + 1) {
      throw new DecodeError(protocol, start, field, `line longer than ${maxLength} bytes`);
    }
    return null;
  }
  const crlf = lf > start && bytes[lf - 1] === 0x0d;
  const end = crlf ? lf - 1 : lf;
  if (end - start > maxLength) {
    throw new DecodeError(protocol, start, field, `line longer than ${maxLength} bytes`);
  }
  return { start, end, next: lf + 1, bareLf: !crlf };
}

/** True when `bytes` holds the ASCII `text` at `offset` (exact case). */
export function hasAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset < 0 || offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Like hasAscii but ASCII case-insensitive; `lower` must be lower case. */
export function hasAsciiCi(bytes: Uint8Array, offset: number, lower: string): boolean {
  if (offset < 0 || offset + lower.length > bytes.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const b = bytes[offset + i]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The first offset >= from where `lower` occurs, ASCII case-insensitively, before `limit`; -1 if none. */
export function indexOfAsciiCi(bytes: Uint8Array, lower: string, from: number, limit = bytes.length): number {
  const first = lower.charCodeAt(0);
  const last = Math.min(limit, bytes.length) - lower.length;
  if (first < 0x61 || first > 0x7a) {
    // A first character without case ('<' of "<title"): the native search finds the candidates.
    for (
      let i = bytes.indexOf(first, Math.max(0, from));
      i >= 0 && i <= last;
      i = bytes.indexOf(first, i + 1)
    ) {
      if (hasAsciiCi(bytes, i, lower)) return i;
    }
    return -1;
  }
  for (let i = Math.max(0, from); i <= last; i++) {
    const b = bytes[i]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) === first && hasAsciiCi(bytes, i, lower)) return i;
  }
  return -1;
}

const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

/** ASCII text of a token (method, version, header name): one char per byte, no decoding surprises. */
export function ascii(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Latin-1 is exactly one char per byte. Past a few chars the native slice wins (measured 0.26 vs
  // 1.7 µs for 32 bytes: the loop builds a cons string per char, which a later hash must flatten).
  if (end - start > 8) return latin1Slice.call(bytes, start, end);
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** Wire bytes as text: UTF-8 where valid, U+FFFD where not (Latin-1 banners stay readable enough). */
export function wireText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Printable text: no C0 control but tab, no DEL; bytes >= 0x80 (UTF-8 text) are allowed. */
export function isPrintable(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x09) || b === 0x7f) return false;
  }
  return true;
}

/** Offset of the first byte that is not SP or HTAB at or after `start`, bounded by `end`. */
export function skipSpaces(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  return i;
}

/** Offset one past the last byte that is not SP or HTAB in [start, end). */
export function trimEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = end;
  while (i > start && (bytes[i - 1] === 0x20 || bytes[i - 1] === 0x09)) i--;
  return i;
}

/** True for DIGIT (0x30-0x39). */
export function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}
