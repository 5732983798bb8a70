// SMTP server greeting (RFC 5321 §4.2 reply form, §3.1 session initiation: "220 domain text" or
// "554" refusal). The banner is the first line's text, code stripped (as Recog's smtp_banners match).
import {
  decode220Greeting,
  type GreetingPdu,
  greetingLine,
  observeGreeting,
  rejectClientBytes,
  sniff220,
} from './banner.js';
import { firstChars } from './first-bytes.js';
import type { AppDecoder } from './types.js';

export const smtpDecoder: AppDecoder<GreetingPdu> = {
  id: 'smtp',
  transports: ['tcp'],
  ports: [25, 587, 2525],
  firstBytes: firstChars(['220']),
  sniff: (bytes, ctx) => sniff220(bytes, ctx, 'smtp'),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'smtp');
    // 554 "No SMTP service here" (§3.1) or a 4xx is a refusal, not a banner.
    return decode220Greeting(bytes, greetingLine(bytes, 'smtp'), ctx, 'smtp');
  },
  observe: observeGreeting('smtp.banner'),
};
