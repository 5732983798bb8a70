// Omron FINS (UDP 9600, TCP 9600 with the FINS/TCP header): roles and Controller Data Read model/version.
import { DecodeError, need } from './errors.js';
import {
  CONTROLLER_DATA_READ,
  FINS_MRCS,
  FINS_PORT,
  FINS_TCP,
  FINS_TCP_MAGIC,
  ICF_FIXED,
  ICF_RESPONSE,
  MAX_GCT,
} from './fins.codes.js';
import { bytesFrom } from './first-bytes.js';
import {
  fixedText,
  isPrintable,
  latin1,
  type MessageRun,
  OnceEmitter,
  readRun,
  reportStop,
  u16be,
  u32be,
} from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'fins';
/** FINS/TCP frames read from one buffer (the smallest is 16 bytes). */
export const FINS_MAX_FRAMES = 256;
/** Largest FINS/TCP frame: a FINS frame is at most 2012 bytes (W421 §7-3), plus the 8 header bytes counted. */
const MAX_TCP_LENGTH = 2020;

export interface FinsFrame {
  response: boolean;
  /** Command code, MRC << 8 | SRC. */
  command: number;
  /** Responses: MRES << 8 | SRES; null for commands. */
  endCode: number | null;
  /** Command parameters or response data. */
  data: Uint8Array;
}

export interface FinsMessage {
  /** FINS/TCP header command (TCP only), else null. */
  tcpCommand: number | null;
  frame: FinsFrame | null;
}

export type FinsPdu = MessageRun<FinsMessage>;

/**
 * FINS frame (W227 §3-1): ICF, RSV (0), GCT (gateway count), DNA, DA1, DA2, SNA, SA1, SA2, SID — ten header
 * bytes — then MRC and SRC; a response has MRES and SRES (the end code) before its data.
 */
function readFrame(b: Uint8Array, base: number): FinsFrame {
  need(b, 0, 12, P, 'fins.header');
  const icf = b[0]!;
  // ICF: bit 7 set, bit 6 response, bit 0 "no response required", bits 1–5 reserved (zero).
  if (!(icf & ICF_FIXED) || icf & 0x3e)
    throw new DecodeError(P, base, 'fins.icf', `ICF 0x${icf.toString(16)}`);
  if (b[1] !== 0) throw new DecodeError(P, base + 1, 'fins.rsv', `reserved byte 0x${b[1]!.toString(16)}`);
  if (b[2]! > MAX_GCT) throw new DecodeError(P, base + 2, 'fins.gct', `gateway count ${b[2]}`);
  const response = (icf & ICF_RESPONSE) !== 0;
  const command = u16be(b, 10);
  if (!response) return { response, command, endCode: null, data: b.subarray(12) };
  need(b, 12, 2, P, 'fins.end_code');
  return { response, command, endCode: u16be(b, 12), data: b.subarray(14) };
}

/** FINS/TCP header (W421 §7-3): "FINS", length (of what follows it), command, error code; then its data. */
function readTcp(b: Uint8Array, offset: number): { message: FinsMessage; next: number } {
  need(b, offset, 8, P, 'tcp.header');
  for (let i = 0; i < 4; i++) {
    if (b[offset + i] !== FINS_TCP_MAGIC[i])
      throw new DecodeError(P, offset, 'tcp.magic', 'no "FINS" header');
  }
  const length = u32be(b, offset + 4);
  if (length < 8 || length > MAX_TCP_LENGTH)
    throw new DecodeError(P, offset + 4, 'tcp.length', `length ${length}`);
  need(b, offset + 8, length, P, 'tcp.frame');
  const tcpCommand = u32be(b, offset + 8);
  const start = offset + 16;
  const end = offset + 8 + length;
  const frame = tcpCommand === FINS_TCP.FRAME ? readFrame(b.subarray(start, end), start) : null;
  return { message: { tcpCommand, frame }, next: end };
}

/**
 * Controller Data Read response (W227 §5-3-1): controller model (20 bytes) and version (20 bytes) first
 * when the command asked for them (parameter 00 or none). The parameter is in the other direction, so the
 * fields are taken only when both are text — the area-data-only answer (parameter 01) is binary.
 */
function modelAndVersion(data: Uint8Array): { model: string; version: string } | null {
  if (data.length < 40) return null;
  const model = fixedText(data, 0, 20);
  const version = fixedText(data, 20, 40);
  if (!isPrintable(model, 2) || !isPrintable(version, 1)) return null;
  return { model: latin1(model), version: latin1(version) };
}

export const finsDecoder: AppDecoder<FinsPdu> = {
  id: 'fins',
  transports: ['udp', 'tcp'],
  ports: [FINS_PORT],
  // "FINS" over TCP; over UDP an ICF with its fixed bit set and bits 1-5 clear.
  firstBytes: [FINS_TCP_MAGIC[0]!, ...bytesFrom(0).filter((b) => b & ICF_FIXED && !(b & 0x3e))],
  sniff(bytes: Uint8Array, ctx: AppContext): boolean {
    if (ctx.transport === 'tcp') {
      return bytes.length >= 16 && FINS_TCP_MAGIC.every((c, i) => bytes[i] === c);
    }
    // FINS over UDP has no magic: the ICF, reserved byte, gateway count and a listed command must agree
    // (RTP and other headers starting 0x80 0x00 otherwise pass).
    const icf = bytes[0]!;
    return (
      bytes.length >= 12 &&
      (icf & ICF_FIXED) !== 0 &&
      (icf & 0x3e) === 0 &&
      bytes[1] === 0 &&
      bytes[2]! <= MAX_GCT &&
      FINS_MRCS.has(bytes[10]!)
    );
  },
  decode(bytes: Uint8Array, ctx: AppContext): FinsPdu {
    if (ctx.transport === 'tcp') return readRun(bytes, FINS_MAX_FRAMES, (offset) => readTcp(bytes, offset));
    return { messages: [{ tcpCommand: null, frame: readFrame(bytes, 0) }], stop: null };
  },
  observe(pdu: FinsPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    for (const m of pdu.messages) {
      if (m.tcpCommand === FINS_TCP.NODE_ADDRESS_FROM_CLIENT) out.role('src', P, 'client');
      if (m.tcpCommand === FINS_TCP.NODE_ADDRESS_FROM_SERVER) out.role('src', P, 'server');
      const f = m.frame;
      if (!f) continue;
      out.role('src', P, f.response ? 'server' : 'client');
      // End code 0000 is normal completion; bit 7 of MRES and bits 6–7 of SRES only flag relay/PLC errors.
      if (!f.response || f.command !== CONTROLLER_DATA_READ || (f.endCode! & 0x7f3f) !== 0) continue;
      const read = modelAndVersion(f.data);
      if (!read) continue;
      out.observe('src', 'fins.model', read.model);
      out.observe('src', 'fins.version', read.version);
    }
  },
};
