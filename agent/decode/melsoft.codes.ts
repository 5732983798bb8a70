// Mitsubishi MELSOFT (GX Works3 ↔ iQ-F/iQ-R, UDP 5560) constants. Undocumented protocol: see melsoft.ts
// for how the layout was established and how sure each part is.

export const MELSOFT_PORT = 5560;

/** First byte of a command frame; the response sets bit 7 (0x57 'W' → 0xd7). */
export const FRAME_REQUEST = 0x57;
export const FRAME_RESPONSE = 0xd7;
/** First byte of the 4-byte discovery probe and its reply (0x5a 'Z' → 0xda). */
export const DISCOVERY_REQUEST = 0x5a;
export const DISCOVERY_RESPONSE = 0xda;

/** The frame header is 21 bytes; its last two hold the length of the rest, little-endian. */
export const FRAME_HEADER = 21;

/**
 * Command codes seen in the capture, named after Nozomi Networks' MELSOFT dissector (Black Hat MEA 2023)
 * where it names them; 0x0121 is the first command of every session and its answer carries the CPU model.
 */
export const COMMANDS: Readonly<Record<number, string>> = {
  289: 'Open Initial',
  305: 'Username Login',
  306: 'Password Login',
  1040: 'Modify Value',
  4097: 'Remote Run',
  4098: 'Remote Stop',
  6248: 'File Read',
  6249: 'File Write',
};
export const COMMAND_OPEN_INITIAL = 0x0121;
