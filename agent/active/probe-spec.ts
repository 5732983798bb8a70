// What a probe definition in signatures/probes/*.yaml holds once loaded and checked (the format is
// specified in signatures/README.md, "probes"). Probes are data: code only sends them.

/** The code family that sends a probe; each has one file under agent/active/probes/. */
export const PROBE_KINDS = ['arp', 'tcp-connect', 'banner', 'request', 'tls', 'snmp', 'dns'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** How the end of a reply is recognised, so a multi-step exchange knows when to send the next step. */
export const FRAMINGS = [
  /** Modbus/TCP MBAP header: length at bytes 4..5 (Modbus Messaging on TCP/IP V1.0b §3.1.3). */
  'mbap',
  /** RFC 1006 TPKT: version 3, length at bytes 2..3 (ISO-on-TCP, used by S7comm). */
  'tpkt',
  /** EtherNet/IP encapsulation: 24-byte header, little-endian length at 2..3 (CIP Vol. 2 §2-3). */
  'enip',
  /** FINS/TCP: "FINS" magic and big-endian length at 4..7 (Omron W421 §7). */
  'fins-tcp',
  /** Text up to the first line feed (banners). */
  'line',
  /** HTTP/RTSP-style header block up to CRLFCRLF, then Content-Length body or until the cap. */
  'http',
  /** One datagram is one reply (UDP). */
  'datagram',
] as const;
export type Framing = (typeof FRAMINGS)[number];

/** Placeholders a text payload may use; nothing else is substituted. */
export const TEXT_PLACEHOLDERS = ['{ip}', '{host}', '{port}'] as const;

/** A hex payload may hold `{srcnode}`: one byte, the last octet of the scanner's IPv4 address. */
export const HEX_PLACEHOLDERS = ['{srcnode}'] as const;

export interface Payload {
  /** Exact bytes to send. */
  bytes?: Uint8Array;
  /** Offsets in `bytes` that take the scanner's node number (FINS SA1 must name the sender, W421 §5-2). */
  srcNodeAt?: number[];
  /** Text with placeholders, sent as UTF-8 after substitution. */
  text?: string;
}

/** A reply byte check: the step's reply must hold `bytes` at `offset`, or the exchange stops. */
export interface Expect {
  offset: number;
  bytes: Uint8Array;
}

export interface Step {
  /** Alternatives for this step: tried in order (each on a fresh connection for step 1) until one is accepted. */
  send: Payload[];
  expect?: Expect;
}

export interface DnsQuestion {
  /** A DNS name, or "{reverse}" for the target's in-addr.arpa / ip6.arpa name. */
  name: string;
  type: 'PTR' | 'A' | 'AAAA' | 'TXT' | 'SRV' | 'ANY';
}

export interface ProbeSpec {
  /** Unique, kebab-case. */
  id: string;
  title: string;
  kind: ProbeKind;
  transport: 'tcp' | 'udp' | 'link';
  ports: number[];
  /** True for identity reads only: what `--safe` (and every host classed plc/rtu/ied/hmi) allows. */
  safe: boolean;
  /** An industrial identity read: a reply marks the host as OT, which keeps the unsafe probes away. */
  industrial: boolean;
  /** Registry id of the decoder that reads the reply (agent/decode); none for arp/tcp-connect/tls. */
  decoder: string | null;
  framing: Framing | null;
  steps: Step[];
  /** SNMP: the OIDs of one GET request. */
  oids: string[];
  /** DNS: the questions of one query. */
  questions: DnsQuestion[];
  /** Longest reply kept, bytes (the passive flow table keeps 4 KiB per direction too). */
  maxReply: number;
  /** Time to wait for each reply, ms. */
  timeoutMs: number;
  /** Why this request cannot change the device: what a reviewer checks before allowing the probe. */
  readOnly: string;
  /** The spec section (or public documentation) the payload was built from. */
  source: string;
  /** Where it was defined, for messages: "file:line". */
  origin: string;
}

export const DEFAULT_MAX_REPLY = 4096;
export const MAX_MAX_REPLY = 65_536;
export const DEFAULT_TIMEOUT_MS = 2000;
export const MAX_TIMEOUT_MS = 30_000;
