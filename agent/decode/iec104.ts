// IEC 60870-5-104 (TCP 2404): APCI frames, ASDU common address, controlling vs controlled station.
import { DecodeError, need } from './errors.js';
import {
  APCI_START,
  CA_GLOBAL,
  CA_UNUSED,
  CONTROLLING_CAUSES,
  isControlledCause,
  U_FUNCTION,
  U_FUNCTIONS,
} from './iec104.codes.js';
import { type MessageRun, OnceEmitter, readRun, reportStop, serverSide, u16le } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'iec104';
/** APDUs read from one buffer; the smallest is 6 bytes. */
export const IEC104_MAX_APDUS = 700;

export interface Iec104Apdu {
  format: 'I' | 'S' | 'U';
  /** U-format: the first control octet (STARTDT act 0x07, con 0x0b…); 0 otherwise. */
  uFunction: number;
  /** I-format ASDU header: type id, cause of transmission (6 bits), negative flag, common address. */
  typeId: number;
  cause: number;
  negative: boolean;
  commonAddress: number;
}

export type Iec104Pdu = MessageRun<Iec104Apdu>;

/**
 * APDU (104 §5.1): start 0x68, length of the rest (4..253), four control octets, then for I-format the
 * ASDU: type id, variable structure qualifier, cause of transmission (with T and P/N bits), originator
 * address, common address (2, little-endian) and information objects.
 */
function readApdu(b: Uint8Array, offset: number): { message: Iec104Apdu; next: number } {
  need(b, offset, 2, P, 'apci.header');
  if (b[offset] !== APCI_START)
    throw new DecodeError(P, offset, 'apci.start', `start byte 0x${b[offset]!.toString(16)}`);
  const length = b[offset + 1]!;
  if (length < 4 || length > 253) throw new DecodeError(P, offset + 1, 'apci.length', `length ${length}`);
  need(b, offset + 2, length, P, 'apci.apdu');
  const c1 = b[offset + 2]!;
  const next = offset + 2 + length;
  const apdu: Iec104Apdu = {
    format: 'I',
    uFunction: 0,
    typeId: 0,
    cause: 0,
    negative: false,
    commonAddress: 0,
  };
  if ((c1 & 0x03) === 0x03) {
    if (!U_FUNCTIONS.has(c1))
      throw new DecodeError(P, offset + 2, 'apci.u_function', `control 0x${c1.toString(16)}`);
    if (length !== 4) throw new DecodeError(P, offset + 1, 'apci.length', `U-format of length ${length}`);
    return { message: { ...apdu, format: 'U', uFunction: c1 }, next };
  }
  if ((c1 & 0x03) === 0x01) {
    if (length !== 4) throw new DecodeError(P, offset + 1, 'apci.length', `S-format of length ${length}`);
    return { message: { ...apdu, format: 'S' }, next };
  }
  if (length < 10) throw new DecodeError(P, offset + 1, 'asdu.length', `I-format of length ${length}`);
  const asdu = offset + 6;
  const typeId = b[asdu]!;
  if (typeId === 0) throw new DecodeError(P, asdu, 'asdu.type', 'type id 0 is not defined');
  const cot = b[asdu + 2]!;
  apdu.typeId = typeId;
  apdu.cause = cot & 0x3f;
  apdu.negative = (cot & 0x40) !== 0;
  apdu.commonAddress = u16le(b, asdu + 4);
  return { message: apdu, next };
}

/** Which station sent this APDU, by what only that station sends; null when either may (TESTFR, S-frames). */
function senderRole(a: Iec104Apdu): 'server' | 'client' | null {
  if (a.format === 'U') {
    if (a.uFunction === U_FUNCTION.STARTDT_ACT || a.uFunction === U_FUNCTION.STOPDT_ACT) return 'client';
    if (a.uFunction === U_FUNCTION.STARTDT_CON || a.uFunction === U_FUNCTION.STOPDT_CON) return 'server';
    return null;
  }
  if (a.format !== 'I') return null;
  if (CONTROLLING_CAUSES.has(a.cause)) return 'client';
  return isControlledCause(a.cause) ? 'server' : null;
}

export const iec104Decoder: AppDecoder<Iec104Pdu> = {
  id: 'iec104',
  transports: ['tcp'],
  ports: [2404],
  firstBytes: [APCI_START],
  sniff(bytes: Uint8Array): boolean {
    if (bytes.length < 6 || bytes[0] !== APCI_START || bytes[1]! < 4 || bytes[1]! > 253) return false;
    const c1 = bytes[2]!;
    return (c1 & 0x03) !== 0x03 || U_FUNCTIONS.has(c1);
  },
  decode(bytes: Uint8Array): Iec104Pdu {
    return readRun(bytes, IEC104_MAX_APDUS, (offset) => readApdu(bytes, offset));
  },
  observe(pdu: Iec104Pdu, ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    // The controlled station listens on 2404 and the controlling station connects (104 §9): the fallback
    // when an APDU itself does not say which station sent it.
    const side = serverSide(ctx, [2404]);
    const byConnection = side === null ? null : side === 'src' ? 'server' : 'client';
    for (const a of pdu.messages) {
      const role = senderRole(a) ?? byConnection;
      if (!role) continue;
      out.role('src', P, role);
      if (a.format !== 'I' || a.commonAddress === CA_GLOBAL || a.commonAddress === CA_UNUSED) continue;
      // The common address is the controlled station's, in both directions.
      out.observe(role === 'server' ? 'src' : 'dst', 'iec104.common_address', a.commonAddress);
    }
  },
};
