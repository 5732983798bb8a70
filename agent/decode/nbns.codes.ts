// NetBIOS Name Service code tables (RFC 1002 §4.2.1): opcodes, record types and flag bits.

/** OPCODE (RFC 1002 §4.2.1.1; 9 is the refresh code Windows sends, 15 multi-homed registration). */
export const NBNS_OPCODE = {
  QUERY: 0,
  REGISTRATION: 5,
  RELEASE: 6,
  WACK: 7,
  REFRESH: 8,
  REFRESH_ALT: 9,
  MULTIHOMED_REGISTRATION: 15,
} as const;

/** RR_TYPE / QUESTION_TYPE (RFC 1002 §4.2.1.2-3). NBSTAT shares 0x21 with DNS SRV. */
export const NBNS_TYPE = { NB: 0x0020, NBSTAT: 0x0021 } as const;

/** NB_FLAGS G bit (§4.2.2) and NAME_FLAGS G bit (§4.2.18): a group name, not a unique one. */
export const NBNS_GROUP_FLAG = 0x8000;

/** NB rdata entry: NB_FLAGS (2) + NB_ADDRESS (4), §4.2.2. */
export const NB_ENTRY_LENGTH = 6;
/** NBSTAT NODE_NAME entry: 15-byte name, suffix, NAME_FLAGS (2), §4.2.18. */
export const NBSTAT_ENTRY_LENGTH = 18;
/** STATISTICS after the names starts with the 6-byte UNIT_ID (§4.2.18); 46 bytes in all. */
export const NBSTAT_STATISTICS_LENGTH = 46;
