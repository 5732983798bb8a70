// Mitsubishi SLMP / MC protocol binary code tables (SLMP Reference Manual SH-080956ENG, §4 frames, §5 commands).

/** Subheaders of the binary frames: 3E and 4E, request and response (§4.1). */
export const SUBHEADER = {
  REQUEST_3E: 0x5000,
  RESPONSE_3E: 0xd000,
  REQUEST_4E: 0x5400,
  RESPONSE_4E: 0xd400,
} as const;

/** Read Type Name (CPU model): command 0x0101, subcommand 0x0000 (§5.1 "Remote operation"). */
export const READ_TYPE_NAME = 0x0101;
/** Its response: model name (16 ASCII characters, space padded) and model code (2 bytes). */
export const TYPE_NAME_RESPONSE_LENGTH = 18;

/**
 * Default SLMP/MC ports: 5006/5007 (iQ-R/iQ-F built-in Ethernet, UDP/TCP defaults) and 5562
 * (common in vendor examples); any port can be configured, so sniffing decides.
 */
export const MELSEC_PORTS = [5006, 5007, 5562] as const;
