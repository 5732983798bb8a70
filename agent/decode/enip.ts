// EtherNet/IP (TCP/UDP 44818, UDP 2222 I/O): ListIdentity replies and CIP identity Get_Attributes_All replies.
import { type CipIdentity, identityShape, observeIdentity, readIdentity } from './cip-identity.js';
import {
  CIP_SERVICE,
  CMD,
  CPF,
  ENIP_COMMANDS,
  ENIP_IO_PORT,
  ENIP_PORT,
  ENIP_STATUSES,
} from './enip.codes.js';
import { DecodeError, need } from './errors.js';
import {
  hex,
  type MessageRun,
  OnceEmitter,
  readRun,
  reportStop,
  serverSide,
  u16le,
  u32le,
} from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'enip';
/** Encapsulation messages read from one buffer (the smallest is the 24-byte header). */
export const ENIP_MAX_MESSAGES = 256;
/** CPF items read from one message; real messages carry 2 (ListIdentity replies: one per identity). */
export const ENIP_MAX_ITEMS = 16;

export interface CipMessage {
  service: number;
  reply: boolean;
  generalStatus: number;
  /** Reply data (after status) or request path and data. */
  data: Uint8Array;
}

export interface EnipMessage {
  command: number;
  status: number;
  identities: CipIdentity[];
  cip: CipMessage[];
}

export interface EnipPdu extends MessageRun<EnipMessage> {
  /** UDP 2222 class 0/1 I/O: the connection id of the sequenced-address item, else null. */
  ioConnection: number | null;
}

interface Item {
  type: number;
  data: Uint8Array;
  base: number;
}

/** Common Packet Format (Vol. 2 §2-6): item count, then items of type id (2), length (2), data. */
function readItems(b: Uint8Array, start: number, end: number): Item[] {
  if (start + 2 > end) throw new DecodeError(P, start, 'cpf.count', 'no item count');
  const count = u16le(b, start);
  if (count > ENIP_MAX_ITEMS) throw new DecodeError(P, start, 'cpf.count', `${count} items`);
  const items: Item[] = [];
  let pos = start + 2;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) throw new DecodeError(P, pos, 'cpf.count', `${count} items but only ${i} fit`);
    const length = u16le(b, pos + 2);
    if (pos + 4 + length > end) {
      throw new DecodeError(P, pos + 2, 'cpf.item_length', `item of ${length} bytes overruns the message`);
    }
    items.push({ type: u16le(b, pos), data: b.subarray(pos + 4, pos + 4 + length), base: pos + 4 });
    pos += 4 + length;
  }
  return items;
}

/**
 * A CIP message router request or reply (Vol. 1 §2-4): service; request: path size (words) and path;
 * reply: reserved, general status, additional status size (words) and status, then the reply data.
 */
function readCip(d: Uint8Array, base: number): CipMessage {
  if (d.length < 2) throw new DecodeError(P, base, 'cip.header', `${d.length} bytes`);
  const service = d[0]!;
  const reply = (service & CIP_SERVICE.REPLY) !== 0;
  if (!reply) {
    const pathEnd = 2 + d[1]! * 2;
    if (pathEnd > d.length)
      throw new DecodeError(P, base + 1, 'cip.path_size', `${d[1]} words overrun the item`);
    return { service, reply, generalStatus: 0, data: d.subarray(2) };
  }
  if (d.length < 4) throw new DecodeError(P, base, 'cip.header', `reply of ${d.length} bytes`);
  const dataStart = 4 + d[3]! * 2;
  if (dataStart > d.length) {
    throw new DecodeError(P, base + 3, 'cip.additional_status', `${d[3]} words overrun the item`);
  }
  return { service: service & 0x7f, reply, generalStatus: d[2]!, data: d.subarray(dataStart) };
}

/**
 * Encapsulation header (Vol. 2 §2-3.1): command, length (of the data after the header), session handle,
 * status, sender context (8), options — 24 bytes, little-endian.
 */
function readMessage(b: Uint8Array, offset: number): { message: EnipMessage; next: number } {
  need(b, offset, 24, P, 'encap.header');
  const command = u16le(b, offset);
  if (!(command in ENIP_COMMANDS))
    throw new DecodeError(P, offset, 'encap.command', `command 0x${command.toString(16)}`);
  const length = u16le(b, offset + 2);
  need(b, offset + 24, length, P, 'encap.data');
  const start = offset + 24;
  const end = start + length;
  const message: EnipMessage = { command, status: u32le(b, offset + 8), identities: [], cip: [] };
  if (message.status === 0 && length > 0) {
    if (command === CMD.LIST_IDENTITY) {
      for (const item of readItems(b, start, end)) {
        if (item.type !== CPF.LIST_IDENTITY) continue;
        // Identity item: encapsulation protocol version (2), socket address (16), identity attributes.
        if (item.data.length < 18) throw new DecodeError(P, item.base, 'cip.identity', 'item too short');
        message.identities.push(readIdentity(item.data.subarray(18), item.base + 18, P));
      }
    } else if (command === CMD.SEND_RR_DATA || command === CMD.SEND_UNIT_DATA) {
      // Interface handle (4) and timeout (2) precede the CPF items.
      for (const item of readItems(b, start + 6, end)) {
        if (item.type === CPF.UNCONNECTED_DATA) message.cip.push(readCip(item.data, item.base));
        // Connected data starts with a 2-byte sequence count (Vol. 2 §2-6.3.2).
        else if (item.type === CPF.CONNECTED_DATA && item.data.length >= 2) {
          message.cip.push(readCip(item.data.subarray(2), item.base + 2));
        }
      }
    }
  }
  return { message, next: end };
}

/** UDP 2222 I/O datagram: CPF items only, a sequenced address (connection id, sequence) and connected data. */
function readIo(b: Uint8Array): number | null {
  const items = readItems(b, 0, b.length);
  const address = items.find((i) => i.type === CPF.SEQUENCED_ADDRESS || i.type === CPF.CONNECTED_ADDRESS);
  if (!address || address.data.length < 4)
    throw new DecodeError(P, 0, 'cpf.address', 'no connection address item');
  return u32le(address.data, 0);
}

function isIo(ctx: AppContext): boolean {
  return ctx.transport === 'udp' && (ctx.src.port === ENIP_IO_PORT || ctx.dst.port === ENIP_IO_PORT);
}

/** IPv4 multicast (224.0.0.0/4): EtherNet/IP sends multicast only target → originator. */
function isMulticast(ip: string | null): boolean {
  if (!ip || ip.includes(':')) return false;
  const first = Number.parseInt(ip, 10);
  return first >= 224 && first <= 239;
}

export const enipDecoder: AppDecoder<EnipPdu> = {
  id: 'enip',
  transports: ['tcp', 'udp'],
  ports: [ENIP_PORT, ENIP_IO_PORT],
  // A command's low byte (its high byte is zero; NOP excluded), or an I/O sequence item count 1-4.
  firstBytes: [
    ...Object.keys(ENIP_COMMANDS)
      .map(Number)
      .filter((c) => c !== 0)
      .map((c) => c & 0xff),
    1,
    2,
    3,
    4,
  ],
  sniff(bytes: Uint8Array, ctx: AppContext): boolean {
    if (isIo(ctx)) return bytes.length >= 6 && u16le(bytes, 0) >= 1 && u16le(bytes, 0) <= 4;
    if (bytes.length < 24) return false;
    // A known command other than NOP (whose zeros match too much), a defined status, options zero
    // (Vol. 2 §2-3.1); a datagram is exactly one message.
    const command = u16le(bytes, 0);
    if (command === 0 || !(command in ENIP_COMMANDS) || !ENIP_STATUSES.has(u32le(bytes, 8))) return false;
    if (u32le(bytes, 20) !== 0) return false;
    return ctx.transport !== 'udp' || 24 + u16le(bytes, 2) === bytes.length;
  },
  decode(bytes: Uint8Array, ctx: AppContext): EnipPdu {
    if (isIo(ctx)) return { messages: [], stop: null, ioConnection: readIo(bytes) };
    // Fields copied one by one: V8 gave each spread copy of the run plus the added field a map of
    // its own (1,600 maps on the bench capture, and observe() then saw every one of them).
    const run = readRun(bytes, ENIP_MAX_MESSAGES, (offset) => readMessage(bytes, offset));
    return { messages: run.messages, stop: run.stop, ioConnection: null };
  },
  observe(pdu: EnipPdu, ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    if (pdu.ioConnection !== null) {
      out.observe('src', 'enip.io_connection', hex(pdu.ioConnection, 8));
      if (isMulticast(ctx.dst.ip)) out.role('src', P, 'server');
      return;
    }
    let answered = false;
    let asked = false;
    for (const m of pdu.messages) {
      for (const identity of m.identities) observeIdentity(identity, out);
      if (m.identities.length) answered = true;
      for (const cip of m.cip) {
        if (!cip.reply) {
          asked = true;
          continue;
        }
        answered = true;
        if (cip.service !== CIP_SERVICE.GET_ATTRIBUTES_ALL || cip.generalStatus !== 0) continue;
        const identity = identityShape(cip.data);
        if (identity) observeIdentity(identity, out);
      }
    }
    // CIP replies and identity items name the target; requests the originator. The connection says the rest.
    const server = answered ? 'src' : asked ? 'dst' : serverSide(ctx, [ENIP_PORT]);
    if (server) out.role('src', P, server === 'src' ? 'server' : 'client');
  },
};
