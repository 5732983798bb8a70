// SSH protocol version exchange (RFC 4253 §4.2): "SSH-protoversion-softwareversion SP comments
// CR LF", at most 255 bytes, from either side; a server may send other lines before it.
import { cleanText } from '../../core/observation.js';
import { printableStart } from './banner.js';
import { DecodeError, TruncatedError } from './errors.js';
import { PRINTABLE_FIRST } from './first-bytes.js';
import { reportAnomalies } from './problems.js';
import { BytesCache } from './text-cache.js';
import { ascii, hasAscii, isPrintable, readLine } from './text-lines.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

/** RFC 4253 §4.2: the identification string is at most 255 characters including CR LF. */
export const SSH_MAX_IDENT = 253;
/** Lines a server may send before its identification; the RFC sets no number, 32 is generous. */
export const SSH_MAX_PRE_LINES = 32;
/** Longest pre-identification line read (they are human-readable notices). */
const MAX_PRE_LINE = 1024;

export interface SshPdu {
  /** The identification string without CR LF, e.g. "SSH-2.0-OpenSSH_9.6". */
  ident: Uint8Array;
  /** "2.0", "1.99" (a server that also speaks 1.x, §5.1) or "1.5". */
  protoVersion: string;
  /** Lines the server sent before the identification. */
  preLines: number;
  anomalies: string[];
}

const SSH_PORTS: readonly number[] = [22, 2222];

export const sshDecoder: AppDecoder<SshPdu> = {
  id: 'ssh',
  transports: ['tcp'],
  ports: SSH_PORTS,
  // "SSH-", or a server's line before it (printable).
  firstBytes: PRINTABLE_FIRST,
  sniff(bytes, ctx) {
    if (hasAscii(bytes, 0, 'SSH-')) return true;
    // Only a server may precede its identification with other lines; only a port hint says so.
    return ctx.fromClient === false && SSH_PORTS.includes(ctx.src.port) && printableStart(bytes);
  },
  decode: decodeSsh,
  observe: observeSsh,
};

function decodeSsh(bytes: Uint8Array, ctx: AppContext): SshPdu {
  const anomalies: string[] = [];
  let pos = 0;
  for (let preLines = 0; preLines <= SSH_MAX_PRE_LINES; preLines++) {
    const isIdent = hasAscii(bytes, pos, 'SSH-');
    const line = readLine(
      bytes,
      pos,
      isIdent ? SSH_MAX_IDENT : MAX_PRE_LINE,
      'ssh',
      isIdent ? 'ident' : 'pre_line',
    );
    if (!line) {
      // "SSH-" that has not reached its CR LF yet, or a cut notice line: more bytes may finish it.
      throw new TruncatedError(
        'ssh',
        pos,
        isIdent ? 'ident' : 'pre_line',
        bytes.length - pos + 1,
        bytes.length - pos,
      );
    }
    if (!isIdent) {
      if (ctx.fromClient === true)
        throw new DecodeError('ssh', pos, 'ident', 'a client must send its identification first');
      if (!isPrintable(bytes, line.start, line.end))
        throw new DecodeError('ssh', pos, 'pre_line', 'not printable text');
      pos = line.next;
      continue;
    }
    if (line.bareLf) anomalies.push('ssh.bare_lf');
    const ident = bytes.subarray(line.start, line.end);
    const dash = ident.indexOf(0x2d, 4);
    if (dash <= 4 || dash === ident.length - 1) {
      throw new DecodeError('ssh', pos, 'ident.version', 'no "protoversion-softwareversion"');
    }
    if (!isPrintable(ident)) throw new DecodeError('ssh', pos, 'ident', 'not printable text');
    const protoVersion = ascii(ident, 4, dash);
    if (!['2.0', '1.99', '1.5'].includes(protoVersion)) anomalies.push('ssh.unknown_version');
    return { ident, protoVersion, preLines, anomalies };
  }
  throw new DecodeError('ssh', pos, 'pre_line', `no identification after ${SSH_MAX_PRE_LINES} lines`);
}

/** Identification bytes → ssh.banner text: a host sends the same one on every connection. */
const bannerTexts = new BytesCache((ident) => cleanText(ascii(ident)));

function observeSsh(pdu: SshPdu, _ctx: AppContext, out: Emitter): void {
  reportAnomalies(pdu.anomalies, out);
  const value = bannerTexts.get(pdu.ident);
  if (value) out.observe('src', 'ssh.banner', value);
}
