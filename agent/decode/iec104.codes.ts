// IEC 60870-5-104 code tables (IEC 60870-5-104:2006 §5; causes of transmission from IEC 60870-5-101 §7.2.3).

export const APCI_START = 0x68;

/** U-format functions (104 §5.3): bits of the first control octet, with its two low bits set. */
export const U_FUNCTION = {
  STARTDT_ACT: 0x07,
  STARTDT_CON: 0x0b,
  STOPDT_ACT: 0x13,
  STOPDT_CON: 0x23,
  TESTFR_ACT: 0x43,
  TESTFR_CON: 0x83,
} as const;

export const U_FUNCTIONS: ReadonlySet<number> = new Set(Object.values(U_FUNCTION));

/** Causes only the controlling station sends: activation (6) and deactivation (8). */
export const CONTROLLING_CAUSES: ReadonlySet<number> = new Set([6, 8]);

/**
 * Causes only the controlled station sends (101 §7.2.3): periodic, background, spontaneous, initialised,
 * requested, confirmations and termination, returns, file transfer, interrogated and counter-interrogated
 * (20–41), and the negative "unknown type/cause/address/object" answers (44–47).
 */
export function isControlledCause(cause: number): boolean {
  return (
    (cause >= 1 && cause <= 5) ||
    cause === 7 ||
    (cause >= 9 && cause <= 13) ||
    (cause >= 20 && cause <= 41) ||
    (cause >= 44 && cause <= 47)
  );
}

/** The global (broadcast) common address, and 0 which is "not used" (101 §7.2.4). */
export const CA_GLOBAL = 0xffff;
export const CA_UNUSED = 0;
