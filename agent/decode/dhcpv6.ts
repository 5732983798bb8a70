// DHCPv6 (RFC 8415) on UDP 546/547: a client's DUID (whose link-layer part is a MAC), vendor class and
// FQDN, through any depth of relays; and a server that proves itself by its DUID.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import {
  CLIENT_MESSAGES,
  DHCPV6_MSG,
  DHCPV6_OPTION,
  DUID_TYPE,
  HOP_COUNT_LIMIT,
  MAX_MESSAGE_TYPE,
  MESSAGE_HEADER_LENGTH,
  RELAY_HEADER_LENGTH,
  SERVER_MESSAGES,
} from './dhcpv6.codes.js';
import { plainName } from './dns-wire.js';
import { DecodeError, TruncatedError } from './errors.js';
import { type Problems, reportProblems } from './problems.js';
import type { AppDecoder } from './types.js';
import { hexOf, ipv6At, isUnicastMac, macAt, wireText } from './wire-values.js';

const CLIENT_PORT = 546;
const SERVER_PORT = 547;
/** Options kept from one message (each takes at least 4 bytes). */
export const MAX_DHCPV6_OPTIONS = 256;

export interface Dhcpv6Option {
  code: number;
  /** Offset of the value in the message that holds the option. */
  offset: number;
  value: Uint8Array;
}

export interface Dhcpv6Message {
  msgType: number;
  /** Relay messages only (RFC 8415 §9). */
  relay: { hopCount: number; linkAddress: string; peerAddress: string } | null;
  options: Dhcpv6Option[];
  /** The message inside a relay's Relay Message option, decoded. */
  inner: Dhcpv6Message | null;
}

export interface Dhcpv6Pdu {
  message: Dhcpv6Message;
  problems: Problems;
}

export const dhcpv6Decoder: AppDecoder<Dhcpv6Pdu> = {
  id: 'dhcpv6',
  transports: ['udp'],
  ports: [CLIENT_PORT, SERVER_PORT],

  sniff(bytes, ctx) {
    const ports = [ctx.src.port, ctx.dst.port];
    if (!ports.includes(CLIENT_PORT) && !ports.includes(SERVER_PORT)) return false;
    return bytes.length >= MESSAGE_HEADER_LENGTH && bytes[0]! >= 1 && bytes[0]! <= MAX_MESSAGE_TYPE;
  },

  decode(bytes) {
    const problems: Problems = [];
    return { message: readMessage(bytes, 0, 0, problems), problems };
  },

  observe(pdu, ctx, out) {
    reportProblems(pdu.problems, out);
    // Walk to the innermost message; the relay wrapping it directly may carry the client's MAC (RFC 6939).
    let message = pdu.message;
    let clientLinkLayer: Uint8Array | null = null;
    while (message.inner) {
      clientLinkLayer = option(message, DHCPV6_OPTION.CLIENT_LINKLAYER_ADDR) ?? null;
      message = message.inner;
    }
    const relayed = message !== pdu.message;
    if (CLIENT_MESSAGES.has(message.msgType)) {
      const mac = relayed ? clientMac(message, clientLinkLayer) : null;
      if (relayed && !mac) {
        out.anomaly('dhcpv6.unattributed');
        return;
      }
      const emit = (key: ObservationKey, value: string): void => {
        const text = cleanText(value);
        if (!text) return;
        if (mac) out.observeMac(mac, key, text);
        else out.observe('src', key, text);
      };
      observeClient(message, emit);
    } else if (SERVER_MESSAGES.has(message.msgType)) {
      // The sender is the server only when its DUID names the sender's MAC: a relay agent forwards
      // replies to clients from its own address (RFC 8415 §19.2).
      const serverId = option(message, DHCPV6_OPTION.SERVERID);
      if (serverId && ctx.src.mac && duidMac(serverId) === ctx.src.mac) {
        out.observe('src', 'dhcp.server', hexOf(serverId));
      }
    }
  },
};

function observeClient(message: Dhcpv6Message, emit: (key: ObservationKey, value: string) => void): void {
  const duid = option(message, DHCPV6_OPTION.CLIENTID);
  if (duid?.length) emit('dhcpv6.duid', hexOf(duid));
  // §21.16: enterprise-number, then vendor-class-data instances each with a 2-byte length.
  for (const o of message.options) {
    if (o.code !== DHCPV6_OPTION.VENDOR_CLASS || o.value.length < 4) continue;
    const v = o.value;
    const enterprise = ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
    const data: string[] = [];
    for (let p = 4; p + 2 <= v.length; ) {
      const n = (v[p]! << 8) | v[p + 1]!;
      if (p + 2 + n > v.length) break;
      data.push(wireText(v.subarray(p + 2, p + 2 + n)));
      p += 2 + n;
    }
    emit('dhcpv6.vendor_class', `${enterprise}:${data.join(',')}`);
  }
  // RFC 4704 §4.1: flags, then the (possibly partial) name in DNS wire format.
  const fqdn = option(message, DHCPV6_OPTION.CLIENT_FQDN);
  const name = fqdn && fqdn.length > 1 ? plainName(fqdn.subarray(1)) : null;
  if (name) emit('dhcpv6.fqdn', name);
}

/** The client's MAC behind a relay: RFC 6939 option 79 (Ethernet), else the DUID's link-layer address. */
function clientMac(message: Dhcpv6Message, linkLayer: Uint8Array | null): string | null {
  // Option 79: link-layer type (2, 1 = Ethernet) then the address.
  if (
    linkLayer &&
    linkLayer.length === 8 &&
    linkLayer[0] === 0 &&
    linkLayer[1] === 1 &&
    isUnicastMac(linkLayer, 2)
  ) {
    return macAt(linkLayer, 2);
  }
  const duid = option(message, DHCPV6_OPTION.CLIENTID);
  return duid ? duidMac(duid) : null;
}

/**
 * The MAC inside a DUID-LLT (type, hardware type, time, address) or DUID-LL (type, hardware type,
 * address) with hardware type 1, Ethernet (RFC 8415 §11.2, §11.4). It is the MAC of the interface the
 * DUID was made from, which a host keeps when it later uses another interface.
 */
export function duidMac(duid: Uint8Array): string | null {
  if (duid.length < 4 || duid[2] !== 0 || duid[3] !== 1 || duid[0] !== 0) return null;
  const at = duid[1] === DUID_TYPE.LLT ? 8 : duid[1] === DUID_TYPE.LL ? 4 : -1;
  if (at < 0 || duid.length !== at + 6 || !isUnicastMac(duid, at)) return null;
  return macAt(duid, at);
}

function option(message: Dhcpv6Message, code: number): Uint8Array | undefined {
  return message.options.find((o) => o.code === code)?.value;
}

/**
 * RFC 8415 §8 (client/server) or §9 (relay) message; relays recurse up to HOP_COUNT_LIMIT deep. `base`
 * is the offset of `bytes` in the datagram, so errors name datagram offsets.
 */
function readMessage(bytes: Uint8Array, base: number, depth: number, problems: Problems): Dhcpv6Message {
  check(bytes, 0, 1, base, 'msg_type');
  const msgType = bytes[0]!;
  const isRelay = msgType === DHCPV6_MSG.RELAY_FORW || msgType === DHCPV6_MSG.RELAY_REPL;
  const headerLength = isRelay ? RELAY_HEADER_LENGTH : MESSAGE_HEADER_LENGTH;
  check(bytes, 0, headerLength, base, isRelay ? 'relay.header' : 'header');
  const message: Dhcpv6Message = {
    msgType,
    relay: isRelay
      ? { hopCount: bytes[1]!, linkAddress: ipv6At(bytes, 2), peerAddress: ipv6At(bytes, 18) }
      : null,
    options: [],
    inner: null,
  };
  try {
    readOptions(bytes, headerLength, base, message.options);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    problems.push(err);
  }
  const relayed = isRelay ? message.options.find((o) => o.code === DHCPV6_OPTION.RELAY_MSG) : undefined;
  if (relayed) {
    if (depth >= HOP_COUNT_LIMIT) {
      problems.push(
        new DecodeError('dhcpv6', base, 'relay.depth', `relays nested deeper than ${HOP_COUNT_LIMIT}`),
      );
    } else {
      try {
        message.inner = readMessage(relayed.value, base + relayed.offset, depth + 1, problems);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        problems.push(err);
      }
    }
  }
  return message;
}

/** §21.1: option-code (2), option-len (2), data. A cut option ends the list. */
function readOptions(bytes: Uint8Array, start: number, base: number, into: Dhcpv6Option[]): void {
  for (let p = start; p < bytes.length; ) {
    check(bytes, p, 4, base, 'option');
    const length = (bytes[p + 2]! << 8) | bytes[p + 3]!;
    check(bytes, p + 4, length, base, 'option');
    if (into.length === MAX_DHCPV6_OPTIONS) {
      throw new DecodeError('dhcpv6', base + p, 'options.count', `more than ${MAX_DHCPV6_OPTIONS} options`);
    }
    into.push({
      code: (bytes[p]! << 8) | bytes[p + 1]!,
      offset: p + 4,
      value: bytes.subarray(p + 4, p + 4 + length),
    });
    p += 4 + length;
  }
}

/** Cut bytes at the top level may be completed; inside a relay option, whose length is exact, they are malformed. */
function check(bytes: Uint8Array, offset: number, length: number, base: number, field: string): void {
  if (offset + length <= bytes.length) return;
  if (base === 0)
    throw new TruncatedError('dhcpv6', offset, field, length, Math.max(0, bytes.length - offset));
  throw new DecodeError(
    'dhcpv6',
    base + offset,
    field,
    `overruns its relay message by ${offset + length - bytes.length} bytes`,
  );
}
