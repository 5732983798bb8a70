// HART-IP (TCP/UDP 5094): message types and which side serves the HART-IP session.
import { DecodeError, need } from './errors.js';
import { HARTIP_PORT, HARTIP_VERSIONS, MESSAGE_IDS, MESSAGE_TYPES, TYPE_REQUEST } from './hartip.codes.js';
import { type MessageRun, OnceEmitter, readRun, reportStop, u16be } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'hartip';
/** Messages read from one buffer (the smallest, a keep-alive, is 8 bytes). */
export const HARTIP_MAX_MESSAGES = 512;

export interface HartIpMessage {
  version: number;
  messageType: number;
  messageId: number;
  status: number;
  sequence: number;
  /** The body after the 8-byte header (a HART PDU for pass-through messages). */
  body: Uint8Array;
}

export type HartIpPdu = MessageRun<HartIpMessage>;

/**
 * HART-IP header (HCF_SPEC-085): version, message type, message id, status, sequence number (2) and byte
 * count (2, the whole message including these 8 bytes), then the body.
 */
function readMessage(b: Uint8Array, offset: number): { message: HartIpMessage; next: number } {
  need(b, offset, 8, P, 'header');
  const version = b[offset]!;
  if (!HARTIP_VERSIONS.has(version)) throw new DecodeError(P, offset, 'header.version', `version ${version}`);
  const messageType = b[offset + 1]!;
  if (!(messageType in MESSAGE_TYPES))
    throw new DecodeError(P, offset + 1, 'header.type', `type ${messageType}`);
  const messageId = b[offset + 2]!;
  if (!(messageId in MESSAGE_IDS))
    throw new DecodeError(P, offset + 2, 'header.id', `message id ${messageId}`);
  const count = u16be(b, offset + 6);
  if (count < 8) throw new DecodeError(P, offset + 6, 'header.byte_count', `byte count ${count}`);
  need(b, offset, count, P, 'body');
  return {
    message: {
      version,
      messageType,
      messageId,
      status: b[offset + 3]!,
      sequence: u16be(b, offset + 4),
      body: b.subarray(offset + 8, offset + count),
    },
    next: offset + count,
  };
}

export const hartipDecoder: AppDecoder<HartIpPdu> = {
  id: 'hartip',
  transports: ['tcp', 'udp'],
  ports: [HARTIP_PORT],
  firstBytes: [...HARTIP_VERSIONS],
  sniff(bytes: Uint8Array): boolean {
    return (
      bytes.length >= 8 &&
      HARTIP_VERSIONS.has(bytes[0]!) &&
      bytes[1]! in MESSAGE_TYPES &&
      bytes[2]! in MESSAGE_IDS &&
      u16be(bytes, 6) >= 8
    );
  },
  decode(bytes: Uint8Array): HartIpPdu {
    return readRun(bytes, HARTIP_MAX_MESSAGES, (offset) => readMessage(bytes, offset));
  },
  observe(pdu: HartIpPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    for (const m of pdu.messages) {
      // Only the server answers, publishes, reports errors or NAKs; the client sends requests.
      if (m.messageType === TYPE_REQUEST) {
        out.role('src', P, 'client');
        continue;
      }
      out.role('src', P, 'server');
      out.observe('src', 'hartip.present', `${MESSAGE_TYPES[m.messageType]}:${MESSAGE_IDS[m.messageId]}`);
    }
  },
};
