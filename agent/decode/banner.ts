// What the line-greeting decoders (FTP, SMTP, POP3, IMAP) share: the first server line as a view,
// the reply-code form of FTP and SMTP, and how a "220" greeting is told to be FTP or SMTP.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { DecodeError, TruncatedError } from './errors.js';
import { isDigit, isPrintable, type Line, readLine, skipSpaces, wireText } from './text-lines.js';
import type { AppContext, Emitter } from './types.js';

/**
 * Greeting lines are short ("220 host ESMTP Postfix"); 1024 bytes covers SMTP's own 512-octet reply
 * line limit (RFC 5321 §4.5.3.1.5) and long FTP welcome texts. 32 lines bound multi-line replies.
 */
export const BANNER_LIMITS = { maxLineLength: 1024, maxLines: 32 } as const;

export interface GreetingPdu {
  /** The whole first line of the greeting, code included. */
  line: Uint8Array;
  /** Reply code or status as sent: "220", "+OK", "OK", "PREAUTH"… */
  code: string;
  /** The banner: the greeting's text after its code, or null when the server refused service. */
  text: Uint8Array | null;
  anomalies: string[];
}

/** A server greeting only ever comes from the side that accepted the connection. */
export function fromServer(ctx: AppContext): boolean {
  return ctx.fromClient !== true;
}

/** The first line, or TruncatedError when it has not ended yet; an overlong line is a DecodeError. */
export function greetingLine(bytes: Uint8Array, protocol: string, start = 0): Line {
  const line = readLine(bytes, start, BANNER_LIMITS.maxLineLength, protocol, 'greeting');
  if (!line)
    throw new TruncatedError(protocol, start, 'greeting', bytes.length - start + 1, bytes.length - start);
  return line;
}

export function rejectClientBytes(ctx: AppContext, protocol: string): void {
  if (!fromServer(ctx))
    throw new DecodeError(protocol, 0, 'greeting', 'client bytes carry no server greeting');
}

/** Three-digit reply code and separator ("220 " or "220-", RFC 959 §4.2, RFC 5321 §4.2); null if absent. */
export function replyCode(bytes: Uint8Array, line: Line): { code: string; multiline: boolean } | null {
  const s = line.start;
  if (!(isDigit(bytes[s]) && isDigit(bytes[s + 1]) && isDigit(bytes[s + 2]))) return null;
  const sep = s + 3 < line.end ? bytes[s + 3] : 0x20;
  if (sep !== 0x20 && sep !== 0x2d) return null;
  return { code: String.fromCharCode(bytes[s]!, bytes[s + 1]!, bytes[s + 2]!), multiline: sep === 0x2d };
}

/**
 * Skips a whole multi-line reply whose first line is `line` ("ddd-" … "ddd "), returning where
 * the next reply starts (RFC 959 §4.2). Used to step over FTP's "120 ready in n minutes".
 */
export function skipReply(bytes: Uint8Array, line: Line, code: string, protocol: string): number {
  let current = line;
  for (let n = 0; n < BANNER_LIMITS.maxLines; n++) {
    const rc = replyCode(bytes, current);
    if (rc && rc.code === code && !rc.multiline) return current.next;
    current = greetingLine(bytes, protocol, current.next);
  }
  throw new DecodeError(protocol, line.start, 'reply', `more than ${BANNER_LIMITS.maxLines} lines`);
}

/** The text after "ddd" and its separator, spaces trimmed. */
export function replyText(bytes: Uint8Array, line: Line): Uint8Array {
  return bytes.subarray(skipSpaces(bytes, Math.min(line.start + 4, line.end), line.end), line.end);
}

export const FTP_PORTS: readonly number[] = [21, 2121];
export const SMTP_PORTS: readonly number[] = [25, 587, 2525];

// Words servers put in their greetings: "vsFTPd", "ProFTPD", "Pure-FTPd", "FileZilla Server",
// "Microsoft FTP Service"; "ESMTP Postfix", "Sendmail", "Exim", "qmail", "Microsoft ESMTP MAIL".
const FTP_WORDS = /ftp|filezilla/i;
const SMTP_WORDS = /smtp|postfix|sendmail|exim|qmail/i;

/**
 * FTP and SMTP greetings both start "220". The text decides when it names exactly one of the two
 * protocols; otherwise the server port decides (21/2121 FTP; 25/587/2525 SMTP); otherwise nobody
 * claims the greeting, because guessing would put an SMTP banner on an FTP server or the reverse.
 */
export function classify220(text: string, serverPort: number): 'ftp' | 'smtp' | null {
  const ftp = FTP_WORDS.test(text);
  const smtp = SMTP_WORDS.test(text);
  if (ftp !== smtp) return ftp ? 'ftp' : 'smtp';
  if (FTP_PORTS.includes(serverPort)) return 'ftp';
  if (SMTP_PORTS.includes(serverPort)) return 'smtp';
  return null;
}

/** Sniff helper: "220" and the first line's text (complete or not) classify as `want`. */
export function sniff220(bytes: Uint8Array, ctx: AppContext, want: 'ftp' | 'smtp'): boolean {
  if (!fromServer(ctx) || bytes.length < 4 || bytes[0] !== 0x32 || bytes[1] !== 0x32 || bytes[2] !== 0x30) {
    return false;
  }
  if (bytes[3] !== 0x20 && bytes[3] !== 0x2d) return false;
  const head = bytes.subarray(0, BANNER_LIMITS.maxLineLength);
  const lf = head.indexOf(0x0a);
  return classify220(wireText(head.subarray(4, lf < 0 ? head.length : lf)), ctx.src.port) === want;
}

/**
 * A 220-style greeting (FTP RFC 959 §4.2, SMTP RFC 5321 §4.2) decoded from `line`: its code, and
 * the banner text when the 220 is recognisably this protocol's (see classify220). A 4xx/5xx reply
 * is a refusal, kept with no banner; any other code is not a greeting.
 */
export function decode220Greeting(
  bytes: Uint8Array,
  line: Line,
  ctx: AppContext,
  protocol: 'ftp' | 'smtp',
): GreetingPdu {
  const rc = replyCode(bytes, line);
  if (!rc)
    throw new DecodeError(protocol, line.start, 'reply.code', 'greeting does not start with a reply code');
  const anomalies = line.bareLf ? [`${protocol}.bare_lf`] : [];
  const full = bytes.subarray(line.start, line.end);
  if (rc.code !== '220') {
    if (rc.code[0] === '4' || rc.code[0] === '5') return { line: full, code: rc.code, text: null, anomalies };
    throw new DecodeError(protocol, line.start, 'reply.code', `${rc.code} is not a greeting`);
  }
  const text = replyText(bytes, line);
  if (classify220(wireText(text), ctx.src.port) !== protocol) {
    throw new DecodeError(
      protocol,
      line.start,
      'greeting',
      `a 220 greeting not recognisably ${protocol.toUpperCase()} (see classify220)`,
    );
  }
  return { line: full, code: rc.code, text, anomalies };
}

/** True when the first bytes are printable text up to the first line end (or the bytes' end). */
export function printableStart(bytes: Uint8Array, max = 64): boolean {
  const head = bytes.subarray(0, max);
  const lf = head.indexOf(0x0a);
  const end = lf < 0 ? head.length : head[lf - 1] === 0x0d ? lf - 1 : lf;
  return end > 0 && isPrintable(head, 0, end);
}

/** Emits the greeting's banner text about its sender, the server. */
export function observeGreeting(key: ObservationKey) {
  return (pdu: GreetingPdu, _ctx: AppContext, out: Emitter): void => {
    for (const a of pdu.anomalies) out.anomaly(a);
    if (!pdu.text) return;
    const value = cleanText(wireText(pdu.text));
    if (value) out.observe('src', key, value);
  };
}
