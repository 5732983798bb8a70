// DHCPv4 (RFC 2131, RFC 2132) and plain BOOTP (RFC 951) on UDP 67/68: what a client says about itself
// (host name, vendor class, the parameter request list that fingerprints its DHCP stack) and what a
// server hands it. Client facts are about chaddr, wherever the packet was relayed or sent from.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import {
  BOOTP_HEADER_LENGTH,
  BOOTREPLY,
  BOOTREQUEST,
  DHCP_ACK,
  DHCP_CLIENT_TYPES,
  DHCP_MESSAGE_TYPE,
  DHCP_OFFER,
  DHCP_OPTION,
  HTYPE_ETHERNET,
  MAGIC_COOKIE,
  OPTIONS_OFFSET,
} from './dhcp.codes.js';
import { type DhcpOption, fqdnText, optionValue, readOptions, userClassText } from './dhcp-options.js';
import { DecodeError, need } from './errors.js';
import { type Problems, reportProblems } from './problems.js';
import { SeenFacts } from './seen-facts.js';
import { BytesCache } from './text-cache.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';
import { hexOf, ipv4At, isUnicastMac, macAt, wireText } from './wire-values.js';

const SERVER_PORT = 67;
const CLIENT_PORT = 68;
const ZERO_ADDRESS = '0.0.0.0';

// A host sends the same hostname, parameter list and vendor class in every request: their texts
// are made once per distinct bytes (text-cache.ts).
const optionTexts = new BytesCache(wireText);
const paramLists = new BytesCache((params) => Array.from(params).join(','));

/** RFC 2131 §2, Figure 1. Addresses as text, chaddr and options as views. */
export interface DhcpPdu {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** The first hlen bytes of chaddr. */
  chaddr: Uint8Array;
  /** False for plain BOOTP (no magic cookie, no options). */
  dhcp: boolean;
  options: DhcpOption[];
  problems: Problems;
}

export const dhcpDecoder: AppDecoder<DhcpPdu> = {
  id: 'dhcp',
  transports: ['udp'],
  ports: [SERVER_PORT, CLIENT_PORT],

  sniff(bytes, ctx) {
    if (bytes.length < BOOTP_HEADER_LENGTH || (bytes[0] !== BOOTREQUEST && bytes[0] !== BOOTREPLY))
      return false;
    if (bytes.length >= OPTIONS_OFFSET && readU32(bytes, BOOTP_HEADER_LENGTH) === MAGIC_COOKIE) return true;
    // Plain BOOTP has no cookie: only on its own ports (old PLCs and terminals still boot with it).
    const { src, dst } = ctx;
    return (
      src.port === SERVER_PORT ||
      src.port === CLIENT_PORT ||
      dst.port === SERVER_PORT ||
      dst.port === CLIENT_PORT
    );
  },

  decode(bytes) {
    need(bytes, 0, BOOTP_HEADER_LENGTH, 'dhcp', 'header');
    const op = bytes[0]!;
    if (op !== BOOTREQUEST && op !== BOOTREPLY) throw new DecodeError('dhcp', 0, 'op', `op ${op}`);
    const hlen = bytes[2]!;
    if (hlen > 16)
      throw new DecodeError('dhcp', 2, 'hlen', `hardware address of ${hlen} bytes in a 16-byte field`);
    const dhcp = bytes.length >= OPTIONS_OFFSET && readU32(bytes, BOOTP_HEADER_LENGTH) === MAGIC_COOKIE;
    const problems: Problems = [];
    return {
      op,
      htype: bytes[1]!,
      hlen,
      hops: bytes[3]!,
      xid: readU32(bytes, 4),
      ciaddr: ipv4At(bytes, 12),
      yiaddr: ipv4At(bytes, 16),
      siaddr: ipv4At(bytes, 20),
      giaddr: ipv4At(bytes, 24),
      chaddr: bytes.subarray(28, 28 + hlen),
      dhcp,
      options: dhcp ? readOptions(bytes, OPTIONS_OFFSET, problems) : [],
      problems,
    };
  },

  observe(pdu, ctx, out) {
    reportProblems(pdu.problems, out);
    const client = clientEmitter(pdu, ctx, out);
    const type = optionValue(pdu.options, DHCP_OPTION.MESSAGE_TYPE)?.[0] ?? null;
    if (pdu.op === BOOTREQUEST) {
      if (client && (type === null || DHCP_CLIENT_TYPES.has(type))) observeRequest(pdu, type, client);
      return;
    }
    // A reply: what the server gives the client, and the server itself.
    const offered = type === null ? !pdu.dhcp : type === DHCP_OFFER || type === DHCP_ACK;
    if (client && offered && pdu.yiaddr !== ZERO_ADDRESS) {
      client('dhcp.offered_ip', pdu.yiaddr);
      // An ACK (or a BOOTP reply) binds the address; an OFFER only proposes it.
      if (type !== DHCP_OFFER) client('mac.ip', pdu.yiaddr);
      for (const ip of addresses(optionValue(pdu.options, DHCP_OPTION.ROUTER))) client('dhcp.router', ip);
      for (const ip of addresses(optionValue(pdu.options, DHCP_OPTION.DNS_SERVER)))
        client('dhcp.dns_server', ip);
    }
    const serverId = addresses(optionValue(pdu.options, DHCP_OPTION.SERVER_ID))[0] ?? null;
    // Unrelayed, the sender is the server; relayed (giaddr set), the sender may be the relay agent, so
    // only a server id equal to the sender's address proves it (RFC 2131 §4.1, §4.3.1).
    const sender = ctx.src.ip;
    if (pdu.giaddr === ZERO_ADDRESS ? sender || serverId : serverId !== null && serverId === sender) {
      out.observe('src', 'dhcp.server', (serverId ?? sender)!);
      // Option 60 in a reply is the server's (an echo of the class it serves, or its own, e.g.
      // "PXEClient"): it names neither the client's maker nor the server's, so it has its own key.
      const replyClass = optionValue(pdu.options, DHCP_OPTION.VENDOR_CLASS);
      if (replyClass) out.observe('src', 'dhcp.reply_vendor_class', cleanText(wireText(replyClass)));
    }
  },
};

/** Options a client sends about itself (RFC 2132 §3.14, §9.1, §9.6, §9.8, §9.10, §9.13, §9.14; RFC 3004; RFC 4702). */
function observeRequest(pdu: DhcpPdu, type: number | null, client: ClientEmit): void {
  const opts = pdu.options;
  if (type !== null) client('dhcp.message_type', DHCP_MESSAGE_TYPE[type] ?? String(type));
  if (pdu.ciaddr !== ZERO_ADDRESS) client('mac.ip', pdu.ciaddr);
  const hostname = optionValue(opts, DHCP_OPTION.HOSTNAME);
  if (hostname) client('dhcp.hostname', optionTexts.get(hostname));
  const requested = optionValue(opts, DHCP_OPTION.REQUESTED_IP);
  if (requested) client('dhcp.requested_ip', ipv4At(requested, 0));
  const params = optionValue(opts, DHCP_OPTION.PARAM_LIST);
  if (params?.length) client('dhcp.param_list', paramLists.get(params));
  const maxSize = optionValue(opts, DHCP_OPTION.MAX_SIZE);
  if (maxSize) client('dhcp.max_size', (maxSize[0]! << 8) | maxSize[1]!);
  const vendorClass = optionValue(opts, DHCP_OPTION.VENDOR_CLASS);
  if (vendorClass) client('dhcp.vendor_class', optionTexts.get(vendorClass));
  const clientId = optionValue(opts, DHCP_OPTION.CLIENT_ID);
  if (clientId?.length) client('dhcp.client_id', hexOf(clientId));
  const userClass = optionValue(opts, DHCP_OPTION.USER_CLASS);
  if (userClass?.length) client('dhcp.user_class', cleanText(userClassText(userClass)));
  const fqdn = optionValue(opts, DHCP_OPTION.CLIENT_FQDN);
  const fqdnName = fqdn ? fqdnText(fqdn) : null;
  if (fqdnName) client('dhcp.fqdn', cleanText(fqdnName));
}

type ClientEmit = (key: ObservationKey, value: string | number) => void;

/**
 * Where facts about the client go: 'src' when the client sent the packet itself, otherwise its chaddr
 * through observeMac (relayed requests, server replies broadcast or unicast). Null when chaddr cannot
 * name a device (not Ethernet, multicast, all zeros); counted as "dhcp.unattributed".
 */
function clientEmitter(pdu: DhcpPdu, ctx: AppContext, out: Emitter): ClientEmit | null {
  if (pdu.htype !== HTYPE_ETHERNET || pdu.hlen !== 6 || !isUnicastMac(pdu.chaddr, 0)) {
    out.anomaly('dhcp.unattributed');
    return null;
  }
  const mac = macAt(pdu.chaddr, 0);
  // Every fact here is about the client, whichever packet carried it: one side. A hostile reply can
  // list ~16,000 router and DNS addresses in one 64 KB datagram.
  const seen = new SeenFacts();
  return (key, value) => {
    const text = typeof value === 'string' ? cleanText(value) : value;
    if (text === '' || !seen.first('src', key, text)) return;
    if (ctx.src.mac === mac) out.observe('src', key, text);
    else out.observeMac(mac, key, text);
  };
}

function addresses(value: Uint8Array | null): string[] {
  const out: string[] = [];
  if (value) for (let p = 0; p + 4 <= value.length; p += 4) out.push(ipv4At(value, p));
  return out;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}
