// IMAP server greeting (RFC 9051 §7.1: "* OK", "* PREAUTH" or "* BYE", optionally with a
// "[response code]" such as CAPABILITY). The banner is the human text after status and code.
import { type GreetingPdu, greetingLine, observeGreeting, rejectClientBytes } from './banner.js';
import { DecodeError } from './errors.js';
import { firstChars } from './first-bytes.js';
import { ascii, hasAscii, skipSpaces } from './text-lines.js';
import type { AppDecoder } from './types.js';

const STATUSES = ['OK', 'PREAUTH', 'BYE'] as const;

export const imapDecoder: AppDecoder<GreetingPdu> = {
  id: 'imap',
  transports: ['tcp'],
  ports: [143],
  firstBytes: firstChars(STATUSES.map((s) => `* ${s}`)),
  sniff: (bytes, ctx) => ctx.fromClient !== true && STATUSES.some((s) => hasAscii(bytes, 0, `* ${s}`)),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'imap');
    const line = greetingLine(bytes, 'imap');
    const anomalies = line.bareLf ? ['imap.bare_lf'] : [];
    const full = bytes.subarray(line.start, line.end);
    const status = STATUSES.find((s) => hasAscii(bytes, line.start, `* ${s}`));
    const afterStatus = status ? line.start + 2 + status.length : -1;
    if (!status || (afterStatus < line.end && bytes[afterStatus] !== 0x20)) {
      throw new DecodeError('imap', line.start, 'status', 'greeting is not "* OK", "* PREAUTH" or "* BYE"');
    }
    if (status === 'BYE') return { line: full, code: status, text: null, anomalies };
    let start = skipSpaces(bytes, afterStatus, line.end);
    if (bytes[start] === 0x5b) {
      // resp-text-code in brackets (§7.1); the text after it names the server, the code lists features.
      const close = bytes.indexOf(0x5d, start);
      if (close < 0 || close >= line.end) {
        throw new DecodeError('imap', start, 'resp_text_code', 'unterminated "["');
      }
      const after = skipSpaces(bytes, close + 1, line.end);
      // A greeting that is only a response code keeps the code as its banner.
      if (after < line.end) start = after;
    }
    const text = bytes.subarray(start, line.end);
    return { line: full, code: ascii(bytes, line.start + 2, afterStatus), text, anomalies };
  },
  observe: observeGreeting('imap.banner'),
};
