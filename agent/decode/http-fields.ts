// What HTTP header fields and small HTML pages mean for identification: field lookup by name,
// WWW-Authenticate realms (RFC 9110 §11.6.1), the body's charset and its <title>. No framing here.
import type { FieldAt, TextMessage } from './http-message.js';
import { ascii, hasAsciiCi, indexOfAsciiCi, wireText } from './text-lines.js';

/** The field's name is `lowerName`, ASCII case-insensitively (read in place, no view made). */
export function isField(h: FieldAt, lowerName: string): boolean {
  return h.nameEnd - h.nameStart === lowerName.length && hasAsciiCi(h.bytes, h.nameStart, lowerName);
}

/** The first header field with this (lower-case) name. */
export function header(message: Pick<TextMessage, 'headers'>, lowerName: string): FieldAt | undefined {
  const fields = message.headers;
  for (let i = 0; i < fields.length; i++) if (isField(fields[i]!, lowerName)) return fields[i];
  return undefined;
}

const NO_FIELDS: readonly FieldAt[] = [];

/** Every header field with this (lower-case) name, in order. */
export function headers(message: Pick<TextMessage, 'headers'>, lowerName: string): readonly FieldAt[] {
  let out: FieldAt[] | null = null;
  for (const h of message.headers) {
    if (!isField(h, lowerName)) continue;
    if (out === null) out = [];
    out.push(h);
  }
  return out ?? NO_FIELDS;
}

/** Titles longer than this are not a page name any more (and cleanText would cut them anyway). */
export const MAX_TITLE_BYTES = 1024;

/**
 * Every realm in one WWW-Authenticate value. A value may hold several challenges
 * ('Digest qop="auth", realm="IP Camera(C2183)", nonce="…", Basic realm="x"'); realm is an
 * auth-param whose value is a token or a quoted-string (RFC 9110 §11.2, §5.6.4 quoted-pair).
 */
export function authRealms(value: string): string[] {
  const realms: string[] = [];
  const re = /(?:^|[\s,])realm\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const realm = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    if (!realms.includes(realm)) realms.push(realm);
  }
  return realms;
}

/** The charset parameter of a Content-Type value, lower case, or null. */
export function charsetParam(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * The bytes between <title…> and </title> of an HTML body, or null: when the content is not HTML,
 * is content-coded (gzip bytes hold no title), or the title is not complete within the bytes.
 */
export function findTitle(
  m: TextMessage,
  /** The message's first Content-Type field, if any (the caller has looked its fields up already). */
  type: FieldAt | undefined,
  /** Its first Content-Encoding field, if any. */
  coding: FieldAt | undefined,
): Uint8Array | null {
  // "html" anywhere in the value, ASCII case-insensitively (as /html/i on its Latin-1 text), in place.
  if (type && indexOfAsciiCi(type.bytes, 'html', type.valueStart, type.valueEnd) < 0) return null;
  if (coding && !/^\s*identity\s*$/i.test(ascii(coding.value))) return null;
  const body = m.body;
  let open = indexOfAsciiCi(body, '<title', 0);
  // Skip look-alikes such as <titlebar>: the tag name must end here.
  while (open >= 0 && !isTagEnd(body[open + 6])) open = indexOfAsciiCi(body, '<title', open + 6);
  if (open < 0) return null;
  const gt = body.indexOf(0x3e, open + 6);
  if (gt < 0) return null;
  const close = indexOfAsciiCi(body, '</title', gt + 1, gt + 1 + MAX_TITLE_BYTES + 7);
  if (close < 0) return null;
  return body.subarray(gt + 1, close);
}

function isTagEnd(b: number | undefined): boolean {
  return b === 0x3e || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x2f;
}

/** How far into a page a <meta> charset declaration is looked for (HTML §4.2.5.5 says 1024 bytes). */
const META_SCAN_BYTES = 1024;

/** The charset a page declares in <meta charset> or <meta http-equiv content>, before its title. */
export function metaCharset(body: Uint8Array, before: number): string | null {
  const head = ascii(body, 0, Math.min(before, body.length, META_SCAN_BYTES));
  const m = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Title bytes as display text: decoded with the declared charset when the runtime knows it
 * (GBK, Shift_JIS, Big5 pages from Asian vendors), UTF-8 otherwise; entities and runs of white
 * space reduced.
 */
export function titleText(title: Uint8Array, charset: string | null): string {
  return decodeEntities(decodeCharset(title, charset)).replace(/\s+/g, ' ').trim();
}

function decodeCharset(bytes: Uint8Array, charset: string | null): string {
  if (!charset || charset === 'utf-8' || charset === 'utf8') return wireText(bytes);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset);
  } catch (err) {
    // An unknown label is the page's mistake, not ours: fall back to UTF-8.
    if (err instanceof RangeError) return wireText(bytes);
    throw err;
  }
  return decoder.decode(bytes);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The five XML entities, &nbsp; and numeric references; anything else is left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (all, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? all;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : all;
  });
}
