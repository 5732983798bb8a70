// DNS code tables (RFC 1035 §3.2, RFC 3596, RFC 2782, RFC 6762): record types the decoders read.

/** Resource record TYPE values (IANA "DNS Parameters" registry). */
export const DNS_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NSEC: 47,
  ANY: 255,
} as const;

export const DNS_CLASS_IN = 1;

/** mDNS reuses the top bit of CLASS: cache-flush in records, unicast-response in questions (RFC 6762 §10.2, §5.4). */
export const MDNS_CLASS_FLAG = 0x8000;

/** OPCODE values (RFC 1035 §4.1.1, RFC 1996, RFC 2136); NetBIOS uses its own (nbns.codes.ts). */
export const DNS_OPCODE = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** RCODE 0: no error. */
export const DNS_RCODE_NOERROR = 0;
