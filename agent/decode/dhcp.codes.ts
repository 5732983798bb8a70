// DHCPv4 code tables (RFC 2131 §2-3, RFC 2132, RFC 4702, RFC 3004): BOOTP fields, option codes the
// decoder reads, and message type names.

/** BOOTP fixed header: op, htype … file (RFC 2131 §2, Figure 1), then the magic cookie (§3). */
export const BOOTP_HEADER_LENGTH = 236;
export const MAGIC_COOKIE = 0x63825363;
export const OPTIONS_OFFSET = 240;
/** Where the sname (64 bytes) and file (128 bytes) fields sit; option 52 may put options there. */
export const SNAME_OFFSET = 44;
export const FILE_OFFSET = 108;

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
/** ARP hardware type 1: Ethernet (RFC 1700 / IANA "Hardware Types"), the only one with a 6-byte MAC. */
export const HTYPE_ETHERNET = 1;

export const DHCP_OPTION = {
  PAD: 0,
  ROUTER: 3,
  DNS_SERVER: 6,
  HOSTNAME: 12,
  REQUESTED_IP: 50,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAM_LIST: 55,
  MAX_SIZE: 57,
  VENDOR_CLASS: 60,
  CLIENT_ID: 61,
  USER_CLASS: 77,
  CLIENT_FQDN: 81,
  END: 255,
} as const;

/**
 * Options whose length is fixed or a multiple (RFC 2132 §3.5, §3.8, §9.1, §9.3, §9.6, §9.7, §9.10),
 * with the fixed field name used when one is malformed and skipped.
 */
export const DHCP_OPTION_SHAPE: ReadonlyMap<number, { field: string; size: number; multiple: boolean }> =
  new Map([
    [DHCP_OPTION.ROUTER, { field: 'option.router', size: 4, multiple: true }],
    [DHCP_OPTION.DNS_SERVER, { field: 'option.dns_server', size: 4, multiple: true }],
    [DHCP_OPTION.REQUESTED_IP, { field: 'option.requested_ip', size: 4, multiple: false }],
    [DHCP_OPTION.OVERLOAD, { field: 'option.overload', size: 1, multiple: false }],
    [DHCP_OPTION.MESSAGE_TYPE, { field: 'option.message_type', size: 1, multiple: false }],
    [DHCP_OPTION.SERVER_ID, { field: 'option.server_id', size: 4, multiple: false }],
    [DHCP_OPTION.MAX_SIZE, { field: 'option.max_size', size: 2, multiple: false }],
  ]);

/** Option 53 values (RFC 2132 §9.6, RFC 4388 §6.1, RFC 6926 §6.2.1). */
export const DHCP_MESSAGE_TYPE: Readonly<Record<number, string>> = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
  9: 'FORCERENEW',
  10: 'LEASEQUERY',
  11: 'LEASEUNASSIGNED',
  12: 'LEASEUNKNOWN',
  13: 'LEASEACTIVE',
  14: 'BULKLEASEQUERY',
  15: 'LEASEQUERYDONE',
  16: 'ACTIVELEASEQUERY',
  17: 'LEASEQUERYSTATUS',
  18: 'TLS',
};

/**
 * Types a client sends about itself (RFC 2131 §3): DISCOVER, REQUEST, DECLINE, RELEASE, INFORM. The
 * leasequery family (RFC 4388, RFC 6926) is also a BOOTREQUEST, but sent by relays about someone else.
 */
export const DHCP_CLIENT_TYPES: ReadonlySet<number> = new Set([1, 3, 4, 7, 8]);

export const DHCP_OFFER = 2;
export const DHCP_ACK = 5;

/** RFC 4702 §2.1: option 81 flag E, the name is in DNS wire format rather than ASCII. */
export const FQDN_FLAG_ENCODED = 0x04;
