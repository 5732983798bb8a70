// The explicit list of application and industrial decoders, in the order they are tried (after the
// ones whose default ports match: see agent/observe/app-dispatch.ts). Specific, cheaply-sniffed
// protocols come first; generic text sniffers (HTTP, banners) last.
import { bacnetDecoder } from './bacnet.js';
import { cdpDecoder } from './cdp.js';
import { dhcpDecoder } from './dhcp.js';
import { dhcpv6Decoder } from './dhcpv6.js';
import { dnp3Decoder } from './dnp3.js';
import { dnsDecoder } from './dns.js';
import { enipDecoder } from './enip.js';
import { finsDecoder } from './fins.js';
import { ftpDecoder } from './ftp.js';
import { hartipDecoder } from './hartip.js';
import { httpDecoder } from './http.js';
import { iec104Decoder } from './iec104.js';
import { imapDecoder } from './imap.js';
import { lldpDecoder } from './lldp.js';
import { llmnrDecoder } from './llmnr.js';
import { mdnsDecoder } from './mdns.js';
import { melsecDecoder } from './melsec.js';
import { melsoftDecoder } from './melsoft.js';
import { modbusDecoder } from './modbus.js';
import { nbnsDecoder } from './nbns.js';
import { opcuaDecoder } from './opcua.js';
import { pop3Decoder } from './pop3.js';
import { profinetDcpDecoder } from './profinet-dcp.js';
import { rtspDecoder } from './rtsp.js';
import { s7commDecoder } from './s7comm.js';
import { smtpDecoder } from './smtp.js';
import { snmpDecoder } from './snmp.js';
import { ssdpDecoder } from './ssdp.js';
import { sshDecoder } from './ssh.js';
import { telnetDecoder } from './telnet.js';
import { tlsDecoder } from './tls.js';
import type { AppDecoder } from './types.js';

export const APP_DECODERS: readonly AppDecoder[] = [
  // --- discovery: link protocols by EtherType/SNAP; magic-cookie and BER checks; the DNS family by port ---
  lldpDecoder,
  cdpDecoder,
  dhcpDecoder,
  snmpDecoder,
  dhcpv6Decoder,
  nbnsDecoder,
  llmnrDecoder,
  mdnsDecoder,
  dnsDecoder,
  ssdpDecoder,
  // --- IT protocols with strong signatures ---
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
  // --- generic text sniffers: after every specific decoder ---
  httpDecoder,
  ftpDecoder,
  smtpDecoder,
  pop3Decoder,
  imapDecoder,
  telnetDecoder,
];
