// DNP3 (IEEE 1815, TCP/UDP 20000): link-layer frames — addresses and master/outstation direction.
import { DecodeError, need } from './errors.js';
import { type MessageRun, OnceEmitter, readRun, reportStop, u16le } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'dnp3';
/** Frames read from one buffer; the smallest frame is 10 bytes. */
export const DNP3_MAX_FRAMES = 512;
/** Addresses 0xFFF0–0xFFFF are reserved or broadcast (IEEE 1815-2012 §9.2.5.3), never a device's own. */
const FIRST_RESERVED = 0xfff0;

export interface Dnp3Frame {
  /** DIR: set on frames from the master. */
  fromMaster: boolean;
  /** PRM: set on frames from the primary (initiating) station. */
  primary: boolean;
  functionCode: number;
  destination: number;
  source: number;
  /** False when a user data block's CRC does not match. */
  dataCrcOk: boolean;
}

export type Dnp3Pdu = MessageRun<Dnp3Frame>;

/** DNP3 CRC (IEEE 1815-2012 §9.2.4.2.3): polynomial 0x3D65 reflected (0xA6BC), initial 0, complemented. */
export function dnp3Crc(b: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= b[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa6bc : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/**
 * Link frame (IEEE 1815-2012 §9.2.4): start 0x05 0x64, length (control + addresses + user data: 5..255),
 * control, destination and source (little-endian), header CRC; then the user data in blocks of 16
 * bytes, each followed by its CRC (the last block shorter).
 */
function readFrame(b: Uint8Array, offset: number): { message: Dnp3Frame; next: number } {
  need(b, offset, 2, P, 'link.start');
  if (b[offset] !== 0x05 || b[offset + 1] !== 0x64) {
    throw new DecodeError(
      P,
      offset,
      'link.start',
      `start bytes ${b[offset]!.toString(16)} ${b[offset + 1]!.toString(16)}`,
    );
  }
  need(b, offset, 10, P, 'link.header');
  const length = b[offset + 2]!;
  if (length < 5) throw new DecodeError(P, offset + 2, 'link.length', `length ${length} below 5`);
  const crc = u16le(b, offset + 8);
  if (dnp3Crc(b, offset, offset + 8) !== crc)
    throw new DecodeError(P, offset + 8, 'link.crc', 'header CRC mismatch');
  const userData = length - 5;
  const total = 10 + userData + 2 * Math.ceil(userData / 16);
  need(b, offset, total, P, 'link.frame');
  let dataCrcOk = true;
  for (let pos = offset + 10, left = userData; left > 0; ) {
    const block = Math.min(16, left);
    if (dnp3Crc(b, pos, pos + block) !== u16le(b, pos + block)) dataCrcOk = false;
    pos += block + 2;
    left -= block;
  }
  const control = b[offset + 3]!;
  return {
    message: {
      fromMaster: (control & 0x80) !== 0,
      primary: (control & 0x40) !== 0,
      functionCode: control & 0x0f,
      destination: u16le(b, offset + 4),
      source: u16le(b, offset + 6),
      dataCrcOk,
    },
    next: offset + total,
  };
}

export const dnp3Decoder: AppDecoder<Dnp3Pdu> = {
  id: 'dnp3',
  transports: ['tcp', 'udp'],
  ports: [20000],
  firstBytes: [0x05],
  sniff(bytes: Uint8Array): boolean {
    return bytes.length >= 10 && bytes[0] === 0x05 && bytes[1] === 0x64 && bytes[2]! >= 5;
  },
  decode(bytes: Uint8Array): Dnp3Pdu {
    return readRun(bytes, DNP3_MAX_FRAMES, (offset) => readFrame(bytes, offset));
  },
  observe(pdu: Dnp3Pdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    for (const f of pdu.messages) {
      // DIR names the sender: set by the master, clear on everything an outstation sends.
      out.role('src', P, f.fromMaster ? 'client' : 'server');
      if (f.source < FIRST_RESERVED) out.observe('src', 'dnp3.address', f.source);
      else out.anomaly('dnp3.reserved_source');
      if (f.destination < FIRST_RESERVED) out.observe('dst', 'dnp3.address', f.destination);
      if (!f.dataCrcOk) out.anomaly('dnp3.data_crc');
    }
  },
};
