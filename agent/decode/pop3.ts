// POP3 server greeting (RFC 1939 §4: "+OK" and text, possibly ending in an APOP timestamp).
// The banner is the text after "+OK", as Recog's pop_banners match it.
import { type GreetingPdu, greetingLine, observeGreeting, rejectClientBytes } from './banner.js';
import { DecodeError } from './errors.js';
import { firstChars } from './first-bytes.js';
import { hasAscii, skipSpaces } from './text-lines.js';
import type { AppDecoder } from './types.js';

export const pop3Decoder: AppDecoder<GreetingPdu> = {
  id: 'pop3',
  transports: ['tcp'],
  ports: [110],
  firstBytes: firstChars(['+OK', '-ERR']),
  sniff: (bytes, ctx) => ctx.fromClient !== true && (hasAscii(bytes, 0, '+OK') || hasAscii(bytes, 0, '-ERR')),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'pop3');
    const line = greetingLine(bytes, 'pop3');
    const anomalies = line.bareLf ? ['pop3.bare_lf'] : [];
    const full = bytes.subarray(line.start, line.end);
    if (hasAscii(bytes, line.start, '-ERR')) return { line: full, code: '-ERR', text: null, anomalies };
    const after = bytes[line.start + 3];
    if (
      !hasAscii(bytes, line.start, '+OK') ||
      (line.start + 3 < line.end && after !== 0x20 && after !== 0x09)
    ) {
      throw new DecodeError('pop3', line.start, 'status', 'greeting is not "+OK" or "-ERR"');
    }
    const text = bytes.subarray(skipSpaces(bytes, line.start + 3, line.end), line.end);
    return { line: full, code: '+OK', text, anomalies };
  },
  observe: observeGreeting('pop3.banner'),
};
