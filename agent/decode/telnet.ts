// Telnet server banner (RFC 854): option negotiation (IAC WILL/DO…, RFC 855 subnegotiation) is
// stepped over to the first non-blank text line, which must be printable ("User Access Verification").
import { cleanText } from '../../core/observation.js';
import { BANNER_LIMITS, printableStart, rejectClientBytes } from './banner.js';
import { DecodeError, TruncatedError } from './errors.js';
import { PRINTABLE_FIRST } from './first-bytes.js';
import { FIRST_COMMAND, IAC, isNegotiation, SB, SE } from './telnet.codes.js';
import { isPrintable, wireText } from './text-lines.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

/** Longest subnegotiation stepped over; real ones (terminal type, window size) are a few bytes. */
export const TELNET_MAX_SUBNEGOTIATION = 512;

export interface TelnetPdu {
  /** Raw span of the banner line: may still hold IAC sequences and ANSI escapes, see bannerText. */
  line: Uint8Array;
  /** WILL/WONT/DO/DONT commands before the banner. */
  negotiations: number;
  /** The banner was a prompt ("login: ") the server left unterminated. */
  prompt: boolean;
  anomalies: string[];
}

const TELNET_PORTS: readonly number[] = [23, 2323];
/** ECMA-48 escape: coloured banners carry SGR sequences that are not text. */
const ESC = 0x1b;

export const telnetDecoder: AppDecoder<TelnetPdu> = {
  id: 'telnet',
  transports: ['tcp'],
  ports: TELNET_PORTS,
  firstBytes: [IAC, 0x0d, 0x0a, ...PRINTABLE_FIRST],
  sniff(bytes, ctx) {
    if (ctx.fromClient === true) return false;
    if (bytes[0] === IAC && (isNegotiation(bytes[1]) || bytes[1] === SB)) return true;
    // The port first: every direction no other decoder claimed reaches this sniff, and on other
    // ports the text scan (up to 64 bytes and a view) decided nothing.
    if (!TELNET_PORTS.includes(ctx.src.port)) return false;
    return bytes[0] === 0x0d || bytes[0] === 0x0a || printableStart(bytes);
  },
  decode: decodeTelnet,
  observe: observeTelnet,
};

function decodeTelnet(bytes: Uint8Array, ctx: AppContext): TelnetPdu {
  rejectClientBytes(ctx, 'telnet');
  const anomalies: string[] = [];
  let negotiations = 0;
  let lineStart = -1;
  let blankLines = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === IAC) {
      const step = commandLength(bytes, i, anomalies);
      if (isNegotiation(bytes[i + 1])) negotiations++;
      if (bytes[i + 1] === IAC && lineStart < 0) lineStart = i; // IAC IAC is a data byte 255
      i += step;
      continue;
    }
    if (b === 0x0d || b === 0x0a) {
      if (lineStart >= 0) {
        const line = bytes.subarray(lineStart, i);
        if (hasText(line, anomalies)) return banner(line, negotiations, false, anomalies);
      }
      lineStart = -1;
      if (++blankLines > BANNER_LIMITS.maxLines) {
        throw new DecodeError('telnet', i, 'banner', `no text in ${BANNER_LIMITS.maxLines} lines`);
      }
      i += b === 0x0d && (bytes[i + 1] === 0x0a || bytes[i + 1] === 0x00) ? 2 : 1;
      continue;
    }
    if (lineStart < 0 && b !== 0x00) lineStart = i;
    if (lineStart >= 0 && i - lineStart >= BANNER_LIMITS.maxLineLength) {
      throw new DecodeError(
        'telnet',
        lineStart,
        'banner',
        `line longer than ${BANNER_LIMITS.maxLineLength} bytes`,
      );
    }
    i++;
  }
  // No line end yet: a login prompt ("Username:", "login: ") is a banner the server leaves open.
  if (lineStart >= 0) {
    const line = bytes.subarray(lineStart);
    if (/[:>#$%]\s*$/.test(dataText(line, [])) && hasText(line, anomalies)) {
      return banner(line, negotiations, true, anomalies);
    }
  }
  throw new TruncatedError('telnet', lineStart < 0 ? bytes.length : lineStart, 'banner', 1, 0);
}

/**
 * Bytes taken by the command at `i` (which holds IAC): 3 for option negotiation, up to IAC SE for
 * subnegotiation (IAC IAC inside it is an escaped 255), 2 for the rest.
 */
function commandLength(bytes: Uint8Array, i: number, anomalies: string[]): number {
  const cmd = bytes[i + 1];
  if (cmd === undefined) throw new TruncatedError('telnet', i, 'iac', 2, 1);
  if (isNegotiation(cmd)) {
    if (i + 3 > bytes.length) throw new TruncatedError('telnet', i, 'iac.option', 3, bytes.length - i);
    return 3;
  }
  if (cmd === SB) {
    const limit = Math.min(bytes.length, i + TELNET_MAX_SUBNEGOTIATION);
    for (let j = i + 2; j + 1 < limit; j++) {
      if (bytes[j] !== IAC) continue;
      if (bytes[j + 1] === SE) return j + 2 - i;
      j++; // IAC IAC or another command inside: skip its second byte
    }
    if (limit < bytes.length) {
      throw new DecodeError('telnet', i, 'subnegotiation', `longer than ${TELNET_MAX_SUBNEGOTIATION} bytes`);
    }
    throw new TruncatedError('telnet', i, 'subnegotiation', TELNET_MAX_SUBNEGOTIATION, bytes.length - i);
  }
  if (cmd < FIRST_COMMAND && cmd !== IAC) anomalies.push('telnet.unknown_command');
  return 2;
}

function banner(line: Uint8Array, negotiations: number, prompt: boolean, anomalies: string[]): TelnetPdu {
  return { line, negotiations, prompt, anomalies };
}

/** The line has non-blank text; throws when that text is not printable (binary is no banner). */
function hasText(line: Uint8Array, anomalies: string[]): boolean {
  const data = dataBytes(line, anomalies);
  if (!isPrintable(data)) throw new DecodeError('telnet', 0, 'banner', 'first text line is not printable');
  return data.some((c) => c !== 0x20 && c !== 0x09);
}

/**
 * The data bytes of a raw line: IAC commands removed (IAC IAC kept as 255), NUL dropped (RFC 854:
 * no effect on the printer), ANSI escape sequences (ECMA-48 CSI, and two-byte ESC x) removed.
 */
function dataBytes(line: Uint8Array, anomalies: string[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    if (b === IAC) {
      const cmd = line[i + 1];
      if (cmd === IAC) out.push(IAC);
      i += isNegotiation(cmd) ? 2 : cmd === SB ? skipSb(line, i) - i - 1 : 1;
    } else if (b === ESC) {
      if (!anomalies.includes('telnet.ansi_escape')) anomalies.push('telnet.ansi_escape');
      if (line[i + 1] === 0x5b) {
        // CSI: ESC [ parameter bytes 0x30-0x3F, intermediate 0x20-0x2F, final 0x40-0x7E.
        let j = i + 2;
        while (j < line.length && line[j]! >= 0x20 && line[j]! <= 0x3f) j++;
        i = j; // the final byte
      } else i += 1;
    } else if (b !== 0x00) out.push(b);
  }
  return Uint8Array.from(out);
}

function skipSb(line: Uint8Array, i: number): number {
  for (let j = i + 2; j + 1 < line.length; j++) if (line[j] === IAC && line[j + 1] === SE) return j + 2;
  return line.length;
}

function dataText(line: Uint8Array, anomalies: string[]): string {
  return wireText(dataBytes(line, anomalies));
}

function observeTelnet(pdu: TelnetPdu, _ctx: AppContext, out: Emitter): void {
  for (const a of pdu.anomalies) out.anomaly(a);
  const value = cleanText(dataText(pdu.line, []));
  if (value) out.observe('src', 'telnet.banner', value);
}
