// SMTP server greeting (RFC 5321 §4.2 reply form, §3.1 session initiation: "220 domain text" or
// "554" refusal). The banner is the first line's text, code stripped (as Recog's smtp_banners match).
import {
  classify220,
  type GreetingPdu,
  greetingLine,
  observeGreeting,
  rejectClientBytes,
  replyCode,
  replyText,
  sniff220,
} from './banner.js';
import { DecodeError } from './errors.js';
import { wireText } from './text-lines.js';
import type { AppDecoder } from './types.js';

export const smtpDecoder: AppDecoder<GreetingPdu> = {
  id: 'smtp',
  transports: ['tcp'],
  ports: [25, 587, 2525],
  sniff: (bytes, ctx) => sniff220(bytes, ctx, 'smtp'),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'smtp');
    const anomalies: string[] = [];
    const line = greetingLine(bytes, 'smtp');
    const rc = replyCode(bytes, line);
    if (!rc)
      throw new DecodeError('smtp', line.start, 'reply.code', 'greeting does not start with a reply code');
    if (line.bareLf) anomalies.push('smtp.bare_lf');
    const full = bytes.subarray(line.start, line.end);
    if (rc.code !== '220') {
      // 554 "No SMTP service here" (§3.1) or a 4xx: a refusal, not a banner.
      if (rc.code[0] === '4' || rc.code[0] === '5')
        return { line: full, code: rc.code, text: null, anomalies };
      throw new DecodeError('smtp', line.start, 'reply.code', `${rc.code} is not a greeting`);
    }
    const text = replyText(bytes, line);
    if (classify220(wireText(text), ctx.src.port) !== 'smtp') {
      throw new DecodeError(
        'smtp',
        line.start,
        'greeting',
        'a 220 greeting not recognisably SMTP (see classify220)',
      );
    }
    return { line: full, code: rc.code, text, anomalies };
  },
  observe: observeGreeting('smtp.banner'),
};
