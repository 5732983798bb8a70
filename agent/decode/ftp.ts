// FTP server greeting (RFC 959 §4.2, §5.4 connection establishment: 120 → 220, or 220, or 421).
// The banner is the text of the 220 reply's first line, code stripped (as Recog's ftp_banners match).
import {
  decode220Greeting,
  type GreetingPdu,
  greetingLine,
  observeGreeting,
  rejectClientBytes,
  replyCode,
  skipReply,
  sniff220,
} from './banner.js';
import { firstChars } from './first-bytes.js';
import type { AppDecoder } from './types.js';

export const ftpDecoder: AppDecoder<GreetingPdu> = {
  id: 'ftp',
  transports: ['tcp'],
  ports: [21, 2121],
  firstBytes: firstChars(['220']),
  sniff: (bytes, ctx) => sniff220(bytes, ctx, 'ftp'),
  decode(bytes, ctx) {
    rejectClientBytes(ctx, 'ftp');
    let line = greetingLine(bytes, 'ftp');
    if (replyCode(bytes, line)?.code === '120') {
      // "120 Service ready in nnn minutes" precedes the 220 (§5.4).
      line = greetingLine(bytes, 'ftp', skipReply(bytes, line, '120', 'ftp'));
    }
    // 421 "Service not available" is a refusal, not a banner.
    return decode220Greeting(bytes, line, ctx, 'ftp');
  },
  observe: observeGreeting('ftp.banner'),
};
