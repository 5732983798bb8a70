// Telnet command codes (RFC 854 "Telnet command structure"; EOR from RFC 885).

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
/** Subnegotiation begin; ends with IAC SE (RFC 855). */
export const SB = 250;
export const SE = 240;
/** EOR (239, RFC 885) through GA (249): two-byte commands without an option. */
export const FIRST_COMMAND = 239;

/** WILL, WONT, DO, DONT: three bytes, the last one the option code. */
export function isNegotiation(b: number | undefined): boolean {
  return b !== undefined && b >= WILL && b <= DONT;
}
