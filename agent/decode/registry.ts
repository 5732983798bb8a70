// The explicit list of application and industrial decoders, in the order they are tried.
// Specific, cheaply-sniffed protocols come first; generic text sniffers (HTTP, banners) last.

// --- discovery and IT protocols (issue 3, part 1) ---
import { ftpDecoder } from './ftp.js';
import { httpDecoder } from './http.js';
import { imapDecoder } from './imap.js';
import { pop3Decoder } from './pop3.js';
import { rtspDecoder } from './rtsp.js';
import { smtpDecoder } from './smtp.js';
import { sshDecoder } from './ssh.js';
import { telnetDecoder } from './telnet.js';
import { tlsDecoder } from './tls.js';
import type { AppDecoder } from './types.js';

// --- industrial protocols (issue 3, part 2) ---

export const APP_DECODERS: readonly AppDecoder[] = [
  // --- discovery and IT protocols ---
  tlsDecoder,
  sshDecoder,
  rtspDecoder,
  // generic text sniffers: after every specific decoder
  httpDecoder,
  ftpDecoder,
  smtpDecoder,
  pop3Decoder,
  imapDecoder,
  telnetDecoder,
  // --- industrial protocols ---
];
