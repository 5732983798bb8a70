// MAC address text and its two flag bits (IEEE 802-2014 §8.2): I/G (group) and U/L (locally
// administered). Helpers take any of the usual text forms and never throw on bad input.

const COLON_OR_DASH = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
const CISCO_DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const BARE = /^[0-9a-f]{12}$/i;

/**
 * "00:1B:1B:AA:BB:CC", "00-1b-1b-aa-bb-cc", "001b.1baa.bbcc" or "001b1baabbcc" → 12 upper-case hex
 * digits; null for anything else (wrong length, mixed separators, non-hex).
 */
export function macHex(mac: string): string | null {
  if (mac.length > 17) return null;
  if (COLON_OR_DASH.test(mac) || CISCO_DOTTED.test(mac)) return mac.replace(/[:.-]/g, '').toUpperCase();
  if (BARE.test(mac)) return mac.toUpperCase();
  return null;
}

/** A MAC read once: its hex digits and the first octet's I/G (group) and U/L (local) bits. */
export interface MacReading {
  hex: string;
  group: boolean;
  local: boolean;
}

/** The hex digits and both flag bits of a MAC in one parse; null for anything that is not a MAC. */
export function readMac(mac: string): MacReading | null {
  const hex = macHex(mac);
  if (hex === null) return null;
  const b = Number.parseInt(hex.slice(0, 2), 16);
  return { hex, group: (b & 0x01) !== 0, local: (b & 0x02) !== 0 };
}

/**
 * A unicast, locally administered address (U/L bit set, I/G clear): randomised by the OS (Wi-Fi
 * privacy addresses, phones) or set by software (VMs, containers, drones' soft-APs). It has no
 * IEEE registrant. Group addresses are never "randomized": they are not devices at all.
 */
export function isRandomizedMac(mac: string): boolean {
  const m = readMac(mac);
  return m === null ? false : m.local && !m.group;
}

/** Group address (I/G bit set): multicast or broadcast, a destination and never a device. */
export function isGroupMac(mac: string): boolean {
  return readMac(mac)?.group ?? false;
}

export function isBroadcastMac(mac: string): boolean {
  return macHex(mac) === 'FFFFFFFFFFFF';
}
