// OPC UA binary (TCP 4840): Hello endpoint URL and, on SecurityPolicy#None channels, discovery answers.
import { DecodeError, need, TruncatedError } from './errors.js';
import { firstChars } from './first-bytes.js';
import {
  APPLICATION_TYPE,
  CHUNK_INTERMEDIATE,
  CHUNK_TYPES,
  MESSAGE_TYPES,
  OPCUA_MAX_MESSAGE,
  POLICY_NONE,
} from './opcua.codes.js';
import { UaReader } from './opcua-binary.js';
import { readService, type UaApplication, type UaService } from './opcua-services.js';
import { type MessageRun, OnceEmitter, readRun, reportStop, serverSide, u32le, utf8 } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'opcua';
/** Messages read from one buffer (the smallest, an ACK, is 28 bytes). */
export const OPCUA_MAX_MESSAGES = 256;
const NONE = new TextEncoder().encode(POLICY_NONE);

export interface UaMessage {
  type: string;
  chunk: number;
  /** HEL: the endpoint URL the client connects to. */
  endpointUrl: Uint8Array | null;
  /** OPN: the channel's security policy URI. */
  policy: Uint8Array | null;
  /** MSG on a SecurityPolicy#None channel: the service and what its body said. */
  service: UaService | null;
  /** The bytes ended inside this message: fields after the cut are missing. */
  cut: boolean;
}

export type OpcuaPdu = MessageRun<UaMessage>;

interface ChannelState {
  /** True after an OPN with SecurityPolicy#None in these bytes; MSG bodies are read only then. */
  plain: boolean;
  /** Request ids of messages whose intermediate chunks ('C') were seen: their later chunks continue them. */
  continuing: Set<number>;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Message header (OPC 10000-6 §7.1.2): MessageType (3 ASCII), ChunkType ('F', 'C', 'A'), MessageSize
 * (UInt32, the whole message). HEL (§7.1.2.3): five UInt32 limits and the EndpointUrl. OPN/MSG (§6.7.2):
 * SecureChannelId, then the asymmetric (OPN: policy URI, certificate, thumbprint) or symmetric (MSG:
 * token id) security header, the sequence header (sequence number, request id) and the body.
 */
function readMessage(
  b: Uint8Array,
  offset: number,
  state: ChannelState,
): { message: UaMessage; next: number } {
  need(b, offset, 8, P, 'header');
  const type = String.fromCharCode(b[offset]!, b[offset + 1]!, b[offset + 2]!);
  if (!MESSAGE_TYPES.has(type)) throw new DecodeError(P, offset, 'header.type', 'not an OPC UA message type');
  const chunk = b[offset + 3]!;
  if (!CHUNK_TYPES.has(chunk))
    throw new DecodeError(P, offset + 3, 'header.chunk', `chunk type 0x${chunk.toString(16)}`);
  const size = u32le(b, offset + 4);
  if (size < 8 || size > OPCUA_MAX_MESSAGE)
    throw new DecodeError(P, offset + 4, 'header.size', `size ${size}`);
  const end = offset + size;
  const cut = end > b.length;
  // Only a message after a complete one may be read in part (types.ts: the first must be whole).
  if (cut && offset === 0) need(b, offset, size, P, 'message');
  const message: UaMessage = { type, chunk, endpointUrl: null, policy: null, service: null, cut };
  // An intermediate chunk ends inside its message by design: read what it holds.
  const r = new UaReader(b, offset + 8, Math.min(end, b.length), cut || chunk === CHUNK_INTERMEDIATE);
  try {
    readBody(r, message, state);
  } catch (err) {
    if (!(err instanceof TruncatedError) || !(cut || chunk === CHUNK_INTERMEDIATE)) throw err;
  }
  return { message, next: Math.min(end, b.length) };
}

function readBody(r: UaReader, message: UaMessage, state: ChannelState): void {
  if (message.type === 'HEL') {
    r.skip(20, 'hello.limits');
    message.endpointUrl = r.bytes('hello.endpoint_url');
  } else if (message.type === 'OPN') {
    r.skip(4, 'opn.channel');
    message.policy = r.bytes('opn.policy');
    state.plain = message.policy !== null && equalBytes(message.policy, NONE);
  } else if (message.type === 'MSG' && state.plain) {
    r.skip(12, 'msg.security_header');
    const requestId = r.u32('msg.request_id');
    if (state.continuing.has(requestId)) {
      if (message.chunk !== CHUNK_INTERMEDIATE) state.continuing.delete(requestId);
      return;
    }
    if (message.chunk === CHUNK_INTERMEDIATE) state.continuing.add(requestId);
    const typeId = r.nodeId('msg.type');
    if (typeId === null) return;
    message.service = { typeId, own: [], found: [], endpointUrls: [] };
    readService(r, typeId, message.service);
  }
}

/** The FindServers entry describing the responder: the only one, or the only discovery server listed. */
function foundSelf(found: UaApplication[]): UaApplication | null {
  if (found.length === 1) return found[0]!;
  const discovery = found.filter((a) => a.applicationType === APPLICATION_TYPE.DISCOVERY_SERVER);
  return discovery.length === 1 ? discovery[0]! : null;
}

function observeApplication(app: UaApplication, out: OnceEmitter): void {
  if (app.applicationUri) out.observe('src', 'opcua.application_uri', utf8(app.applicationUri));
  if (app.productUri) out.observe('src', 'opcua.product_uri', utf8(app.productUri));
  if (app.applicationName) out.observe('src', 'opcua.application_name', utf8(app.applicationName));
}

export const opcuaDecoder: AppDecoder<OpcuaPdu> = {
  id: 'opcua',
  transports: ['tcp'],
  ports: [4840],
  firstBytes: firstChars(MESSAGE_TYPES),
  sniff(bytes: Uint8Array): boolean {
    if (bytes.length < 8) return false;
    const type = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!);
    return MESSAGE_TYPES.has(type) && CHUNK_TYPES.has(bytes[3]!) && u32le(bytes, 4) >= 8;
  },
  decode(bytes: Uint8Array): OpcuaPdu {
    const state: ChannelState = { plain: false, continuing: new Set() };
    return readRun(bytes, OPCUA_MAX_MESSAGES, (offset) => readMessage(bytes, offset, state));
  },
  observe(pdu: OpcuaPdu, ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    let role: 'server' | 'client' | null = null;
    for (const m of pdu.messages) {
      if (m.type === 'HEL') role = 'client';
      if (m.type === 'ACK' || m.type === 'ERR') role = 'server';
      if (m.endpointUrl) out.observe('dst', 'opcua.endpoint_url', utf8(m.endpointUrl));
      if (!m.service) continue;
      for (const app of m.service.own) observeApplication(app, out);
      for (const url of m.service.endpointUrls) out.observe('src', 'opcua.endpoint_url', utf8(url));
      const self = foundSelf(m.service.found);
      if (self) observeApplication(self, out);
    }
    const side = serverSide(ctx, [4840]);
    role ??= side === null ? null : side === 'src' ? 'server' : 'client';
    if (role && pdu.messages.length) out.role('src', P, role);
  },
};
