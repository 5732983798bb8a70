// DHCPv6 code tables (RFC 8415 §7.3, §11, §21; RFC 4704; RFC 6939): message types, option codes, DUID types.

export const DHCPV6_MSG = {
  SOLICIT: 1,
  ADVERTISE: 2,
  REQUEST: 3,
  CONFIRM: 4,
  RENEW: 5,
  REBIND: 6,
  REPLY: 7,
  RELEASE: 8,
  DECLINE: 9,
  RECONFIGURE: 10,
  INFORMATION_REQUEST: 11,
  RELAY_FORW: 12,
  RELAY_REPL: 13,
} as const;

/** Messages a client sends (RFC 8415 §7.3): the ones whose options describe the client. */
export const CLIENT_MESSAGES: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 8, 9, 11]);
/** Messages a server sends to a client. */
export const SERVER_MESSAGES: ReadonlySet<number> = new Set([2, 7, 10]);
/** Highest message type assigned (IANA "DHCPv6 Message Types", 2024: 36). */
export const MAX_MESSAGE_TYPE = 36;

export const DHCPV6_OPTION = {
  CLIENTID: 1,
  SERVERID: 2,
  RELAY_MSG: 9,
  VENDOR_CLASS: 16,
  CLIENT_FQDN: 39,
  CLIENT_LINKLAYER_ADDR: 79,
} as const;

export const DUID_TYPE = { LLT: 1, EN: 2, LL: 3, UUID: 4 } as const;

/** RFC 8415 §7.6 HOP_COUNT_LIMIT: relays nest at most this deep. */
export const HOP_COUNT_LIMIT = 8;

/** Relay header: msg-type, hop-count, link-address, peer-address (RFC 8415 §9). */
export const RELAY_HEADER_LENGTH = 34;
/** Client/server header: msg-type, transaction-id (RFC 8415 §8). */
export const MESSAGE_HEADER_LENGTH = 4;
