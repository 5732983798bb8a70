// S7comm and S7comm-plus over TPKT/COTP (port 102): SZL module and component identification, S7-plus presence.
import { DecodeError, need } from './errors.js';
import { OnceEmitter, readRun, reportStop, serverSide, u16be } from './ot-bytes.js';
import {
  FUNCTION_GROUP_CPU,
  RETURN_SUCCESS,
  ROSCTR,
  S7_PLUS_PROTOCOL_ID,
  S7_PLUS_VERSIONS,
  S7_PROTOCOL_ID,
  SUBFUNCTION_READ_SZL,
  USERDATA_METHOD,
} from './s7comm.codes.js';
import { observeSzl, type SzlFragment } from './s7comm-szl.js';
import { COTP, type CotpTpdu, readTpkt } from './tpkt-cotp.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 's7comm';
/** TPKT packets read from one buffer (the smallest is 7 bytes). */
export const S7_MAX_TPDUS = 600;
/** Largest SZL record and record count accepted; real lists have records of ≤ 300 bytes. */
export const S7_MAX_SZL_RECORD = 1024;
export const S7_MAX_SZL_BYTES = 65_535;

export interface S7Message {
  rosctr: number;
  pduRef: number;
  /** Userdata CPU-function "read SZL" data, when this message is one. */
  szl: SzlFragment | null;
}

export interface S7Pdu {
  messages: S7Message[];
  /** S7comm-plus protocol version bytes seen, in order. */
  plusVersions: number[];
  /** COTP connection requests/confirms seen (CR/CC). */
  connects: number;
  /** DT TPDUs without end-of-TSDU: a segmented S7 PDU, not reassembled. */
  segmented: number;
  stop: DecodeError | null;
}

type Item = { s7: S7Message } | { plus: number } | { cotp: CotpTpdu } | { other: boolean };

/**
 * S7comm header: protocol id 0x32, ROSCTR, redundancy id (2), PDU reference (2), parameter length (2),
 * data length (2) and, for Ack/Ack-Data, error class and code (1 each).
 */
function readS7(p: Uint8Array, base: number, pending: Map<number, number>): S7Message {
  need(p, 0, 10, P, 's7.header');
  const rosctr = p[1]!;
  if (
    rosctr !== ROSCTR.JOB &&
    rosctr !== ROSCTR.ACK &&
    rosctr !== ROSCTR.ACK_DATA &&
    rosctr !== ROSCTR.USERDATA
  ) {
    throw new DecodeError(P, base + 1, 's7.rosctr', `message type ${rosctr}`);
  }
  const headerLength = rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA ? 12 : 10;
  need(p, 0, headerLength, P, 's7.header');
  const paramLength = u16be(p, 6);
  const dataLength = u16be(p, 8);
  if (headerLength + paramLength + dataLength > p.length) {
    throw new DecodeError(
      P,
      base + 6,
      's7.length',
      `parameter ${paramLength} + data ${dataLength} bytes exceed the ${p.length - headerLength} in the TPDU`,
    );
  }
  const param = p.subarray(headerLength, headerLength + paramLength);
  const data = p.subarray(headerLength + paramLength, headerLength + paramLength + dataLength);
  const szl = rosctr === ROSCTR.USERDATA ? readSzl(param, data, base + headerLength, pending) : null;
  return { rosctr, pduRef: u16be(p, 4), szl };
}

/**
 * Userdata parameter: head 00 01 12, length (4 or 8), method, type/function group, subfunction, sequence
 * and, in 8-byte form, data unit reference, last-data-unit flag (0 = last) and error code. The data item:
 * return code, transport size, length (2), then for the first fragment of a read-SZL response the SZL
 * header — id, index, record length, record count (2 each) — and the records.
 */
function readSzl(
  param: Uint8Array,
  data: Uint8Array,
  base: number,
  pending: Map<number, number>,
): SzlFragment | null {
  if (param.length < 8 || param[0] !== 0 || param[1] !== 1 || param[2] !== 0x12) return null;
  const group = param[5]! & 0x0f;
  if (group !== FUNCTION_GROUP_CPU || param[6] !== SUBFUNCTION_READ_SZL || data.length < 4) return null;
  const response = param[4] === USERDATA_METHOD.RESPONSE;
  const long = param[3]! >= 8 && param.length >= 12;
  const dataUnitRef = long ? param[8]! : 0;
  const last = long ? param[9] === 0 : true;
  const dataBase = base + param.length;
  const length = u16be(data, 2);
  if (4 + length > data.length) {
    throw new DecodeError(P, dataBase + 2, 'szl.length', `${length} bytes overrun the data part`);
  }
  const returnCode = data[0]!;
  const body = data.subarray(4, 4 + length);
  const fragment = { response, sequence: param[7]!, dataUnitRef, last, returnCode, header: null, data: body };
  if (!response || returnCode !== RETURN_SUCCESS) return fragment;
  // A follow-up fragment repeats the first fragment's data unit reference and sequence number.
  if (pending.get(dataUnitRef) === fragment.sequence) {
    if (last) pending.delete(dataUnitRef);
    return fragment;
  }
  if (body.length < 8) throw new DecodeError(P, dataBase + 4, 'szl.header', `${body.length} bytes`);
  const header = {
    id: u16be(body, 0),
    index: u16be(body, 2),
    recordLength: u16be(body, 4),
    count: u16be(body, 6),
  };
  if (header.recordLength > S7_MAX_SZL_RECORD) {
    throw new DecodeError(P, dataBase + 8, 'szl.record_length', `${header.recordLength} bytes`);
  }
  const records = body.subarray(8);
  // SZL-ID W#16#0Fxx asks for the list header only: the count is the list's size, no records follow.
  const total = (header.id & 0x0f00) === 0x0f00 ? 0 : header.recordLength * header.count;
  // A list cut into several userdata fragments continues in the next response with the same reference.
  if (total > S7_MAX_SZL_BYTES || (last && total > records.length)) {
    throw new DecodeError(
      P,
      dataBase + 10,
      'szl.count',
      `${header.count} records of ${header.recordLength} bytes exceed the ${records.length} present`,
    );
  }
  if (!last) pending.set(dataUnitRef, fragment.sequence);
  return { ...fragment, header, data: records };
}

function readItem(
  bytes: Uint8Array,
  offset: number,
  pending: Map<number, number>,
): { message: Item; next: number } {
  const { message: tpdu, next } = readTpkt(bytes, offset, P);
  if (tpdu.type !== COTP.DT) return { message: { cotp: tpdu }, next };
  // A DT without end-of-TSDU is part of a segmented PDU; S7 PDUs fit one TPDU, so it is only counted
  // (STEP 7 also sends empty non-EOT DTs between requests: those are nothing).
  if (!tpdu.eot) return { message: tpdu.payload.length ? { cotp: tpdu } : { other: false }, next };
  const p = tpdu.payload;
  const base = next - p.length;
  if (p[0] === S7_PLUS_PROTOCOL_ID) {
    need(p, 0, 2, P, 's7plus.version');
    return { message: { plus: p[1]! }, next };
  }
  if (p[0] === S7_PROTOCOL_ID) return { message: { s7: readS7(p, base, pending) }, next };
  return { message: { other: true }, next };
}

export const s7commDecoder: AppDecoder<S7Pdu> = {
  id: 's7comm',
  transports: ['tcp'],
  ports: [102],
  firstBytes: [3],
  sniff(bytes: Uint8Array): boolean {
    if (bytes.length < 7 || bytes[0] !== 3 || bytes[1] !== 0) return false;
    const length = (bytes[2]! << 8) | bytes[3]!;
    const code = bytes[5]! & 0xf0;
    return length >= 7 && bytes[4]! >= 2 && (code === COTP.CR || code === COTP.CC || code === COTP.DT);
  },
  decode(bytes: Uint8Array): S7Pdu {
    const pending = new Map<number, number>();
    const run = readRun(bytes, S7_MAX_TPDUS, (offset) => readItem(bytes, offset, pending));
    const pdu: S7Pdu = { messages: [], plusVersions: [], connects: 0, segmented: 0, stop: run.stop };
    let other = 0;
    for (const item of run.messages) {
      if ('s7' in item) pdu.messages.push(item.s7);
      else if ('plus' in item) pdu.plusVersions.push(item.plus);
      else if ('other' in item) other += item.other ? 1 : 0;
      else if (item.cotp.type === COTP.CR || item.cotp.type === COTP.CC) pdu.connects++;
      else if (item.cotp.type === COTP.DT) pdu.segmented++;
    }
    // ISO-on-TCP also carries MMS and other session protocols: only S7 is this decoder's.
    if (other > 0 && pdu.messages.length === 0 && pdu.plusVersions.length === 0) {
      throw new DecodeError(
        P,
        0,
        's7.protocol_id',
        'COTP data is neither S7comm (0x32) nor S7comm-plus (0x72)',
      );
    }
    return pdu;
  },
  observe(pdu: S7Pdu, ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    if (pdu.segmented > 0) emitter.anomaly('s7comm.segmented_tpdu');
    const answers = pdu.messages.some(
      (m) => m.rosctr === ROSCTR.ACK_DATA || m.rosctr === ROSCTR.ACK || m.szl?.response === true,
    );
    const server = serverSide(ctx, [102]) ?? (answers ? 'src' : null);
    if (server) out.role('src', P, server === 'src' ? 'server' : 'client');
    for (const version of pdu.plusVersions) {
      out.observe(
        'src',
        's7.plus',
        S7_PLUS_VERSIONS[version] ?? `0x${version.toString(16).padStart(2, '0')}`,
      );
    }
    // Identity comes only from responses: the PLC's own answer to a read-SZL request.
    observeSzl(
      pdu.messages.flatMap((m) => (m.szl?.response ? [m.szl] : [])),
      out,
    );
  },
};
