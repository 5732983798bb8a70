// The explicit list of application and industrial decoders, in the order they are tried.
// Specific, cheaply-sniffed protocols come first; generic text sniffers (HTTP, banners) last.

// --- industrial protocols (issue 3, part 2) ---
import { bacnetDecoder } from './bacnet.js';
import { dnp3Decoder } from './dnp3.js';
import { enipDecoder } from './enip.js';
import { finsDecoder } from './fins.js';
// --- discovery and IT protocols (issue 3, part 1) ---
import { ftpDecoder } from './ftp.js';
import { hartipDecoder } from './hartip.js';
import { httpDecoder } from './http.js';
import { iec104Decoder } from './iec104.js';
import { imapDecoder } from './imap.js';
import { melsecDecoder } from './melsec.js';
import { melsoftDecoder } from './melsoft.js';
import { modbusDecoder } from './modbus.js';
import { opcuaDecoder } from './opcua.js';
import { pop3Decoder } from './pop3.js';
import { profinetDcpDecoder } from './profinet-dcp.js';
import { rtspDecoder } from './rtsp.js';
import { s7commDecoder } from './s7comm.js';
import { smtpDecoder } from './smtp.js';
import { sshDecoder } from './ssh.js';
import { telnetDecoder } from './telnet.js';
import { tlsDecoder } from './tls.js';
import type { AppDecoder } from './types.js';

export const APP_DECODERS: readonly AppDecoder[] = [
  // --- discovery and IT protocols ---
  tlsDecoder,
  sshDecoder,
  rtspDecoder,
  // --- industrial protocols ---
  // Strong signatures first (TPKT+COTP, encapsulation command+status, UA message types, 0x0564+CRC, 0x68
  // APCI, "FINS"); Modbus/TCP last: MBAP's only constant is a zero protocol id.
  s7commDecoder,
  enipDecoder,
  opcuaDecoder,
  dnp3Decoder,
  iec104Decoder,
  finsDecoder,
  bacnetDecoder,
  profinetDcpDecoder,
  hartipDecoder,
  melsecDecoder,
  melsoftDecoder,
  modbusDecoder,
  // generic text sniffers: after every specific decoder
  httpDecoder,
  ftpDecoder,
  smtpDecoder,
  pop3Decoder,
  imapDecoder,
  telnetDecoder,
];
