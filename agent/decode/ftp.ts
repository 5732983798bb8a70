// FTP server greeting (RFC 959 §4.2, §5.4 connection establishment: 120 → 220, or 220, or 421).
// The banner is the text of the 220 reply's first line, code stripped (as Recog's ftp_banners match).
import {
  classify220,
  type GreetingPdu,
  greetingLine,
  observeGreeting,
  rejectClientBytes,
  replyCode,
  replyText,
  skipReply,
  sniff220,
} from './banner.js';
import { DecodeError } from './errors.js';
import { wireText } from './text-lines.js';
import type { AppDecoder } from './types.js';

export const ftpDecoder: AppDecoder<GreetingPdu> = {
  id: 'ftp',
  transports: ['tcp'],
  ports: [21, 2121],
  sniff: (bytes, ctx) => sniff220(bytes, ctx, 'ftp'),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'ftp');
    const anomalies: string[] = [];
    let line = greetingLine(bytes, 'ftp');
    let rc = replyCode(bytes, line);
    if (rc?.code === '120') {
      // "120 Service ready in nnn minutes" precedes the 220 (§5.4).
      line = greetingLine(bytes, 'ftp', skipReply(bytes, line, '120', 'ftp'));
      rc = replyCode(bytes, line);
    }
    if (!rc)
      throw new DecodeError('ftp', line.start, 'reply.code', 'greeting does not start with a reply code');
    if (line.bareLf) anomalies.push('ftp.bare_lf');
    const full = bytes.subarray(line.start, line.end);
    if (rc.code !== '220') {
      // 421 "Service not available": a refusal, not a banner.
      if (rc.code[0] === '4' || rc.code[0] === '5')
        return { line: full, code: rc.code, text: null, anomalies };
      throw new DecodeError('ftp', line.start, 'reply.code', `${rc.code} is not a greeting`);
    }
    const text = replyText(bytes, line);
    if (classify220(wireText(text), ctx.src.port) !== 'ftp') {
      throw new DecodeError(
        'ftp',
        line.start,
        'greeting',
        'a 220 greeting not recognisably FTP (see classify220)',
      );
    }
    return { line: full, code: rc.code, text, anomalies };
  },
  observe: observeGreeting('ftp.banner'),
};
