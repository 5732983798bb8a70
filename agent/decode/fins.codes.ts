// Omron FINS code tables (Omron "FINS Commands Reference Manual" W227, §3 and §5; FINS/TCP in W421 §7).

export const FINS_PORT = 9600;

/** ICF bits: bit 7 is always set, bit 6 marks a response. */
export const ICF_FIXED = 0x80;
export const ICF_RESPONSE = 0x40;
/** Gateway count is at most 7 (the manual's default is 2). */
export const MAX_GCT = 7;

/**
 * Main request codes (MRC) of the command list (W227 §5-1): memory, parameter and program areas, operating
 * mode, machine configuration, status, time, loopback, messages, access rights, error log, file memory,
 * debugging, serial gateway.
 */
export const FINS_MRCS: ReadonlySet<number> = new Set([
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0c, 0x21, 0x22, 0x23, 0x26, 0x28,
]);

/** Command codes (MRC << 8 | SRC) this decoder reads. */
export const CONTROLLER_DATA_READ = 0x0501;

/** FINS/TCP header commands (W421 §7-3). */
export const FINS_TCP = {
  NODE_ADDRESS_FROM_CLIENT: 0,
  NODE_ADDRESS_FROM_SERVER: 1,
  FRAME: 2,
  FRAME_ERROR: 3,
  CONNECTION_CONFIRMATION: 6,
} as const;

export const FINS_TCP_MAGIC = [0x46, 0x49, 0x4e, 0x53]; // "FINS"
