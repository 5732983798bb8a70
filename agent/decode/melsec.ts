// Mitsubishi SLMP / MC protocol 3E and 4E binary frames (TCP/UDP): roles and the Read Type Name CPU model.
import { DecodeError, need } from './errors.js';
import { MELSEC_PORTS, SUBHEADER, TYPE_NAME_RESPONSE_LENGTH } from './melsec.codes.js';
import {
  fixedText,
  isPrintable,
  latin1,
  type MessageRun,
  OnceEmitter,
  readRun,
  reportStop,
  u16be,
  u16le,
} from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'melsec';
/** Frames read from one buffer (the smallest, a 3E response, is 11 bytes). */
export const MELSEC_MAX_FRAMES = 256;
/** Longest request/response data (§4.1: 8194 bytes of data in one frame at most). */
const MAX_DATA_LENGTH = 8194;

export interface MelsecFrame {
  response: boolean;
  /** 4E frames carry a serial number that pairs a response with its request; 3E frames do not. */
  serial: number | null;
  /** Requests: command and subcommand; null in responses (a response does not repeat them). */
  command: number | null;
  subcommand: number | null;
  /** Responses: end code (0 = normal completion); null in requests. */
  endCode: number | null;
  /** Request data after the subcommand, or response data after the end code. */
  data: Uint8Array;
}

export type MelsecPdu = MessageRun<MelsecFrame>;

/**
 * Binary 3E/4E frame (§4.1): subheader (2; 4E adds serial number and two zero bytes), network number,
 * station number, module I/O number (2, LE), multidrop station number, data length (2, LE, counting what
 * follows), then a request's monitoring timer, command, subcommand (2 each, LE) and data, or a response's
 * end code (2, LE) and data.
 */
function readFrame(b: Uint8Array, offset: number): { message: MelsecFrame; next: number } {
  need(b, offset, 2, P, 'subheader');
  const subheader = u16be(b, offset);
  const is4e = subheader === SUBHEADER.REQUEST_4E || subheader === SUBHEADER.RESPONSE_4E;
  if (!is4e && subheader !== SUBHEADER.REQUEST_3E && subheader !== SUBHEADER.RESPONSE_3E) {
    throw new DecodeError(P, offset, 'subheader', `subheader 0x${subheader.toString(16).padStart(4, '0')}`);
  }
  const response = subheader === SUBHEADER.RESPONSE_3E || subheader === SUBHEADER.RESPONSE_4E;
  let pos = offset + 2;
  let serial: number | null = null;
  if (is4e) {
    need(b, pos, 4, P, 'serial');
    serial = u16le(b, pos);
    pos += 4;
  }
  need(b, pos, 7, P, 'header');
  const length = u16le(b, pos + 5);
  pos += 7;
  const minimum = response ? 2 : 6;
  if (length < minimum || length > MAX_DATA_LENGTH)
    throw new DecodeError(P, pos - 2, 'data_length', `length ${length}`);
  need(b, pos, length, P, 'data');
  const end = pos + length;
  const message: MelsecFrame = response
    ? {
        response,
        serial,
        command: null,
        subcommand: null,
        endCode: u16le(b, pos),
        data: b.subarray(pos + 2, end),
      }
    : {
        response,
        serial,
        command: u16le(b, pos + 2),
        subcommand: u16le(b, pos + 4),
        endCode: null,
        data: b.subarray(pos + 6, end),
      };
  return { message, next: end };
}

/**
 * The CPU model of a Read Type Name response. The response does not name its command (that is in the
 * request, in the other direction), so it is taken only from a normal completion of exactly that
 * response's shape: 16 printable characters, space padded, then the 2-byte model code.
 */
export function cpuModel(frame: MelsecFrame): string | null {
  if (!frame.response || frame.endCode !== 0 || frame.data.length !== TYPE_NAME_RESPONSE_LENGTH) return null;
  const name = fixedText(frame.data, 0, 16);
  if (!isPrintable(name, 2) || !/^[A-Z0-9]/.test(latin1(name))) return null;
  return latin1(name);
}

export const melsecDecoder: AppDecoder<MelsecPdu> = {
  id: 'melsec',
  transports: ['tcp', 'udp'],
  ports: [...MELSEC_PORTS],
  // The subheader's first byte (its second is zero).
  firstBytes: Object.values(SUBHEADER).map((h) => h >> 8),
  sniff(bytes: Uint8Array, ctx: AppContext): boolean {
    if (bytes.length < 11 || bytes[1] !== 0) return false;
    const h = bytes[0];
    const is4e = h === 0x54 || h === 0xd4;
    if (!is4e && h !== 0x50 && h !== 0xd0) return false;
    if (is4e && (bytes.length < 15 || bytes[4] !== 0 || bytes[5] !== 0)) return false;
    const header = is4e ? 13 : 9;
    const length = u16le(bytes, header - 2);
    if (length < (h === 0x50 || h === 0x54 ? 6 : 2) || length > MAX_DATA_LENGTH) return false;
    // A datagram is exactly one frame; a TCP direction starts with one.
    return ctx.transport === 'udp' ? header + length === bytes.length : true;
  },
  decode(bytes: Uint8Array): MelsecPdu {
    return readRun(bytes, MELSEC_MAX_FRAMES, (offset) => readFrame(bytes, offset));
  },
  observe(pdu: MelsecPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    for (const f of pdu.messages) {
      out.role('src', P, f.response ? 'server' : 'client');
      const model = cpuModel(f);
      if (model) out.observe('src', 'melsec.cpu_model', model);
    }
  },
};
