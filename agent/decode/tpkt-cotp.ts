// TPKT (RFC 1006 §6) and COTP (ISO 8073 / X.224 §13) framing for ISO-on-TCP protocols (S7comm, port 102).
import { DecodeError, need } from './errors.js';
import { u16be } from './ot-bytes.js';

/** COTP TPDU codes (X.224 §13.1, high nibble of the second header byte; CDT bits masked off). */
export const COTP = {
  CR: 0xe0,
  CC: 0xd0,
  DR: 0x80,
  DC: 0xc0,
  DT: 0xf0,
  ED: 0x10,
  AK: 0x60,
  EA: 0x20,
  RJ: 0x50,
  ER: 0x70,
} as const;

const KNOWN_TPDUS: ReadonlySet<number> = new Set(Object.values(COTP));

export interface CotpTpdu {
  /** Offset of the TPKT header in the buffer. */
  offset: number;
  /** TPDU code, one of COTP. */
  type: number;
  /** DT: the end-of-TSDU flag (the last TPDU of a user message). */
  eot: boolean;
  /** CR/CC: calling and called TSAP parameters (0xc1 / 0xc2), as views, when present. */
  srcTsap: Uint8Array | null;
  dstTsap: Uint8Array | null;
  /** The user data after the COTP header (DT: the session payload). */
  payload: Uint8Array;
}

/**
 * One TPKT packet at `offset`: version 3, reserved, length (2, the whole packet, header included),
 * then a COTP TPDU: length indicator (header bytes after itself), TPDU code, fixed part, parameters.
 */
export function readTpkt(
  bytes: Uint8Array,
  offset: number,
  protocol: string,
): { message: CotpTpdu; next: number } {
  need(bytes, offset, 4, protocol, 'tpkt.header');
  if (bytes[offset] !== 3) {
    throw new DecodeError(protocol, offset, 'tpkt.version', `version ${bytes[offset]} is not 3`);
  }
  const length = u16be(bytes, offset + 2);
  // 7 = TPKT header + the smallest COTP header (DT: LI, code, TPDU-NR).
  if (length < 7) throw new DecodeError(protocol, offset + 2, 'tpkt.length', `${length} is below 7`);
  need(bytes, offset, length, protocol, 'tpkt.packet');
  const end = offset + length;
  const li = bytes[offset + 4]!;
  const cotpEnd = offset + 5 + li;
  if (li < 2 || cotpEnd > end) {
    throw new DecodeError(protocol, offset + 4, 'cotp.length', `length indicator ${li} does not fit`);
  }
  const code = bytes[offset + 5]!;
  // CR, CC, AK and RJ carry a credit (CDT) in the low nibble; the others have zeros there.
  const type = code & 0xf0;
  if (!KNOWN_TPDUS.has(type)) {
    throw new DecodeError(protocol, offset + 5, 'cotp.type', `TPDU code 0x${code.toString(16)}`);
  }
  let srcTsap: Uint8Array | null = null;
  let dstTsap: Uint8Array | null = null;
  if (type === COTP.CR || type === COTP.CC) {
    // Fixed part: DST-REF (2), SRC-REF (2), class/option (1); then parameters code, length, value.
    let pos = offset + 11;
    if (pos > cotpEnd) throw new DecodeError(protocol, offset + 4, 'cotp.length', 'CR/CC header too short');
    while (pos < cotpEnd) {
      if (pos + 2 > cotpEnd) throw new DecodeError(protocol, pos, 'cotp.parameter', 'cut parameter header');
      const plen = bytes[pos + 1]!;
      if (pos + 2 + plen > cotpEnd) {
        throw new DecodeError(
          protocol,
          pos + 1,
          'cotp.parameter',
          `parameter of ${plen} bytes overruns the header`,
        );
      }
      const value = bytes.subarray(pos + 2, pos + 2 + plen);
      if (bytes[pos] === 0xc1) srcTsap = value;
      else if (bytes[pos] === 0xc2) dstTsap = value;
      pos += 2 + plen;
    }
  }
  const eot = type === COTP.DT && li >= 2 ? (bytes[offset + 6]! & 0x80) !== 0 : false;
  return {
    message: { offset, type, eot, srcTsap, dstTsap, payload: bytes.subarray(cotpEnd, end) },
    next: end,
  };
}
